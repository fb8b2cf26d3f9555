"""Incidents in the REST API: list and read them; the coordinator's actions (confirm or
dismiss a proposal, open one by hand, change it, link and unlink cases, publish bulletins,
close with the restoration notice, review) and the vulnerable households."""

from __future__ import annotations

from django.db.models import Count
from ninja import Query, Router
from ninja.responses import Status

from hearline.cases.workflow import InvalidInput, State
from hearline.incidents import actions
from hearline.incidents.models import Incident
from hearline.incidents.queries import (
    access_incident,
    delivery_counts,
    incidents_visible_to,
    proposed_and_running_first,
)
from hearline.incidents.workflow import IncidentState

from .auth import API_AUTH
from .incident_schemas import (
    AreaIn,
    BulletinIn,
    BulletinOut,
    CloseIn,
    HouseholdOut,
    IncidentFilters,
    IncidentOut,
    IncidentPage,
    LinksIn,
    OpenIn,
    OwnNeedsIn,
    ReasonIn,
    ReviewIn,
    SupportIn,
)
from .schemas import ERRORS

router = Router(tags=["incidents"], auth=API_AUTH)


def incident_out(incident: Incident) -> dict:
    """One incident with its area, linked case numbers, bulletins and delivery counts."""

    bulletins = list(incident.bulletins.order_by("seq"))
    counts = delivery_counts(incident.bulletins.all())
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
        "coordinator": incident.coordinator.username if incident.coordinator is not None else None,
        "resolved_at": incident.resolved_at,
        "cases": [link.case.tracking_number for link in links],
        "cases_waiting": links.filter(case__state__in=State.UNANSWERED).count(),
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


def _read(request, incident_id: int) -> dict:
    return incident_out(access_incident(request.user, incident_id))


@router.get("/incidents", response={200: IncidentPage, **ERRORS}, summary="List incidents")
def list_incidents(request, filters: Query[IncidentFilters]):
    """Incidents the caller may see, proposed and open first, then by start (newest first)."""
    qs = incidents_visible_to(request.user).select_related("kind")
    if filters.state:
        if filters.state not in IncidentState.values:
            raise InvalidInput("unknown state", fields={"state": "invalid_choice"})
        qs = qs.filter(state=filters.state)
    qs = proposed_and_running_first(qs).annotate(n=Count("links"))
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
    incident = actions.do_open_incident(**body.dict(exclude_unset=True), acting_user=request.user)
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
    actions.do_update_incident(
        incident_id, **body.dict(exclude_unset=True), acting_user=request.user
    )
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/confirm",
    response={200: IncidentOut, **ERRORS},
    summary="Confirm a proposed incident",
)
def confirm(request, incident_id: int, body: AreaIn):
    """A proposal becomes an open incident run by the caller; the fields given apply."""
    actions.do_confirm_incident(
        incident_id, **body.dict(exclude_unset=True), acting_user=request.user
    )
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/dismiss",
    response={200: IncidentOut, **ERRORS},
    summary="Dismiss a proposal",
)
def dismiss(request, incident_id: int, body: ReasonIn):
    """Not an incident: the proposal's links are removed."""
    actions.do_dismiss_incident(incident_id, reason=body.reason, acting_user=request.user)
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/stabilise",
    response={200: IncidentOut, **ERRORS},
    summary="Mark the situation under control",
)
def stabilise(request, incident_id: int):
    """The situation is under control; bulletins continue until restoration."""
    actions.do_stabilise_incident(incident_id, acting_user=request.user)
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/join",
    response={200: IncidentOut, **ERRORS},
    summary="Join the incident with the caller's organisation",
)
def join(request, incident_id: int):
    """A coordinator of an organisation the incident does not reach joins it: its cases come
    within the incident's reach (linking, replies, households) and its coordinators co-run
    it. 409 when the incident reaches the organisation already."""
    actions.do_join_incident(incident_id, acting_user=request.user)
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/links",
    response={200: IncidentOut, **ERRORS},
    summary="Link cases by tracking number",
)
def link(request, incident_id: int, body: LinksIn):
    """Open cases in the area (or visible to the caller) not in another incident."""
    actions.do_link_cases(incident_id, body.cases, acting_user=request.user)
    return _read(request, incident_id)


@router.delete(
    "/incidents/{incident_id}/links/{number}",
    response={200: IncidentOut, **ERRORS},
    summary="Unlink a case",
)
def unlink(request, incident_id: int, number: str, reason: str = Query(..., min_length=1)):
    """The case was about something else; it is handled on its own."""
    actions.do_unlink_case(incident_id, number, reason=reason, acting_user=request.user)
    return _read(request, incident_id)


@router.put(
    "/incidents/{incident_id}/links/{number}/own-needs",
    response={200: IncidentOut, **ERRORS},
    summary="Mark a linked case as needing more than the restoration",
)
def own_needs(request, incident_id: int, number: str, body: OwnNeedsIn):
    """A case needing more than the restoration stays open when the incident closes."""
    actions.do_mark_own_needs(
        incident_id, number, own_needs=body.own_needs, acting_user=request.user
    )
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
        incident_id,
        text=body.text,
        expected_restoration_at=body.expected_restoration_at,
        measures=body.measures,
        acting_user=request.user,
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
    waiting for one; `restored_at` (default: now) is the incident's `resolved_at`."""
    actions.do_close_incident(incident_id, **body.dict(), acting_user=request.user)
    return _read(request, incident_id)


@router.post(
    "/incidents/{incident_id}/review",
    response={200: IncidentOut, **ERRORS},
    summary="Record the post-incident review",
)
def review(request, incident_id: int, body: ReviewIn):
    """Summary, figures, timeline and corrective actions of a resolved incident."""
    actions.do_review_incident(
        incident_id,
        summary=body.summary,
        corrective_actions=[a.dict() for a in body.corrective_actions],
        acting_user=request.user,
    )
    return _read(request, incident_id)


@router.get(
    "/incidents/{incident_id}/households",
    response={200: list[HouseholdOut], **ERRORS},
    summary="Vulnerable households (personal data; each call is logged)",
)
def households(request, incident_id: int):
    """For the incident's coordinators only; each household shown is logged."""
    rows = actions.do_view_households(incident_id, acting_user=request.user)
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
        incident_id,
        complainant_id=body.complainant_id,
        what=body.what,
        note=body.note,
        acting_user=request.user,
    )
    return Status(201, {"id": made.pk, "delivered_at": made.delivered_at.isoformat()})
