"""The request and response bodies of the incident endpoints (`hearline.api.incidents`)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from .dates import Day, Moment


class AreaIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=120)
    summary: str | None = Field(None, max_length=5000)
    districts: list[str] | None = Field(None, max_length=100)
    centre_lat: float | None = Field(None, ge=-90, le=90)
    centre_lng: float | None = Field(None, ge=-180, le=180)
    radius_m: int | None = Field(None, ge=50, le=100_000)
    polygon: list[list[float]] | None = Field(None, max_length=1000)
    expected_restoration_at: Moment | None = None
    measures: str | None = Field(None, max_length=5000)
    bulletin_interval_hours: int | None = Field(None, ge=1, le=48)


class OpenIn(AreaIn):
    title: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(..., max_length=40, description="incident kind code, e.g. water-supply")
    started_at: Moment | None = None


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class LinksIn(Schema):
    cases: list[str] = Field(..., min_length=1, max_length=500)


class OwnNeedsIn(Schema):
    own_needs: bool


class BulletinIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)
    expected_restoration_at: Moment | None = None
    measures: str | None = Field(None, max_length=5000)


class CloseIn(Schema):
    notice: str = Field(..., min_length=1, max_length=5000)
    finding: str = Field(..., min_length=1, max_length=5000)
    resolution: str = Field(..., min_length=1, max_length=5000)
    resolution_type: str = "repair"
    restored_at: Moment | None = Field(
        None,
        description="when the service came back, ISO 8601 with offset (default: now); "
        "not in the future, not before the incident started",
    )


class CorrectiveIn(Schema):
    what: str = Field(..., min_length=1, max_length=300)
    due_date: Day | None = None
    start_date: Day | None = None
    districts: list[str] | None = Field(None, max_length=100)


class ReviewIn(Schema):
    summary: str = Field(..., min_length=1, max_length=10000)
    corrective_actions: list[CorrectiveIn] = Field(default_factory=list, max_length=50)


class SupportIn(Schema):
    complainant_id: int
    what: str = Field(..., min_length=1, max_length=200)
    note: str = Field("", max_length=300)


class DeliveriesOut(Schema):
    people: int
    sent: int
    pending: int
    failed: int
    unreachable: int


class BulletinOut(Schema):
    seq: int
    text: str
    published_at: datetime
    expected_restoration_at: datetime | None
    measures: str
    restoration: bool
    on_time: bool
    deliveries: DeliveriesOut


class IncidentSummaryOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    started_at: datetime
    expected_restoration_at: datetime | None
    next_bulletin_due_at: datetime | None
    districts: list[str]
    linked_cases: int


class AreaOut(Schema):
    districts: list[str]
    centre_lat: float | None
    centre_lng: float | None
    radius_m: int | None
    polygon: list[list[float]]


class IncidentOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    detected_by: str
    summary: str
    area: AreaOut
    started_at: datetime
    expected_restoration_at: datetime | None
    measures: str
    bulletin_interval_hours: int
    next_bulletin_due_at: datetime | None
    coordinator: str | None
    resolved_at: datetime | None
    cases: list[str]
    cases_waiting: int
    bulletins: list[BulletinOut]
    review: dict


class IncidentPage(Schema):
    items: list[IncidentSummaryOut]


class HouseholdOut(Schema):
    complainant_id: int
    name: str
    phone: str
    address: str
    needs: list[str]
    linked: bool
    cases: list[str]
    deliveries: list[str]


class IncidentFilters(Schema):
    state: str | None = None
    limit: int = Field(50, ge=1, le=200)
