"""The measures departments are judged by, each defined once.

A period's figures are about the cases **registered** in it (a cohort): what happened to
them since is counted in, so a month's figures settle as its cases are answered and rated.

Every measure is computed from the same sums (`Components`): counts and totals that add up
across slices, so a department's subtree or a longer period is the sum of its parts and the
rates are taken at the end. `figures()` turns them into
the measures. The sums are kept per day and slice in the rollups (`rollup.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Measure:
    key: str
    label: StrOrPromise
    formula: StrOrPromise
    unit: str  # "cases", "rate" (0–1) or "hours"
    cases: str = "volume"  # the component whose cases a drill-down lists


MEASURES = (
    Measure("volume", _("Volume"), _("cases registered in the period"), "cases"),
    Measure(
        "response_rate",
        _("Response rate (响应率)"),
        _(
            "cases responded to (accepted or contacted) within the response deadline ÷ cases "
            "responded to or past that deadline; a reopened case is judged on its new cycle"
        ),
        "rate",
        "response_decided",
    ),
    Measure(
        "resolution_on_time_rate",
        _("Resolved on time"),
        _("cases replied to within the resolution deadline ÷ cases replied to or past it"),
        "rate",
        "resolution_decided",
    ),
    Measure(
        "resolution_rate",
        _("Resolution rate (解决率)"),
        _("cases the complainant says are solved ÷ cases with the complainant's answer"),
        "rate",
        "confirmed",
    ),
    Measure(
        "satisfaction_rate",
        _("Satisfaction rate (满意率)"),
        _("(satisfied + basically satisfied) ÷ rated cases"),
        "rate",
        "rated",
    ),
    Measure(
        "strict_satisfaction_rate",
        _("Satisfied only"),
        _("satisfied ÷ rated cases"),
        "rate",
        "rated",
    ),
    Measure(
        "average_handling_hours",
        _("Average handling time"),
        _(
            "working hours from registration to reply on the official calendar, suspensions "
            "excluded, averaged over the replied cases"
        ),
        "hours",
        "handled",
    ),
    Measure(
        "median_handling_hours",
        _("Median handling time"),
        _("the middle of the same working hours"),
        "hours",
        "handled",
    ),
    Measure(
        "reopen_rate",
        _("Reopen rate"),
        _("cases reopened at least once ÷ cases that had a reply"),
        "rate",
        "reopened",
    ),
    Measure(
        "repeat_rate",
        _("Repeat complaints"),
        _("cases from the same complainant about the same matter within 30 days ÷ volume"),
        "rate",
        "repeats",
    ),
    Measure(
        "on_spot_share",
        _("Closed on the spot"),
        _("cases answered at once by the agent ÷ volume"),
        "rate",
        "on_spot",
    ),
    Measure(
        "overdue",
        _("Overdue"),
        _("cases replied to after the resolution deadline, or still unanswered past it"),
        "cases",
        "overdue",
    ),
    Measure(
        "incident_cases",
        _("Incident cases"),
        _(
            "cases answered with a confirmed incident's bulletins and restoration notice: "
            "counted apart, outside the time-limit rates, handling times and overdue cases"
        ),
        "cases",
        "incident",
    ),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}


@dataclass
class Components:
    """The additive sums behind the measures, for one slice of cases."""

    volume: int = 0
    responded_on_time: int = 0
    response_decided: int = 0
    resolved_on_time: int = 0
    resolution_decided: int = 0
    solved: int = 0
    confirmed: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    rated: int = 0
    handling_minutes: int = 0
    handled: int = 0
    reopened: int = 0
    had_reply: int = 0
    repeats: int = 0
    on_spot: int = 0
    overdue: int = 0
    incident: int = 0

    def __add__(self, other: Components) -> Components:
        return Components(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(c: Components, median_hours: float | None = None) -> dict:
    """The measures of one slice from its sums (rates are None when nothing is counted)."""
    return {
        "volume": c.volume,
        "response_rate": _ratio(c.responded_on_time, c.response_decided),
        "resolution_on_time_rate": _ratio(c.resolved_on_time, c.resolution_decided),
        "resolution_rate": _ratio(c.solved, c.confirmed),
        "satisfaction_rate": _ratio(c.satisfied + c.basically_satisfied, c.rated),
        "strict_satisfaction_rate": _ratio(c.satisfied, c.rated),
        "average_handling_hours": (
            round(c.handling_minutes / c.handled / 60, 2) if c.handled else None
        ),
        "median_handling_hours": median_hours,
        "reopen_rate": _ratio(c.reopened, c.had_reply),
        "repeat_rate": _ratio(c.repeats, c.volume),
        "on_spot_share": _ratio(c.on_spot, c.volume),
        "overdue": c.overdue,
        "incident_cases": c.incident,
    }


def median_hours(bands: dict[int, int]) -> float | None:
    """The median handling time in hours from a histogram {band: replied cases}; each case
    counts at its band's lower bound (exact to the half hour below 10 hours)."""
    n = sum(bands.values())
    if not n:
        return None
    wanted, values, seen = {(n - 1) // 2, n // 2}, [], 0
    for band in sorted(bands):
        count = bands[band]
        values += [band] * len({w for w in wanted if seen <= w < seen + count})
        seen += count
    return round(sum(values) / len(values) / 60, 2)
