"""The working calendar of an organisation, built from its schedule and the overrides."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from hearline.accounts.models import Department, DepartmentKind
from hearline.core.cache import memo

from .calendar import DEFAULT_PERIODS, WorkingCalendar, parse_periods
from .models import CalendarOverride, CalendarYear, WorkingSchedule


def _organisation_chain(department: Department | None) -> list[int]:
    """Ids of the organisations at and above `department`, nearest first."""
    if department is None:
        return []
    ids = department.ancestor_ids()
    orgs = set(
        Department.objects.filter(pk__in=ids, kind=DepartmentKind.ORGANISATION).values_list(
            "pk", flat=True
        )
    )
    return [pk for pk in reversed(ids) if pk in orgs]


def calendar_for(department: Department | None = None) -> WorkingCalendar:
    """A fresh copy of the calendar for `department` (see `_calendar_for_path`)."""
    base = _calendar_for_path(department.path if department else "")
    return replace(base, missing_years=set())


@memo(seconds=60)
def _calendar_for_path(path: str) -> WorkingCalendar:
    """The calendar that counts time for cases of `department`: the schedule of the nearest
    organisation above it that has one (else 08:30–12:00, 13:30–17:30 in the settings' time
    zone), overrides of all its organisations (nearest wins) and of everyone."""
    department = Department.objects.filter(path=path).first() if path else None
    chain = _organisation_chain(department)
    schedule = None
    if chain:
        schedules = {
            s.organisation_id: s for s in WorkingSchedule.objects.filter(organisation_id__in=chain)
        }
        schedule = next((schedules[pk] for pk in chain if pk in schedules), None)
    overrides: dict = {}
    rank = {None: len(chain)} | {pk: i for i, pk in enumerate(chain)}
    rows = CalendarOverride.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id__in=chain)
    )
    for row in sorted(rows, key=lambda r: -rank[r.organisation_id]):
        overrides[row.date] = row.is_workday
    return WorkingCalendar(
        tz=ZoneInfo(schedule.time_zone if schedule else settings.TIME_ZONE),
        periods=parse_periods(schedule.periods) if schedule else DEFAULT_PERIODS,
        overrides=overrides,
        confirmed_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )


def default_calendar() -> WorkingCalendar:
    """The calendar of the top organisation (the one `hearline sla due` speaks for)."""
    root = Department.objects.filter(parent__isnull=True).order_by("pk").first()
    return calendar_for(root)


def calendar_warnings(now=None) -> list[int]:
    """Years that deadlines may reach soon (this year and, from October, the next) that have
    no official calendar yet: supervisors and admins are warned about these."""
    now = timezone.localtime(now)
    years = [now.year] + ([now.year + 1] if now.month >= 10 else [])
    calendar = default_calendar()
    return [year for year in years if not calendar.year_is_covered(year)]
