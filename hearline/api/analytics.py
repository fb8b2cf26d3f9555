"""Analytics in the REST API: the measures by slice and the department scorecard."""

from __future__ import annotations

from ninja import Query, Router, Schema

from hearline.analytics.report import measures_by, scorecard

from .auth import API_AUTH
from .dates import Day
from .schemas import ERRORS

router = Router(tags=["analytics"], auth=API_AUTH)


class MeasuresOut(Schema):
    volume: int
    response_rate: float | None
    resolution_on_time_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    strict_satisfaction_rate: float | None
    average_handling_hours: float | None
    median_handling_hours: float | None
    reopen_rate: float | None
    repeat_rate: float | None
    on_spot_share: float | None
    overdue: int


class ScoreOut(Schema):
    rank: int
    department: str
    name: str
    score: float | None
    measures: MeasuresOut


class SliceOut(Schema):
    key: str | int | None
    label: str
    measures: MeasuresOut


class Period(Schema):
    start: Day
    end: Day


class SlicedPeriod(Period):
    by: str = "department"


@router.get(
    "/analytics/scorecard",
    response={200: list[ScoreOut], **ERRORS},
    summary="Department scorecard for a period",
)
def get_scorecard(request, period: Query[Period]):
    """Each organisation and department (with its subtree) ranked by its weighted score of
    response, resolution and satisfaction rates less penalties for overdue and reopened
    cases; over the cases registered from `start` to `end` (inclusive)."""
    return scorecard(request.user, period.start, period.end)


@router.get(
    "/analytics/measures",
    response={200: list[SliceOut], **ERRORS},
    summary="Measures by department, category, channel, district, urgency or root cause",
)
def get_measures(request, period: Query[SlicedPeriod]):
    """The measures of the cases registered from `start` to `end` (inclusive), one row per
    value of `by`, largest volume first."""
    return measures_by(request.user, period.start, period.end, period.by)
