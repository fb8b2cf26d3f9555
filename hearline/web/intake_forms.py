"""The registration forms: the agent's phone form and the citizen's web form."""

from __future__ import annotations

import hashlib
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from hearline.cases.form_errors import ActionErrorsMixin
from hearline.cases.labels import error_text
from hearline.cases.models import Category, Urgency
from hearline.cases.models.complainants import ReplyChannel
from hearline.cases.submission import ComplainantData, IntakeSubmission
from hearline.core.widgets import DateTimePicker

# What makes a second submission the same complaint as the first (a double click).
_SAME_COMPLAINT = ("description", "phone", "name", "email", "address", "district", "request")
# Submission error keys → form field names.
_FIELD_OF = {
    "complainant.phone": "phone",
    "complainant.name": "name",
    "complainant.preferred_channel": "preferred_channel",
}


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        depth = obj.path.count("/") - 2
        return "　" * max(depth, 0) + obj.name


class IntakeForm(ActionErrorsMixin, forms.Form):
    """What every registration needs; `token` makes a double-clicked submit register once.

    The token comes back from the browser, so it is never trusted alone: a submission
    repeats an earlier one only when it comes from the same `scope` (the agent's account,
    the citizen's browser) with the same token and the same complaint. Anyone else sending
    a used token files their own complaint and learns nothing of the first."""

    field_aliases = _FIELD_OF
    token = forms.CharField(widget=forms.HiddenInput)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    occurred_at = forms.DateTimeField(
        label=_("When it happened"),
        required=False,
        widget=DateTimePicker(),
    )
    address = forms.CharField(label=_("Where (address)"), max_length=255, required=False)
    district = forms.CharField(label=_("District"), max_length=60, required=False)
    request = forms.CharField(
        label=_("What they ask for"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    preferred_channel = forms.ChoiceField(
        label=_("Preferred reply channel"), choices=ReplyChannel.choices
    )

    channel = "web"

    def __init__(self, *args, scope: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["token"].initial = uuid.uuid4().hex

    def clean(self):
        """Also apply the domain's checks (phone format, …), so every error shows at once."""
        cleaned = super().clean()
        for field, code in self.submission().errors().items():
            name = _FIELD_OF.get(field, field)
            if name in self.fields and name not in self.errors and field != "description":
                self.add_error(name, error_text(code))
        return cleaned

    def submission(self) -> IntakeSubmission:
        data = self.cleaned_data
        return IntakeSubmission(
            channel=self.channel,
            description=data.get("description", ""),
            complainant=ComplainantData(
                name=data.get("name", ""),
                phone=data.get("phone", "").strip(),
                email=data.get("email", ""),
                address=data.get("address", ""),
                preferred_channel=data.get("preferred_channel", ReplyChannel.PHONE),
                is_elderly=data.get("is_elderly", False),
                is_disabled=data.get("is_disabled", False),
                is_ill=data.get("is_ill", False),
            ),
            title=data.get("title", ""),
            request=data.get("request", ""),
            address=data.get("address", ""),
            district=data.get("district", ""),
            occurred_at=data.get("occurred_at"),
            category_id=data["category"].pk if data.get("category") else None,
            urgency=data.get("urgency") or Urgency.NORMAL,
            public_safety=data.get("public_safety", False),
            opinion_risk=data.get("opinion_risk", False),
            idempotency_key=f"{self.channel}:{self._repeat_digest()}",
        )

    def _repeat_digest(self) -> str:
        data = self.cleaned_data
        parts = [self.scope, data.get("token", "")]
        parts += [str(data.get(name) or "") for name in _SAME_COMPLAINT]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:64]


class AgentIntakeForm(IntakeForm):
    """The hotline agent's form: the caller's phone first, then the complaint, its category
    and urgency, and who the caller is."""

    channel = "hotline"
    title = forms.CharField(label=_("Subject"), max_length=120, required=False)
    category = CategoryChoice(
        queryset=Category.objects.filter(is_active=True), required=False, label=_("Category")
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    public_safety = forms.BooleanField(label=_("Public safety"), required=False)
    opinion_risk = forms.BooleanField(
        label=_("Public-opinion risk (media, petitions)"), required=False
    )
    is_elderly = forms.BooleanField(label=_("Elderly"), required=False)
    is_disabled = forms.BooleanField(label=_("Disabled"), required=False)
    is_ill = forms.BooleanField(label=_("Seriously ill"), required=False)
    # The knowledge article the agent chose from the suggestions, opened on the read-back.
    article = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = [
        "phone",
        "name",
        "description",
        "title",
        "category",
        "urgency",
        "occurred_at",
        "address",
        "district",
        "request",
        "public_safety",
        "opinion_risk",
        "is_elderly",
        "is_disabled",
        "is_ill",
        "preferred_channel",
        "email",
        "token",
    ]


# Photos a citizen may send with a complaint on the portal.
MAX_PHOTOS = 5


class PortalForm(IntakeForm):
    """The citizen's web form, with photos (at most MAX_PHOTOS)."""

    channel = "web"
    field_order = [
        "description",
        "address",
        "district",
        "occurred_at",
        "request",
        "name",
        "phone",
        "email",
        "preferred_channel",
        "token",
    ]
