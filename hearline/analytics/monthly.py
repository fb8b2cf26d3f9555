"""The monthly report: a month's measures against the month before and the same month last
year, the daily trend, the scorecard, hotspots, root causes, rising terms and the corrective
actions under way; as a page, as a PDF, and archived on the 1st of each month."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from hearline.accounts.models import User
from hearline.improvement.models import ActionStatus, CorrectiveAction

from . import dashboard as panels
from .effect import before_after
from .models import DepartmentDay, HotspotDay, MonthlyReport
from .report import Slice, period_rows, scope_of, scorecard, slices
from .terms import rising


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month containing `month`."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def last_month(today: date | None = None) -> date:
    """The first day of the month before `today`'s."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _measures(user: User | None, start: date, end: date) -> dict:
    return slices(period_rows(user, start, end, DepartmentDay), None).get(None, Slice()).measures()


def report_data(user: User | None, month: date) -> dict:
    """Everything the monthly report shows, for the departments the user's figures count
    (None: the whole organisation)."""
    start, end = month_bounds(month)
    previous = month_bounds(start - timedelta(days=1))
    last_year = panels.comparison_period(start, end, "last_year")
    assert last_year is not None  # a comparison with last year always has a period
    rows = period_rows(user, start, end, DepartmentDay)
    counts = panels.volumes(period_rows(user, start, end, HotspotDay))
    counts_before = panels.volumes(period_rows(user, *previous, HotspotDay))
    listed = CorrectiveAction.objects.exclude(status=ActionStatus.DROPPED).filter(
        created_at__date__lte=end
    )
    actions = [
        a
        for a in listed.select_related("owner", "department")
        if a.status != ActionStatus.DONE or (a.done_on and a.done_on >= start)
    ]
    return {
        "month": start,
        "period": (start, end),
        "measures": _measures(user, start, end),
        "previous": _measures(user, *previous),
        "last_year": _measures(user, *last_year),
        "trend": panels.trend(rows, start, end, "day"),
        "scorecard": scorecard(user, start, end),
        "categories": panels.top_changes(counts, counts_before, "category_id"),
        "districts": panels.top_changes(counts, counts_before, "district"),
        "causes": panels.top_changes(counts, counts_before, "root_cause_id"),
        "terms": rising(start, end) if scope_of(user) is None else None,
        "actions": [
            {"action": a, "effect": before_after(user, a, today=end + timedelta(days=1))}
            for a in actions
        ],
    }


def do_archive_monthly_report(month: date) -> MonthlyReport:
    """Render the month's report for the whole organisation to PDF and keep it (a second
    run replaces it). Run by the schedule and by `hearline analytics report`."""
    from .pdf import render_pdf  # reportlab: loaded only when a report is rendered

    start, _end = month_bounds(month)
    pdf = render_pdf(report_data(None, start))
    with transaction.atomic():
        report, _created = MonthlyReport.objects.update_or_create(
            month=start, defaults={"pdf": pdf, "generated_at": timezone.now()}
        )
    return report
