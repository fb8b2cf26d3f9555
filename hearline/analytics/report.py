"""Measures by slice and the department scorecard, summed from the rollups over the
departments a user may see."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from hearline.accounts.models import Department, DepartmentKind, User
from hearline.accounts.roles import Role
from hearline.cases.models import Case, Category, Channel, Urgency
from hearline.cases.queries import visibility_rule
from hearline.cases.workflow import InvalidInput, NotAllowed
from hearline.improvement.models import RootCause

from .measures import Components, figures, median_hours
from .models import DepartmentDay, Rollup, Sums

ANALYST_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})
SLICES = ("department", "category", "channel", "district", "urgency", "root_cause")
COLUMN = {"department": "department_id", "category": "category_id", "root_cause": "root_cause_id"}
MAX_DAYS = 3 * 366
SUMS = tuple(f.name for f in fields(Components))


@dataclass
class Slice:
    """The sums of one slice and its histogram of handling-time bands."""

    sums: Components = field(default_factory=Components)
    bands: Counter = field(default_factory=Counter)

    def __add__(self, other: Slice) -> Slice:
        return Slice(self.sums + other.sums, self.bands + other.bands)

    def measures(self) -> dict:
        return figures(self.sums, median_hours(self.bands))


def check_period(user: User | None, start: date, end: date) -> None:
    """Raises NotAllowed for users without an analyst role and InvalidInput for a bad range
    (`user` None: Hearline itself, e.g. the scheduled monthly report)."""
    if user is not None and not (user.is_superuser or user.roles & ANALYST_ROLES):
        raise NotAllowed("analytics are for managers, supervisors and administrators")
    if end < start:
        raise InvalidInput("the period ends before it starts", fields={"end": "before_start"})
    if (end - start).days > MAX_DAYS or end >= date.max - timedelta(days=1):
        raise InvalidInput("the period is too long", fields={"end": "too_far"})


def scope_of(user: User | None) -> list[int] | None:
    """The departments whose cases the user's figures count (None: all): Hearline's own
    (`user` None), an administrator's or a root department's everything, otherwise the
    user's department and those below."""
    if user is None or visibility_rule(user) is None:
        return None
    if user.department is None:
        return []
    return list(
        Department.objects.filter(path__startswith=user.department.path).values_list(
            "pk", flat=True
        )
    )


def period_rows(user: User | None, start: date, end: date, table=Rollup) -> QuerySet:
    """The rows of `table` (Rollup, or one of its projections DepartmentDay and
    HotspotDay) of the days `start` to `end` (inclusive, local) in the user's scope."""
    check_period(user, start, end)
    rows = table.objects.filter(day__gte=start, day__lte=end)
    scope = scope_of(user)
    return rows if scope is None else rows.filter(department_id__in=scope)


def period_cases(user: User, start: date, end: date) -> QuerySet[Case]:
    """The cases behind the figures: registered from `start` to `end` in the user's scope."""
    check_period(user, start, end)
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    cases = Case.objects.filter(registered_at__gte=since, registered_at__lt=until)
    scope = scope_of(user)
    return cases if scope is None else cases.filter(department_id__in=scope)


def slices(rows: QuerySet[Sums], column: str | None) -> dict:
    """{value of `column` (or None for everything): Slice} summed from rollup rows by the
    database: one query for the sums per value, one for the handling-time histogram."""
    rows = rows.order_by()
    totals = {f"sum_{name}": Sum(name) for name in SUMS}

    def part(row: dict) -> Slice:
        return Slice(Components(**{name: row[f"sum_{name}"] or 0 for name in SUMS}))

    out: dict = defaultdict(Slice)
    if column is None:
        found = rows.aggregate(**totals)
        if found["sum_volume"]:
            out[None] = part(found)
    else:
        for row in rows.values(column).annotate(**totals):
            out[row[column]] = part(row)
    group = [column, "band"] if column else ["band"]
    handled = rows.filter(handled__gt=0).values_list(*group).annotate(n=Sum("handled"))
    for *key, band, n in handled:
        out[key[0] if column else None].bands[band] += n
    return out


def _labels(by: str, keys) -> dict:
    if by == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "category":
        return dict(Category.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "root_cause":
        return dict(RootCause.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "channel":
        return {k: str(v) for k, v in Channel.choices}
    if by == "urgency":
        return {k: str(v) for k, v in Urgency.choices}
    return {}


def _codes(by: str, keys) -> dict:
    if by == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "code"))
    if by == "category":
        return dict(Category.objects.filter(pk__in=keys).values_list("pk", "code"))
    if by == "root_cause":
        return dict(RootCause.objects.filter(pk__in=keys).values_list("pk", "code"))
    return {k: k for k in keys}


def measures_by(user: User, start: date, end: date, by: str) -> list[dict]:
    """The measures per value of `by` (department, category, channel, district, urgency,
    root cause),
    largest volume first; cases without a value form the slice `None`."""
    if by not in SLICES:
        raise InvalidInput("unknown slice", fields={"by": "invalid_choice"})
    parts = slices(period_rows(user, start, end), COLUMN.get(by, by))
    labels, codes = _labels(by, list(parts)), _codes(by, list(parts))
    rows = [
        {
            "key": codes.get(key) if key not in (0, "") else None,
            "label": labels.get(key, key) or "—",
            "measures": part.measures(),
        }
        for key, part in parts.items()
        if part.sums.volume
    ]
    rows.sort(key=lambda r: -r["measures"]["volume"])
    return rows


def score(measures: dict) -> float | None:
    """The weighted score (0–100) of `HEARLINE_SCORECARD_WEIGHTS`: the weighted mean of the
    response, resolution and satisfaction rates that exist, minus the penalties for the share
    of overdue cases and the reopen rate (each in points per percentage point)."""
    weights = settings.HEARLINE_SCORECARD_WEIGHTS
    rated = [
        (weights[name], measures[name])
        for name in ("response_rate", "resolution_rate", "satisfaction_rate")
        if measures[name] is not None and weights.get(name)
    ]
    if not rated:
        return None
    base = 100 * sum(w * v for w, v in rated) / sum(w for w, _ in rated)
    volume = measures["volume"] or 1
    penalty = weights.get("overdue_penalty", 0) * 100 * measures["overdue"] / volume
    penalty += weights.get("reopen_penalty", 0) * 100 * (measures["reopen_rate"] or 0)
    return round(max(0.0, base - penalty), 1)


def scorecard(user: User | None, start: date, end: date) -> list[dict]:
    """Each organisation and department (with its subtree) that has cases in the period:
    its measures and score, ranked best first (those without a score last)."""
    parts = slices(period_rows(user, start, end, DepartmentDay), "department_id")
    departments = list(
        Department.objects.filter(parent__isnull=False).exclude(kind=DepartmentKind.UNIT)
    )
    paths = dict(Department.objects.filter(pk__in=list(parts)).values_list("pk", "path"))
    rows: list[dict[str, Any]] = []
    for department in departments:
        inside = [parts[pk] for pk, path in paths.items() if path.startswith(department.path)]
        total = sum(inside, Slice())
        if not total.sums.volume:
            continue
        measures = total.measures()
        rows.append(
            {
                "department": department.code,
                "name": department.name,
                "measures": measures,
                "score": score(measures),
            }
        )
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["department"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows
