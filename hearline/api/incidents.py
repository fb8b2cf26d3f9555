"""Incidents in the REST API: list and read them; the coordinator's actions (confirm or
dismiss a proposal, open one by hand, change it, link and unlink cases, publish bulletins,
close with the restoration notice, review) and the vulnerable households."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from hearline.incidents import actions
from hearline.incidents.models import Bulletin, Incident
from hearline.incidents.queries import access_incident, incidents_visible_to
from hearline.incidents.vulnerable import do_view_households
from hearline.incidents.workflow import IncidentState
from hearline.notify.models import MessageStatus

from .auth import API_AUTH
from .schemas import ERRORS

router = Router(tags=["incidents"], auth=API_AUTH)
STATE_ORDER = ["proposed", "open", "stabilising", "resolved", "reviewed", "dismissed"]


class AreaIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=120)
    summary: str | None = Field(None, max_length=5000)
    districts: list[str] | None = Field(None, max_length=100)
    centre_lat: float | None = Field(None, ge=-90, le=90)
    centre_lng: float | None = Field(None, ge=-180, le=180)
    radius_m: int | None = Field(None, ge=50, le=100_000)
    polygon: list[list[float]] | None = Field(None, max_length=1000)
    expected_restoration_at: datetime | None = None
    measures: str | None = Field(None, max_length=5000)
    bulletin_interval_hours: int | None = Field(None, ge=1, le=48)


class OpenIn(AreaIn):
    title: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(..., max_length=40, description="incident kind code, e.g. water-supply")
    started_at: datetime | None = None


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class LinksIn(Schema):
    cases: list[str] = Field(..., min_length=1, max_length=500)


class OwnNeedsIn(Schema):
    own_needs: bool


class BulletinIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)
    expected_restoration_at: datetime | None = None
    measures: str | None = Field(None, max_length=5000)


class CloseIn(Schema):
    notice: str = Field(..., min_length=1, max_length=5000)
    finding: str = Field(..., min_length=1, max_length=5000)
    resolution: str = Field(..., min_length=1, max_length=5000)
    resolution_type: str = "repair"


class CorrectiveIn(Schema):
    what: str = Field(..., min_length=1, max_length=300)
    due_date: date | None = None
    start_date: date | None = None
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


def _deliveries(bulletin_ids: list[int]) -> dict[int, dict]:
    rows = (
        Bulletin.objects.filter(pk__in=bulletin_ids)
        .annotate(
            people=Count("deliveries"),
            sent=Count("deliveries", filter=Q(deliveries__message__status=MessageStatus.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__message__status=MessageStatus.FAILED)),
            unreachable=Count("deliveries", filter=Q(deliveries__message__isnull=True)),
        )
        .values("pk", "people", "sent", "failed", "unreachable")
    )
    return {
        r["pk"]: {**r, "pending": r["people"] - r["sent"] - r["failed"] - r["unreachable"]}
        for r in rows
    }


def incident_out(incident: Incident) -> dict:
    """One incident with its area, linked case numbers, bulletins and delivery counts."""
    from hearline.incidents.detection import UNANSWERED

    bulletins = list(incident.bulletins.order_by("seq"))
    counts = _deliveries([b.pk for b in bulletins])
    links = incident.links.select_related("case").order_by("linked_at", "pk")
    return {
        "id": incident.pk,
        "title": incident.title,
        "kind": incident.kind.code,
        "state": incident.state,
        "detected_by": incident.detected_by,
        "summary": incident.summary,
        "area": {
            "districts": incident.districts,
            "centre_lat": incident.centre_lat,
            "centre_lng": incident.centre_lng,
            "radius_m": incident.radius_m,
            "polygon": incident.polygon,
        },
        "started_at": incident.started_at,
        "expected_restoration_at": incident.expected_restoration_at,
        "measures": incident.measures,
        "bulletin_interval_hours": incident.bulletin_interval_hours,
        "next_bulletin_due_at": incident.next_bulletin_due_at,
        "coordinator": incident.coordinator.username if incident.coordinator_id else None,
        "resolved_at": incident.resolved_at,
        "cases": [link.case.tracking_number for link in links],
        "cases_waiting": links.filter(case__state__in=UNANSWERED).count(),
        "bulletins": [
            {
                "seq": b.seq,
                "text": b.text,
                "published_at": b.published_at,
                "expected_restoration_at": b.expected_restoration_at,
                "measures": b.measures,
                "restoration": b.restoration,
                "on_time": b.on_time,
                "deliveries": {
                    k: counts.get(b.pk, {}).get(k, 0)
                    for k in ("people", "sent", "pending", "failed", "unreachable")
                },
            }
            for b in bulletins
        ],
        "review": incident.review,
    }


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _area_values(body: AreaIn) -> dict:
    values = body.dict(exclude_unset=True)
    for name in ("expected_restoration_at", "started_at"):
        if name in values:
            values[name] = _aware(values[name])
    return values


def _read(request, incident_id: int) -> dict:
    return incident_out(access_incident(request.user, incident_id))


class IncidentFilters(Schema):
    state: str | None = None
    limit: int = Field(50, ge=1, le=200)


@router.get("/incidents", response={200: IncidentPage, **ERRORS}, summary="List incidents")
def list_incidents(request, filters: Query[IncidentFilters]):
    """Incidents the caller may see, proposed and open first, then by start (newest first)."""
    from django.db.models import Case as Ranked
    from django.db.models import IntegerField, Value, When

    from hearline.cases.workflow import InvalidInput

    qs = incidents_visible_to(request.user).select_related("kind")
    if filters.state:
        if filters.state not in IncidentState.values:
            raise InvalidInput("unknown state", fields={"state": "invalid_choice"})
        qs = qs.filter(state=filters.state)
    rank = Ranked(
        *[When(state=s, then=Value(i)) for i, s in enumerate(STATE_ORDER)],
        output_field=IntegerField(),
    )
    qs = qs.annotate(rank=rank, n=Count("links")).order_by("rank", "-started_at", "-id")
    return {
        "items": [
            {
                "id": i.pk,
                "title": i.title,
                "kind": i.kind.code,
                "state": i.state,
                "started_at": i.started_at,
                "expected_restoration_at": i.expected_restoration_at,
                "next_bulletin_due_at": i.next_bulletin_due_at,
                "districts": i.districts,
                "linked_cases": i.n,
            }
            for i in qs[: filters.limit]
        ]
    }


@router.post("/incidents", response={201: IncidentOut, **ERRORS}, summary="Open an incident")
def open_incident(request, body: OpenIn):
    """A coordinator opens an incident by hand; they coordinate it."""
    incident = actions.do_open_incident(request.user, **_area_values(body))
    return Status(201, incident_out(incident))


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **ERRORS}, summary="Read one")
def read_incident(request, incident_id: int):
    """State, area, linked case numbers, bulletins with delivery counts, review."""
    return _read(request, incident_id)


@router.patch(
    "/incidents/{incident_id}", response={200: IncidentOut, **ERRORS}, summary="Change it"
)
def update_incident(request, incident_id: int, body: AreaIn):
    """Title, summary, area, expected restoration, temporary measures, bulletin interval."""
    actions.do_update_incident(request.user, incident_id, **_area_values(body))
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/confirm",
    response={200: IncidentOut, **ERRORS},
    summary="Confirm a proposed incident",
)
def confirm(request, incident_id: int, body: AreaIn):
    """A proposal becomes an open incident run by the caller; the fields given apply."""
    actions.do_confirm_incident(request.user, incident_id, **_area_values(body))
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/dismiss",
    response={200: IncidentOut, **ERRORS},
    summary="Dismiss a proposal",
)
def dismiss(request, incident_id: int, body: ReasonIn):
    """Not an incident: the proposal's links are removed."""
    actions.do_dismiss_incident(request.user, incident_id, reason=body.reason)
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/stabilise",
    response={200: IncidentOut, **ERRORS},
    summary="Mark the situation under control",
)
def stabilise(request, incident_id: int):
    """The situation is under control; bulletins continue until restoration."""
    actions.do_stabilise_incident(request.user, incident_id)
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/links",
    response={200: IncidentOut, **ERRORS},
    summary="Link cases by tracking number",
)
def link(request, incident_id: int, body: LinksIn):
    """Open cases in the area (or visible to the caller) not in another incident."""
    actions.do_link_cases(request.user, incident_id, body.cases)
    return _read(request, incident_id)


@router.delete(
    "/incidents/{incident_id}/links/{number}",
    response={200: IncidentOut, **ERRORS},
    summary="Unlink a case",
)
def unlink(request, incident_id: int, number: str, reason: str = Query(..., min_length=1)):
    """The case was about something else; it is handled on its own."""
    actions.do_unlink_case(request.user, incident_id, number, reason=reason)
    return _read(request, incident_id)


@router.put(
    "/incidents/{incident_id}/links/{number}/own-needs",
    response={200: IncidentOut, **ERRORS},
    summary="Mark a linked case as needing more than the restoration",
)
def own_needs(request, incident_id: int, number: str, body: OwnNeedsIn):
    """A case needing more than the restoration stays open when the incident closes."""
    actions.do_mark_own_needs(request.user, incident_id, number, own_needs=body.own_needs)
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/bulletins",
    response={201: BulletinOut, **ERRORS},
    summary="Publish a bulletin",
)
def publish(request, incident_id: int, body: BulletinIn):
    """Shown at once on the public page and the linked cases' progress pages, and sent
    once to each linked complainant."""
    bulletin = actions.do_publish_bulletin(
        request.user,
        incident_id,
        text=body.text,
        expected_restoration_at=_aware(body.expected_restoration_at),
        measures=body.measures,
    )
    read = incident_out(access_incident(request.user, incident_id))
    return Status(201, next(b for b in read["bulletins"] if b["seq"] == bulletin.seq))


@router.post(
    "/incidents/{incident_id}/close",
    response={200: IncidentOut, **ERRORS},
    summary="Restoration notice: close the incident and reply to its cases",
)
def close(request, incident_id: int, body: CloseIn):
    """The restoration notice is published and becomes the reply of every linked case still
    waiting for one."""
    actions.do_close_incident(request.user, incident_id, **body.dict())
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/review",
    response={200: IncidentOut, **ERRORS},
    summary="Record the post-incident review",
)
def review(request, incident_id: int, body: ReviewIn):
    """Summary, figures, timeline and corrective actions of a resolved incident."""
    actions.do_review_incident(
        request.user,
        incident_id,
        summary=body.summary,
        corrective_actions=[a.dict() for a in body.corrective_actions],
    )
    return _read(request, incident_id)


@router.get(
    "/incidents/{incident_id}/households",
    response={200: list[HouseholdOut], **ERRORS},
    summary="Vulnerable households (personal data; each call is logged)",
)
def households(request, incident_id: int):
    """For the incident's coordinators only; each household shown is logged."""
    rows = do_view_households(request.user, incident_id)
    return [
        {
            "complainant_id": h.complainant_id,
            "name": h.name,
            "phone": h.phone,
            "address": h.address,
            "needs": h.needs,
            "linked": h.linked,
            "cases": h.cases,
            "deliveries": [s.what for s in h.supports],
        }
        for h in rows
    ]


@router.post(
    "/incidents/{incident_id}/supports",
    response={201: dict, **ERRORS},
    summary="Record a delivery to a vulnerable household",
)
def support(request, incident_id: int, body: SupportIn):
    """Help brought to one of the incident's households (送水上门 …)."""
    made = actions.do_record_support(
        request.user,
        incident_id,
        complainant_id=body.complainant_id,
        what=body.what,
        note=body.note,
    )
    return Status(201, {"id": made.pk, "delivered_at": made.delivered_at.isoformat()})
