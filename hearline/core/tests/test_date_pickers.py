"""Every date and date-time picker of every form is filled in the one format the browser
takes, so a form saved without touching it posts back what it showed."""

import importlib
import pkgutil
import re
from datetime import UTC, date, datetime

import pytest
from django import forms
from django.utils import timezone, translation

import hearline

DAY = date(2026, 11, 3)
MOMENT = datetime(2026, 11, 3, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai
SHOWN = {"date": "2026-11-03", "datetime-local": "2026-11-03T14:30"}


def _form_classes() -> list[type[forms.Form] | type[forms.ModelForm]]:
    """Hearline's form classes: those with declared fields (`base_fields`)."""
    for module in pkgutil.walk_packages(hearline.__path__, "hearline."):
        leaf = module.name.rsplit(".", 1)[-1]
        if leaf == "forms" or leaf.endswith("_forms"):
            importlib.import_module(module.name)
    found: list[type[forms.Form] | type[forms.ModelForm]] = []
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("hearline.") and issubclass(
                sub, (forms.Form, forms.ModelForm)
            ):
                found.append(sub)
    return found


def _pickers() -> list[tuple[str, forms.Field]]:
    return [
        (f"{form.__name__}.{name}", field)
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if getattr(field.widget, "input_type", "") in SHOWN
    ]


PICKERS = _pickers()


def test_the_pickers_of_the_edit_forms_are_all_checked():
    names = {name for name, _field in PICKERS}
    assert {
        "CorrectiveActionForm.start_date",
        "CorrectiveActionForm.due_date",
        "CorrectiveActionForm.done_on",
        "ArticleForm.review_by",
        "AreaForm.expected_restoration_at",
        "BulletinForm.expected_restoration_at",
        "OpenForm.started_at",
        "CloseForm.restored_at",
        "ExtensionForm.until",
        "IntakeForm.occurred_at",
        "PeriodForm.start",
    } <= names


@pytest.mark.parametrize("name,field", PICKERS, ids=[name for name, _f in PICKERS])
def test_a_picker_shows_its_value_as_the_browser_takes_it_and_reads_it_back(name, field):
    kind = field.widget.input_type
    value = DAY if kind == "date" else MOMENT
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        html = field.widget.render(name, field.prepare_value(value))
        shown = re.search(r'value="([^"]*)"', html).group(1)
        assert shown == SHOWN[kind], f"{name} is filled as {shown!r}: the browser drops it"
        assert field.clean(shown) == value
