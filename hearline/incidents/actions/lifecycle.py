"""Proposing, opening, confirming, dismissing, expiring and changing an incident."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearline.accounts.models import User
from hearline.accounts.roles import Role
from hearline.cases.models import Case
from hearline.cases.workflow import (
    IllegalTransition,
    InvalidInput,
    NotAllowed,
)
from hearline.notify.models import (
    NotificationKind,
)

from ..detection import IncidentPlan, active_incidents, coordinating_department, is_stale
from ..models import (
    DetectedBy,
    Incident,
    IncidentCase,
    IncidentKind,
    LinkedBy,
)
from ..topics import kind_by_id
from ..workflow import IncidentState
from .plans import start_incident_plan
from .steps import apply_step, coordinated, event, notify_coordinators

# --- proposal and opening -------------------------------------------------------------


def propose_incident(case: Case, decided: IncidentPlan) -> Incident:
    """Propose an incident for the burst `case` completes (inside its registration
    transaction): linked to the case and the burst's earlier cases, coordinated by the
    kind's department (else the case's organisation), its coordinators told at once."""
    kind = decided.kind
    # `plan` proposes only for a complaint of a kind with a district or both coordinates.
    assert kind is not None
    centre = None
    if not case.district:
        assert case.latitude is not None and case.longitude is not None
        centre = (float(case.latitude), float(case.longitude))
    earliest = Case.objects.filter(pk__in=decided.burst_case_ids).order_by("registered_at").first()
    place = case.district
    if centre is not None:
        place = _("near %(lat).3f, %(lng).3f") % {"lat": centre[0], "lng": centre[1]}
    incident = Incident(
        title=f"{place} {kind.name}"[:120],
        kind_id=kind.id,
        state=IncidentState.PROPOSED,
        department_id=coordinating_department(kind, case)[0],
        detected_by=decided.detected_by,
        area_key=decided.area_key,
        districts=[case.district] if case.district else [],
        started_at=earliest.registered_at if earliest else case.registered_at,
    )
    if centre is not None:
        incident.centre_lat, incident.centre_lng = centre
        incident.radius_m = kind.radius_m
    incident.save()
    active_incidents.clear()
    links = [IncidentCase(incident=incident, case=case, linked_by=LinkedBy.INTAKE)]
    links += [
        IncidentCase(incident=incident, case_id=pk, linked_by=LinkedBy.DETECTION)
        for pk in decided.burst_case_ids
    ]
    IncidentCase.objects.bulk_create(links)
    event(
        incident,
        None,
        "propose",
        "",
        {"by": decided.detected_by, "cases": len(links), "case": case.tracking_number},
    )
    text = _("Possible incident: %(title)s (%(count)d complaints)") % {
        "title": incident.title,
        "count": len(links),
    }
    notify_coordinators(incident, NotificationKind.INCIDENT, text, case=case)
    return incident


def _area_fields(incident: Incident, values: dict[str, Any]) -> None:
    """Copy the editable fields given in `values` onto the incident, validated."""
    errors = {}
    for name in ("title", "summary", "measures"):
        if name in values and values[name] is not None:
            setattr(incident, name, str(values[name]).strip())
    if "districts" in values and values["districts"] is not None:
        incident.districts = [d.strip() for d in values["districts"] if d and d.strip()]
    for name in ("centre_lat", "centre_lng", "radius_m"):
        if name in values:
            setattr(incident, name, values[name])
    if "polygon" in values and values["polygon"] is not None:
        polygon = values["polygon"]
        if polygon and (len(polygon) < 3 or any(len(p) != 2 or abs(p[0]) > 90 for p in polygon)):
            errors["polygon"] = "invalid_polygon"
        else:
            incident.polygon = [[float(a), float(b)] for a, b in polygon]
    if values.get("expected_restoration_at"):
        incident.expected_restoration_at = values["expected_restoration_at"]
    interval = values.get("bulletin_interval_hours")
    if interval is not None:
        if not 1 <= int(interval) <= 48:
            errors["bulletin_interval_hours"] = "out_of_range"
        else:
            incident.bulletin_interval_hours = int(interval)
    if not incident.title:
        errors["title"] = "required"
    if (incident.centre_lat is None) != (incident.centre_lng is None) or (
        incident.centre_lat is not None and not incident.radius_m
    ):
        errors["radius_m"] = "centre_needs_radius"
    if not (incident.districts or incident.radius_m or incident.polygon):
        errors["districts"] = "area_required"
    if errors:
        raise InvalidInput("invalid incident", fields=errors)


def _first_bulletin_due(now: datetime) -> datetime:
    return now + timedelta(minutes=settings.HEARLINE_INCIDENT_FIRST_BULLETIN_MINUTES)


def do_open_incident(*, acting_user: User, kind: str, **values) -> Incident:
    """Open an incident by hand (a coordinator who learns of it before the complaints
    arrive). `kind` is an incident kind code; the area needs districts, a centre with a
    radius, or an outline. The acting user coordinates it; the first bulletin is due within
    `HEARLINE_INCIDENT_FIRST_BULLETIN_MINUTES`."""
    if Role.COORDINATOR not in acting_user.roles or acting_user.department_id is None:
        raise NotAllowed("only emergency coordinators open incidents", action="open")
    found = IncidentKind.objects.filter(code=kind, is_active=True).first()
    if found is None:
        raise InvalidInput("unknown incident kind", fields={"kind": "unknown_kind"})
    now = timezone.now()
    incident = Incident(
        kind=found,
        state=IncidentState.OPEN,
        department=acting_user.department,
        coordinator=acting_user,
        detected_by=DetectedBy.MANUAL,
        started_at=values.pop("started_at", None) or now,
        confirmed_at=now,
        title="",
    )
    _area_fields(incident, values)
    incident.next_bulletin_due_at = _first_bulletin_due(now)
    with transaction.atomic():
        incident.save()
        event(incident, acting_user, "open", "", {"kind": found.code})
        start_incident_plan(incident, now)
    active_incidents.clear()
    return incident


def do_confirm_incident(incident_id: int, *, acting_user: User, **values) -> Incident:
    """Confirm a proposal: it becomes an open incident run by the acting coordinator, the
    given fields are applied, and each linked case gets a `link_incident` timeline entry
    (after commit)."""
    coordinated(acting_user, incident_id)
    now = timezone.now()

    def change(incident, details):
        _area_fields(incident, values)
        incident.coordinator = acting_user
        incident.confirmed_at = now
        incident.next_bulletin_due_at = _first_bulletin_due(now)
        start_incident_plan(incident, now)

    incident = apply_step(incident_id, "confirm", acting_user, change)
    case_ids = list(incident.links.values_list("case_id", flat=True))
    from ..tasks import mark_linked_cases  # the tasks import these actions

    transaction.on_commit(
        lambda: mark_linked_cases(incident.pk, case_ids, acting_user.pk, "link_incident")
    )
    return incident


def expire_proposal(incident_id: int) -> Incident:
    """Dismiss, as Hearline, a proposal no complaint joined within its kind's window and
    nobody confirmed; its cases are free to belong to a later incident."""

    def change(incident, details):
        details.update(reason="expired", cases=incident.links.count())
        incident.links.all().delete()

    return apply_step(incident_id, "expire", None, change)


def do_expire_proposals(now: datetime | None = None) -> int:
    """Expire every stale proposal (see `detection.is_stale`); returns how many."""
    now = now or timezone.now()
    expired = 0
    for proposal in Incident.objects.filter(state=IncidentState.PROPOSED):
        kind = kind_by_id(proposal.kind_id)
        if kind and is_stale(proposal, kind, now):
            try:
                expire_proposal(proposal.pk)
                expired += 1
            except IllegalTransition:
                continue  # confirmed or dismissed meanwhile
    return expired


def do_dismiss_incident(incident_id: int, *, acting_user: User, reason: str) -> Incident:
    """Dismiss a proposal (not an incident): its links are removed; the same kind and
    place is not proposed again within the kind's time window."""
    coordinated(acting_user, incident_id)
    if not (reason or "").strip():
        raise InvalidInput("a reason is required", fields={"reason": "required"})

    def change(incident, details):
        details.update(reason=reason.strip(), cases=incident.links.count())
        incident.links.all().delete()

    return apply_step(incident_id, "dismiss", acting_user, change)


def do_update_incident(incident_id: int, *, acting_user: User, **values) -> Incident:
    """Change the title, summary, area, expected restoration, temporary measures or the
    bulletin interval of an active incident."""
    coordinated(acting_user, incident_id)

    def change(incident, details):
        _area_fields(incident, values)
        details["fields"] = sorted(k for k, v in values.items() if v is not None)

    return apply_step(incident_id, "update", acting_user, change)


def do_stabilise_incident(incident_id: int, *, acting_user: User) -> Incident:
    """The situation is under control (稳定): bulletins continue until restoration."""
    coordinated(acting_user, incident_id)
    return apply_step(incident_id, "stabilise", acting_user)
