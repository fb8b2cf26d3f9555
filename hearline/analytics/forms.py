"""The period and slice chosen on the analytics pages (errors shown in the form)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearline.core.dates import validate_within_range
from hearline.core.widgets import DatePicker

from .dashboard import COMPARISONS, GRAINS
from .report import MAX_DAYS, SLICES

GRAIN_LABELS = {"day": _("Daily"), "week": _("Weekly"), "month": _("Monthly")}
COMPARE_LABELS = {
    "previous": _("Previous period"),
    "last_year": _("Same period last year"),
    "": _("No comparison"),
}
SLICE_LABELS = {
    "department": _("Department"),
    "category": _("Category"),
    "channel": _("Channel"),
    "district": _("District"),
    "urgency": _("Urgency"),
    "root_cause": _("Root cause"),
}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=DatePicker(), validators=[validate_within_range]
    )
    end = forms.DateField(label=_("To"), widget=DatePicker(), validators=[validate_within_range])
    compare = forms.ChoiceField(
        label=_("Compare with"),
        choices=[(k, COMPARE_LABELS[k]) for k in COMPARISONS],
        required=False,
    )
    grain = forms.ChoiceField(
        label=_("Trend by"), choices=[(k, GRAIN_LABELS[k]) for k in GRAINS], required=False
    )
    by = forms.ChoiceField(
        label=_("By"), choices=[(k, SLICE_LABELS[k]) for k in SLICES], required=False
    )

    @classmethod
    def read(cls, query) -> PeriodForm:
        """The form bound to the page's query, the last 30 days by default."""
        today = timezone.localdate()
        data = {
            "start": (today - timedelta(days=29)).isoformat(),
            "end": today.isoformat(),
            "compare": "previous",
            "grain": "day",
            "by": "department",
        }
        data.update({k: v for k, v in query.items() if k in data})
        return cls(data)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("end", _("The period is too long (at most three years)."))
        return data
