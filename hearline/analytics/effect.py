"""The before/after of a corrective action in the slice it targets.

Before: the `HEARLINE_ACTION_WINDOW_DAYS` (90) days before it started. After: as many days
from its completion (from its start while it is still under way), up to yesterday. Both are
summed from the rollups of the cases registered in each window that fall in the targeted
categories, departments (with their subtrees) and districts; volume is shown
per 30 days so windows of different length compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from hearline.accounts.models import Department, User
from hearline.improvement.models import CorrectiveAction

from .models import Rollup
from .report import Slice, period_rows, slices

COMPARED = (
    "volume_per_30_days",
    "average_handling_hours",
    "median_handling_hours",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "reopen_rate",
)


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    measures: dict


def targeted(rows: QuerySet[Rollup], action: CorrectiveAction) -> QuerySet[Rollup]:
    """The rollup rows in the action's target slice: its categories × departments (with
    their subtrees) × districts, each unrestricted when empty. The root causes it addresses
    are for the record, not a filter: most cases are never tagged."""
    category_ids = list(action.categories.values_list("pk", flat=True))
    if category_ids:
        rows = rows.filter(category_id__in=category_ids)
    paths = list(action.target_departments.values_list("path", flat=True))
    if paths:
        inside = Q()
        for path in paths:
            inside |= Q(path__startswith=path)
        rows = rows.filter(
            department_id__in=Department.objects.filter(inside).values_list("pk", flat=True)
        )
    if action.districts:
        return rows.filter(district__in=action.districts)
    return rows


def _window(user: User | None, action: CorrectiveAction, start: date, end: date) -> Window:
    part = slices(targeted(period_rows(user, start, end), action), None).get(None, Slice())
    measures = part.measures()
    days = (end - start).days + 1
    measures["volume_per_30_days"] = round(measures["volume"] * 30 / days, 1)
    return Window(start, end, measures)


def _change(key: str, before, after):
    if before is None or after is None:
        return None
    if key.endswith("_rate"):
        return round((after - before) * 100, 1)  # percentage points
    return round((after - before) / before * 100, 1) if before else None


def before_after(user: User | None, action: CorrectiveAction, today: date | None = None) -> dict:
    """{"before": Window | None, "after": Window | None, "changes": {measure: change}}:
    rates change in percentage points, the others in per cent."""
    window = int(getattr(settings, "HEARLINE_ACTION_WINDOW_DAYS", 90))
    today = today or timezone.localdate()
    if action.start_date is None:
        return {"before": None, "after": None, "changes": {}}
    before = _window(
        user,
        action,
        action.start_date - timedelta(days=window),
        action.start_date - timedelta(days=1),
    )
    begin = action.done_on or action.start_date
    end = min(begin + timedelta(days=window - 1), today - timedelta(days=1))
    after = _window(user, action, begin, end) if end >= begin else None
    changes = {
        key: _change(key, before.measures[key], after.measures[key] if after else None)
        for key in COMPARED
    }
    return {"before": before, "after": after, "changes": changes}
