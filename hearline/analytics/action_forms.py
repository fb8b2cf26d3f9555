"""The form of a corrective action (整改措施): what, who, by when, and the slice it targets."""

from __future__ import annotations

import re

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hearline.accounts.models import Department, User
from hearline.cases.form_errors import ActionErrorsMixin
from hearline.cases.models import Category
from hearline.core.widgets import DatePicker
from hearline.improvement.models import ActionStatus, CorrectiveAction, RootCause


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class NamedMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class CorrectiveActionForm(ActionErrorsMixin, forms.Form):
    what = forms.CharField(label=_("What will be changed"), max_length=300)
    owner = UserChoice(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        label=_("Owner"),
        required=False,
    )
    department = NamedChoice(
        queryset=Department.objects.order_by("path"),
        label=_("Responsible department"),
        required=False,
    )
    start_date = forms.DateField(label=_("Start date"), widget=DatePicker(), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DatePicker(), required=False)
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))
    done_on = forms.DateField(label=_("Completed on"), widget=DatePicker(), required=False)
    categories = NamedMultipleChoice(
        queryset=Category.objects.filter(is_active=True),
        label=_("Target categories"),
        required=False,
    )
    target_departments = NamedMultipleChoice(
        queryset=Department.objects.order_by("path"),
        label=_("Target departments"),
        required=False,
    )
    districts = forms.CharField(
        label=_("Target districts"),
        required=False,
        help_text=_("Separate several with commas or spaces."),
    )
    root_causes = NamedMultipleChoice(
        queryset=RootCause.objects.filter(active=True),
        label=_("Root causes addressed"),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, action: CorrectiveAction | None = None, **kwargs):
        """The form of a new action, or of `action`: then its owner, categories and root
        causes are offered even when no longer offered for new actions (a departed owner, a
        retired category), so saving the form keeps them."""
        super().__init__(*args, **kwargs)
        if action is not None:
            self._offer_current(action)

    def _offer_current(self, action: CorrectiveAction) -> None:
        current: dict[str, QuerySet] = {
            "owner": User.objects.filter(pk__in=[action.owner_id]),
            "categories": Category.objects.filter(pk__in=action.categories.values("pk")),
            "root_causes": RootCause.objects.filter(pk__in=action.root_causes.values("pk")),
        }
        for name, offered in current.items():
            field = self.fields[name]
            # The three are model choice fields, each declared with its queryset.
            assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
            field.queryset = field.queryset | offered

    @classmethod
    def of(cls, action: CorrectiveAction) -> CorrectiveActionForm:
        """The form filled with an existing action."""
        return cls(
            action=action,
            initial={
                "what": action.what,
                "owner": action.owner_id,
                "department": action.department_id,
                "start_date": action.start_date,
                "due_date": action.due_date,
                "status": action.status,
                "done_on": action.done_on,
                "categories": list(action.categories.all()),
                "target_departments": list(action.target_departments.all()),
                "districts": "，".join(action.districts),
                "root_causes": list(action.root_causes.all()),
                "notes": action.notes,
            },
        )

    def values(self) -> dict:
        """The cleaned input as the corrective-action actions take it."""
        data = dict(self.cleaned_data)
        data["districts"] = [d for d in re.split(r"[,，、\s]+", data["districts"] or "") if d]
        return data
