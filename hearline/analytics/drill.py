"""Drill-down: the cases behind a figure, from the same filters a figure's link carries.

A link names the period, any of the slice values (department with its subtree, category,
channel, district, urgency, root cause) and the component whose cases are wanted (`measure`, e.g.
`overdue`, `rated`); `cases()` returns exactly the cases those rollup rows count.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from hearline.accounts.models import Department
from hearline.cases.models import Case, Category, Channel, Urgency
from hearline.cases.workflow import InvalidInput
from hearline.core.dates import within_range
from hearline.improvement.models import RootCause

from .recompute import component_filters
from .report import period_cases

COMPONENT_LABELS = {
    "volume": _("All cases registered"),
    "responded_on_time": _("Responded on time"),
    "response_decided": _("Responded, or past the response deadline"),
    "resolved_on_time": _("Replied on time"),
    "resolution_decided": _("Replied, or past the resolution deadline"),
    "solved": _("The complainant says solved"),
    "confirmed": _("With the complainant's answer"),
    "satisfied": _("Satisfied"),
    "basically_satisfied": _("Basically satisfied"),
    "rated": _("Rated"),
    "handled": _("Replied in the current cycle"),
    "reopened": _("Reopened"),
    "had_reply": _("Had a reply"),
    "repeats": _("Repeat complaints"),
    "on_spot": _("Closed on the spot"),
    "overdue": _("Overdue"),
    "incident": _("Answered with an incident"),
}


@dataclass(frozen=True)
class DrillDown:
    start: date
    end: date
    department: str = ""
    category: str = ""
    channel: str = ""
    district: str = ""
    urgency: str = ""
    root_cause: str = ""
    q: str = ""
    measure: str = "volume"

    @classmethod
    def from_query(cls, query: QueryDict) -> DrillDown:
        """Read the filters of a link; InvalidInput names each field that is wrong."""
        errors = {}
        days = {}
        for name in ("start", "end"):
            try:
                days[name] = date.fromisoformat(query.get(name, ""))
            except ValueError:
                errors[name] = "invalid_date"
            else:
                if not within_range(days[name]):
                    errors[name] = "out_of_range"
        values = {f.name: query.get(f.name, "") for f in fields(cls) if f.name not in days}
        values["measure"] = values["measure"] or "volume"
        if values["measure"] not in component_filters():
            errors["measure"] = "invalid_choice"
        if values["channel"] and values["channel"] not in Channel.values:
            errors["channel"] = "invalid_choice"
        if values["urgency"] and values["urgency"] not in Urgency.values:
            errors["urgency"] = "invalid_choice"
        if values["department"] and not Department.objects.filter(code=values["department"]):
            errors["department"] = "unknown"
        category = values["category"]
        if category and category != "-" and not Category.objects.filter(code=category):
            errors["category"] = "unknown"
        cause = values["root_cause"]
        if cause and cause != "-" and not RootCause.objects.filter(code=cause):
            errors["root_cause"] = "unknown"
        if errors:
            raise InvalidInput("invalid filters", fields=errors)
        return cls(start=days["start"], end=days["end"], **values)

    def cases(self, user) -> QuerySet[Case]:
        """The cases behind the figure, within what the user's figures count."""
        cases = period_cases(user, self.start, self.end)
        if self.department:
            path = Department.objects.get(code=self.department).path
            cases = cases.filter(department__path__startswith=path)
        if self.category == "-":
            cases = cases.filter(category__isnull=True)
        elif self.category:
            cases = cases.filter(category__code=self.category)
        if self.root_cause == "-":
            cases = cases.filter(root_cause__isnull=True)
        elif self.root_cause:
            cases = cases.filter(root_cause__code=self.root_cause)
        if self.q:
            cases = cases.filter(search_text__contains=self.q.lower())
        for name in ("channel", "district", "urgency"):
            if getattr(self, name):
                cases = cases.filter(**{name: getattr(self, name)})
        return cases.filter(component_filters()[self.measure])

    def described(self) -> list[str]:
        """The filters in words for the page ("客运服务部（含下级）", "热线电话" …)."""
        words = []
        if self.department:
            name = Department.objects.get(code=self.department).name
            words.append(_("%(name)s (and below)") % {"name": name})
        for value, model in ((self.category, Category), (self.root_cause, RootCause)):
            if value == "-":
                words.append(str(_("none recorded")))
            elif value:
                words.append(model.objects.get(code=value).name)
        if self.channel:
            words.append(str(Channel(self.channel).label))
        if self.urgency:
            words.append(str(Urgency(self.urgency).label))
        words += [v for v in (self.district, self.q) if v]
        return words

    def query(self, **changes) -> str:
        """The link's query string (empty filters and the default measure left out), with
        `changes` applied."""
        values = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        values = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
        if values["measure"] == "volume":
            del values["measure"]  # the default
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def link(start: date, end: date, **filters) -> str:
    """The query string of the drill-down to the cases behind a figure."""
    return DrillDown(start, end, **{k: v or "" for k, v in filters.items()}).query()
