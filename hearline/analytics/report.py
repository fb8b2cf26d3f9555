"""Measures by slice and the department scorecard, over the cases a user may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from hearline.accounts.models import Department, DepartmentKind, User
from hearline.accounts.roles import Role
from hearline.cases.models import Case, Category, Channel
from hearline.cases.queries import cases_visible_to
from hearline.cases.workflow import InvalidInput, NotAllowed

from .measures import Components, components, figures, median_handling_hours

ANALYST_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})
SLICES = ("department", "category", "channel", "district", "urgency")
MAX_DAYS = 3 * 366


def period_cases(user: User, start: date, end: date) -> QuerySet[Case]:
    """The cases the user may see registered from `start` to `end` (inclusive, local days).
    Raises NotAllowed for users without an analyst role and InvalidInput for a bad range."""
    if not (user.is_superuser or user.roles & ANALYST_ROLES):
        raise NotAllowed("analytics are for managers, supervisors and administrators")
    if end < start:
        raise InvalidInput("the period ends before it starts", fields={"end": "before_start"})
    if (end - start).days > MAX_DAYS or end >= date.max - timedelta(days=1):
        raise InvalidInput("the period is too long", fields={"end": "too_far"})
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return cases_visible_to(user).filter(registered_at__gte=since, registered_at__lt=until)


def _labels(by: str, keys) -> dict:
    if by == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "category":
        return dict(Category.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "channel":
        return {k: str(v) for k, v in Channel.choices}
    return {}


def _codes(by: str, keys) -> dict:
    if by == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "code"))
    if by == "category":
        return dict(Category.objects.filter(pk__in=keys).values_list("pk", "code"))
    return {k: k for k in keys}


def measures_by(user: User, start: date, end: date, by: str) -> list[dict]:
    """The measures per value of `by` (department, category, channel, district, urgency),
    largest volume first; cases without a value form the slice `None`."""
    if by not in SLICES:
        raise InvalidInput("unknown slice", fields={"by": "invalid_choice"})
    cases = period_cases(user, start, end)
    field = {"department": "department_id", "category": "category_id"}.get(by, by)
    sums = components(cases, by=field)
    labels, codes = _labels(by, list(sums)), _codes(by, list(sums))
    rows = []
    for key, part in sums.items():
        slice_cases = cases.filter(**{field: key})
        rows.append(
            {
                "key": codes.get(key, key) if key not in (None, "") else None,
                "label": labels.get(key, key) or "—",
                "measures": figures(part, median_handling_hours(slice_cases)),
            }
        )
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


def scorecard(user: User, start: date, end: date) -> list[dict]:
    """Each organisation and department (with its subtree) that has cases in the period:
    its measures and score, ranked best first (those without a score last)."""
    cases = period_cases(user, start, end)
    sums = components(cases, by="department_id")
    departments = list(
        Department.objects.filter(parent__isnull=False).exclude(kind=DepartmentKind.UNIT)
    )
    paths = dict(Department.objects.filter(pk__in=list(sums)).values_list("pk", "path"))
    rows = []
    for department in departments:
        inside = [pk for pk, path in paths.items() if path.startswith(department.path)]
        if not inside:
            continue
        total = sum((sums[pk] for pk in inside), Components())
        measures = figures(total, median_handling_hours(cases.filter(department_id__in=inside)))
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
