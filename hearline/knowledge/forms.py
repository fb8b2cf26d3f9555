"""Staff forms of the knowledge base. They collect input; the rules live in `actions`."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from hearline.accounts.models import Department
from hearline.cases.form_errors import ActionErrorsMixin
from hearline.cases.models import Category
from hearline.cases.models.cases import ResolutionType
from hearline.core.widgets import DatePicker

from .access import editable_owners
from .models import Article, ArticleStatus, Audience, ReplyTemplate
from .placeholders import PLACEHOLDERS

_SEPARATORS = re.compile(r"[,，、;；\s]+")


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _NamedMany(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class KnowledgeForm(ActionErrorsMixin, forms.Form):
    """Base: puts the actions' per-field error codes next to the fields."""


class ArticleForm(KnowledgeForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Answer to read to the caller"), widget=forms.Textarea(attrs={"rows": 3})
    )
    documents = forms.CharField(
        label=_("Documents needed (one per line: tell everything at once)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    applies_to = forms.CharField(
        label=_("Who it applies to"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fees = forms.CharField(label=_("Fees"), max_length=300, required=False)
    time_limit = forms.CharField(label=_("Time limit"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Full text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_department = _Named(
        label=_("Responsible department"), queryset=Department.objects.all(), required=False
    )
    owner = _Named(label=_("Owner department (keeps it up to date)"), queryset=Department.objects)
    categories = _NamedMany(
        label=_("Categories"), queryset=Category.objects.filter(is_active=True), required=False
    )
    tags = forms.CharField(label=_("Tags (separated by spaces)"), max_length=300, required=False)
    audience = forms.ChoiceField(label=_("Published to"), choices=Audience.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ArticleStatus.choices)
    review_by = forms.DateField(label=_("Review by"), widget=DatePicker())
    note = forms.CharField(label=_("What changed (for the history)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = editable_owners(user)

    @classmethod
    def of(cls, article: Article, user) -> ArticleForm:
        """The form filled with the article's current text."""
        initial = {
            name: getattr(article, name)
            for name in ("title", "summary", "applies_to", "fees", "time_limit", "body")
        }
        initial.update(
            legal_basis=article.legal_basis,
            documents="\n".join(article.documents),
            tags=" ".join(article.tags),
            responsible_department=article.responsible_department_id,
            owner=article.owner_id,
            categories=list(article.categories.values_list("pk", flat=True)),
            audience=article.audience,
            status=article.status,
            review_by=article.review_by,
        )
        return cls(initial=initial, user=user)

    def values(self) -> tuple[dict, list]:
        """(field values for `do_save_article`, categories)."""
        data = dict(self.cleaned_data)
        data["documents"] = [line for line in data["documents"].splitlines() if line.strip()]
        data["tags"] = [t for t in _SEPARATORS.split(data["tags"]) if t]
        categories = list(data.pop("categories"))
        data.pop("note")
        return data, categories


class TemplateForm(KnowledgeForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    categories = _NamedMany(
        label=_("Categories (none: all)"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
    )
    resolution_type = forms.ChoiceField(
        label=_("Resolution type"),
        choices=[("", _("Any")), *ResolutionType.choices],
        required=False,
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Placeholders: %(names)s")
        % {"names": "、".join("{" + name + "}" for name in PLACEHOLDERS)},
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def of(cls, template: ReplyTemplate) -> TemplateForm:
        return cls(
            initial={
                "name": template.name,
                "categories": list(template.categories.values_list("pk", flat=True)),
                "resolution_type": template.resolution_type,
                "body": template.body,
                "active": template.active,
            }
        )
