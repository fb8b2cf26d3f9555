"""One small form per lifecycle action, shown on the case page for the actions the user may
take now. The forms only collect input; the rules live in the workflow and its actions, whose
field errors are put back next to the fields."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hearline.accounts.models import Department, User
from hearline.cases.form_errors import ActionErrorsMixin
from hearline.cases.models import Case, Category, Urgency
from hearline.cases.models.attachments import AttachmentKind
from hearline.cases.models.cases import Confirmation, ResolutionType, Satisfaction
from hearline.cases.models.complainants import ReplyChannel
from hearline.core.ids import as_id
from hearline.core.widgets import DateTimePicker
from hearline.improvement.models import RootCause
from hearline.knowledge.models import Article, ArticleStatus, Audience
from hearline.knowledge.offers import articles_for_case, templates_for_case


def _text(label, required=True, rows=3):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return obj.name


class ActionForm(ActionErrorsMixin, forms.Form):
    """Base: a form bound to one case and user; `payload()` gives the action's input."""

    def __init__(self, *args, user: User, case: Case, **kwargs):
        self.user, self.case = user, case
        super().__init__(*args, **kwargs)
        for name in ("department", "cohandlers"):
            field = self.fields.get(name)
            if isinstance(field, forms.ModelChoiceField):
                scope = user.organisation
                field.queryset = (
                    Department.objects.filter(path__startswith=scope.path)
                    if scope
                    else Department.objects.none()
                )

    def payload(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}
        if isinstance(data.get("department"), Department):
            data["department"] = data["department"].pk
        return data


class NoInput(ActionForm):
    pass


class ReasonForm(ActionForm):
    reason = _text(_("Reason"), rows=2)


class InstructionForm(ActionForm):
    instruction = _text(_("What must be done again"), rows=3)


class NoteForm(ActionForm):
    note = _text(_("Note"))


class OptionalNoteForm(ActionForm):
    note = _text(_("Note"), required=False, rows=2)


class DispatchForm(ActionForm):
    department = DepartmentChoice(queryset=Department.objects.none(), label=_("Department"))
    cohandlers = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(), required=False, label=_("Co-handling departments")
    )


class DepartmentForm(ActionForm):
    department = DepartmentChoice(queryset=Department.objects.none(), label=_("Department"))


class TransferForm(DepartmentForm):
    reason = _text(_("Reason"), rows=2)


class ReclassifyForm(ActionForm):
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True), required=False, label=_("Category")
    )
    urgency = forms.ChoiceField(
        choices=[("", "—"), *Urgency.choices], required=False, label=_("Urgency")
    )

    def payload(self) -> dict:
        data = super().payload()
        if "category" in data:
            data["category"] = data["category"].pk
        return data


class SensitiveForm(ActionForm):
    """Set or clear the two flags that start a plan (预案); filled with the case's own."""

    public_safety = forms.BooleanField(label=_("Public safety"), required=False)
    opinion_risk = forms.BooleanField(label=_("Public-opinion risk"), required=False)
    reason = _text(_("Reason"), rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for flag in ("public_safety", "opinion_risk"):
            self.fields[flag].initial = getattr(self.case, flag)

    def payload(self) -> dict:
        data = self.cleaned_data
        return {flag: bool(data.get(flag)) for flag in ("public_safety", "opinion_risk")} | {
            "reason": data["reason"]
        }


class RootCauseForm(ActionForm):
    root_cause = forms.ModelChoiceField(
        queryset=RootCause.objects.filter(active=True), label=_("Root cause")
    )

    def payload(self) -> dict:
        return {"root_cause": self.cleaned_data["root_cause"].code}


class AttachForm(ActionForm):
    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(choices=AttachmentKind.choices, label=_("Kind"))

    def payload(self) -> dict:
        upload = self.cleaned_data["file"]
        return {"file": upload, "name": upload.name, "kind": self.cleaned_data["kind"]}


class ResolutionForm(ActionForm):
    finding = _text(_("Finding of fact"), required=False)
    responsibility = _text(_("Responsibility"), required=False, rows=2)
    resolution_type = forms.ChoiceField(choices=ResolutionType.choices, label=_("Resolution type"))
    resolution = _text(_("Resolution"))
    compensation_amount = forms.DecimalField(
        label=_("Compensation amount"), required=False, min_value=0, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.case
        self.initial.update(
            finding=case.finding,
            responsibility=case.responsibility,
            resolution_type=case.resolution_type,
            resolution=case.resolution,
            compensation_amount=case.compensation_amount,
        )


class ExtensionForm(ActionForm):
    reason = _text(_("Reason"), rows=2)
    until = forms.DateTimeField(label=_("New deadline"), widget=DateTimePicker())


class ReplyForm(ActionForm):
    template = forms.TypedChoiceField(label=_("Start from a template"), required=False, coerce=int)
    reply = _text(_("Reply to the complainant"), rows=5)
    reply_channel = forms.ChoiceField(choices=ReplyChannel.choices, label=_("Reply channel"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reply_channel", self.case.complainant.preferred_channel)
        templates = templates_for_case(self.case)
        self.fields["template"].choices = [("", "—"), *((t.pk, t.name) for t in templates)]
        self.fields["template"].widget.attrs.update(
            {
                "hx-get": reverse("staff:template_preview", args=[self.case.pk]),
                "hx-target": "next textarea",
                "hx-include": "next textarea",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )


class CloseOnSpotForm(ActionForm):
    reply = _text(_("Answer given to the caller"), rows=4)
    article = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SendArticleForm(ActionForm):
    """One of the public articles that answer the case (or the one chosen at intake)."""

    article = forms.TypedChoiceField(
        label=_("Article to send"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        found = articles_for_case(self.case, public_only=True, limit=5)
        chosen = as_id(self.data.get("article", "") or self.initial.get("article", ""))
        if chosen and all(a.pk != chosen for a in found):
            found += Article.objects.filter(
                pk=chosen, status=ArticleStatus.PUBLISHED, audience=Audience.PUBLIC
            )
        self.fields["article"].choices = [(a.pk, a.title) for a in found]


class RatingForm(ActionForm):
    confirmation = forms.ChoiceField(
        choices=Confirmation.choices, label=_("Solved?"), widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(
        choices=Satisfaction.choices, label=_("Satisfaction"), widget=forms.RadioSelect
    )


class FollowUpForm(ActionForm):
    followup_result = _text(_("Follow-up result"))
    confirmation = forms.ChoiceField(
        choices=[("", "—"), *Confirmation.choices], required=False, label=_("Solved?")
    )
    satisfaction = forms.ChoiceField(
        choices=[("", "—"), *Satisfaction.choices], required=False, label=_("Satisfaction")
    )


class MergeForm(ActionForm):
    merged_into = forms.CharField(label=_("Tracking number of the case to keep"), max_length=20)


FORMS: dict[str, type[ActionForm]] = {
    "close_on_spot": CloseOnSpotForm,
    "send_article": SendArticleForm,
    "dispatch": DispatchForm,
    "accept": NoInput,
    "return": ReasonForm,
    "transfer": TransferForm,
    "add_cohandler": DepartmentForm,
    "reclassify": ReclassifyForm,
    "mark_sensitive": SensitiveForm,
    "accept_cohandling": NoInput,
    "answer_cohandling": NoteForm,
    "record_contact": NoteForm,
    "comment": NoteForm,
    "urge": NoteForm,
    "acknowledge_urge": OptionalNoteForm,
    "record_investigation": NoteForm,
    "attach": AttachForm,
    "propose_resolution": ResolutionForm,
    "resolve": ResolutionForm,
    "request_suspension": ReasonForm,
    "request_extension": ExtensionForm,
    "approve_suspension": NoInput,
    "approve_extension": NoInput,
    "reject_request": ReasonForm,
    "resume": NoInput,
    "reply": ReplyForm,
    "record_rating": RatingForm,
    "follow_up": FollowUpForm,
    "reopen": ReasonForm,
    "appeal": ReasonForm,
    "dismiss_appeal": ReasonForm,
    "uphold_appeal": InstructionForm,
    "merge": MergeForm,
    "archive": NoInput,
    "tag_root_cause": RootCauseForm,
}
