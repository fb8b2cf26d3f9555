"""Forms of the incident pages. They collect input; the rules live in `actions`, whose
field errors are put back next to the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hearline.cases.form_errors import ActionErrorsMixin
from hearline.cases.models.cases import ResolutionType
from hearline.core.widgets import DateTimePicker

from .models import IncidentKind


def _text(label, required=True, rows=3):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


def _datetime(label, required=False, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimePicker(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class IncidentForm(ActionErrorsMixin, forms.Form):
    """Base: puts the actions' per-field error codes next to the fields."""

    field_aliases = {"cases": "numbers", "case": "number", "polygon": "districts"}

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class AreaForm(IncidentForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    districts = forms.CharField(
        label=_("Districts"), required=False, help_text=_("separated by spaces or commas")
    )
    centre_lat = forms.FloatField(label=_("Centre latitude"), required=False)
    centre_lng = forms.FloatField(label=_("Centre longitude"), required=False)
    radius_m = forms.IntegerField(label=_("Radius (metres)"), required=False, min_value=50)
    expected_restoration_at = _datetime(_("Expected restoration"))
    measures = _text(_("Temporary measures (water points …)"), required=False, rows=2)
    summary = _text(_("Public summary"), required=False, rows=2)
    bulletin_interval_hours = forms.IntegerField(
        label=_("Bulletin every (hours)"), min_value=1, max_value=48, initial=6
    )

    def values(self) -> dict:
        data = super().values()
        raw = self.cleaned_data.get("districts") or ""
        data["districts"] = [d for d in raw.replace("，", " ").replace(",", " ").split() if d]
        return data


class OpenForm(AreaForm):
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=IncidentKind.objects.filter(is_active=True), to_field_name="code"
    )
    started_at = _datetime(_("Started at"))

    def values(self) -> dict:
        data = super().values()
        data["kind"] = data["kind"].code
        return data


class ReasonForm(IncidentForm):
    reason = _text(_("Reason"), rows=2)


class BulletinForm(IncidentForm):
    text = _text(_("Progress"), rows=4)
    expected_restoration_at = _datetime(_("Expected restoration"))
    measures = _text(_("Temporary measures (water points …)"), required=False, rows=2)


class LinkForm(IncidentForm):
    numbers = _text(_("Tracking numbers"), rows=2)

    def numbers_list(self) -> list[str]:
        return self.cleaned_data["numbers"].replace(",", " ").replace("，", " ").split()


class UnlinkForm(IncidentForm):
    number = forms.CharField(label=_("Tracking number"), max_length=20)
    reason = _text(_("Reason"), rows=2)


class OwnNeedsForm(IncidentForm):
    number = forms.CharField(label=_("Tracking number"), max_length=20)
    own_needs = forms.BooleanField(label=_("Needs more than the incident's end"), required=False)


class FollowUpForm(IncidentForm):
    result = _text(_("Follow-up result (recorded on every answered case)"), rows=3)


class AftermathForm(IncidentForm):
    number = forms.CharField(label=_("Tracking number"), max_length=20)
    linked = forms.ChoiceField(
        label=_("Related to the incident"), choices=[("yes", _("Yes")), ("no", _("No"))]
    )


class CloseForm(IncidentForm):
    notice = _text(_("Restoration notice (the reply to every linked case)"), rows=4)
    finding = _text(_("Cause (finding of fact)"), rows=2)
    resolution = _text(_("What was done"), rows=2)
    resolution_type = forms.ChoiceField(
        label=_("Resolution type"),
        choices=[c for c in ResolutionType.choices if c[0] != ResolutionType.ACCOUNTABILITY],
        initial=ResolutionType.REPAIR,
    )
    restored_at = _datetime(
        _("Restored at"),
        required=True,
        help_text=_("when the service actually came back, not when this notice is sent"),
    )


class ReviewForm(IncidentForm):
    summary = _text(_("What happened and what was learned"), rows=4)
    actions = _text(
        _("Corrective actions, one per line: what | due date (YYYY-MM-DD)"),
        required=False,
        rows=3,
    )

    def corrective_actions(self) -> list[dict]:
        found = []
        for line in (self.cleaned_data.get("actions") or "").splitlines():
            what, _sep, due = line.partition("|")
            if what.strip():
                found.append({"what": what.strip(), "due_date": due.strip() or None})
        return found


class SupportForm(IncidentForm):
    complainant = forms.IntegerField(widget=forms.HiddenInput)
    what = forms.CharField(label=_("What was delivered"), max_length=200)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
