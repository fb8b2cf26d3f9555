"""Every write to an incident. Each `do_*` function takes the acting user, checks that they
run the incident (`queries.may_coordinate`), changes it through `apply_step` (row lock,
state check against `workflow.STEPS`, version, append-only event, one transaction) and
hands the work on many cases (timeline entries, bulletin deliveries, replies) to Huey tasks
after commit, each case in its own transaction and each idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from hearline.accounts.models import User
from hearline.accounts.roles import Role
from hearline.cases.models import Case, Complainant
from hearline.cases.workflow import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
)
from hearline.notify.models import (
    Audience,
    MessageChannel,
    Notification,
    NotificationKind,
    OutboundMessage,
    Purpose,
)

from . import compose
from .detection import UNANSWERED, IncidentPlan, active_incidents
from .models import (
    Bulletin,
    BulletinDelivery,
    DetectedBy,
    Incident,
    IncidentCase,
    IncidentEvent,
    IncidentKind,
    LinkedBy,
    SupportDelivery,
)
from .queries import access_incident, area_of, coordinators_of, may_coordinate
from .workflow import STEPS, IncidentState

BATCH = 200
REMIND_BEFORE = timedelta(minutes=30)


def incident_ref(incident: Incident) -> dict:
    """How an incident is named on a case's timeline."""
    return {"id": incident.pk, "title": incident.title}


def _event(incident: Incident, actor: User | None, action: str, from_state: str, details: dict):
    return IncidentEvent.objects.create(
        incident=incident,
        seq=incident.version,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=incident.state,
        details=details,
        created_at=timezone.now(),
    )


def apply_step(
    incident_id: int,
    action: str,
    actor: User | None,
    change: Callable[[Incident, dict], None] | None = None,
    details: dict | None = None,
) -> Incident:
    """Apply one row of the incident workflow: lock the incident, check its state, let
    `change` modify it (and add event details), move it to the step's target state, bump
    the version and append the event. Raises IllegalTransition and changes nothing when
    the step does not start from the current state."""
    step = STEPS[action]
    details = dict(details or {})
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        if incident.state not in step.sources:
            raise IllegalTransition(
                f"cannot {action} an incident in state {incident.state!r}",
                action=action,
                state=incident.state,
            )
        from_state = incident.state
        if change:
            change(incident, details)
        if step.target:
            incident.state = step.target
        incident.version += 1
        incident.save()
        _event(incident, actor, action, from_state, details)
    active_incidents.clear()
    return incident


def _coordinated(user: User, incident_id: int) -> Incident:
    incident = access_incident(user, incident_id)
    if not may_coordinate(user, incident):
        raise NotAllowed("only the incident's coordinators may do this", action="incident")
    return incident


def _after_commit(task, *args) -> None:
    transaction.on_commit(lambda: task(*args))


def _notify(incident: Incident, kind: str, text: str, case: Case | None = None) -> None:
    """An in-app notice to each coordinator of the incident, and an e-mail to those with an
    address (the e-mail is sent after commit)."""
    recipients = coordinators_of(incident)
    notices = Notification.objects.bulk_create(
        [
            Notification(recipient=u, case=case, incident=incident, kind=kind, text=text[:300])
            for u in recipients
        ]
    )
    subject = f"[{_('Incident')} #{incident.pk}] {text}"[:200]
    body = f"{text}\n{compose.staff_link(incident)}"
    messages = OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                case=None,
                audience=Audience.STAFF,
                recipient=notice.recipient,
                channel=MessageChannel.EMAIL,
                purpose=Purpose.INCIDENT,
                subject=subject,
                body=body,
                dedupe_key=f"notice:{notice.pk}",
            )
            for notice in notices
            if notice.recipient.email
        ]
    )
    from hearline.notify.tasks import deliver_message

    for message in messages:
        _after_commit(deliver_message, message.pk)


# --- proposal and opening -------------------------------------------------------------


def propose_incident(case: Case, decided: IncidentPlan) -> Incident:
    """Propose an incident for the burst `case` completes (inside its registration
    transaction): linked to the case and the burst's earlier cases, coordinated by the
    kind's department (else the case's organisation), its coordinators told at once."""
    kind = decided.kind
    earliest = Case.objects.filter(pk__in=decided.burst_case_ids).order_by("registered_at").first()
    place = case.district or _("near %(lat).3f, %(lng).3f") % {
        "lat": float(case.latitude),
        "lng": float(case.longitude),
    }
    incident = Incident(
        title=f"{place} {kind.name}"[:120],
        kind_id=kind.id,
        state=IncidentState.PROPOSED,
        department_id=kind.department_id or case.department.organisation().pk,
        detected_by=decided.detected_by,
        area_key=decided.area_key,
        districts=[case.district] if case.district else [],
        started_at=earliest.registered_at if earliest else case.registered_at,
    )
    if not case.district:
        incident.centre_lat, incident.centre_lng = float(case.latitude), float(case.longitude)
        incident.radius_m = kind.radius_m
    incident.save()
    active_incidents.clear()
    links = [IncidentCase(incident=incident, case=case, linked_by=LinkedBy.INTAKE)]
    links += [
        IncidentCase(incident=incident, case_id=pk, linked_by=LinkedBy.DETECTION)
        for pk in decided.burst_case_ids
    ]
    IncidentCase.objects.bulk_create(links)
    _event(
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
    _notify(incident, NotificationKind.INCIDENT, text, case=case)
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


def do_open_incident(acting_user: User, *, kind: str, **values) -> Incident:
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
        _event(incident, acting_user, "open", "", {"kind": found.code})
    active_incidents.clear()
    return incident


def do_confirm_incident(acting_user: User, incident_id: int, **values) -> Incident:
    """Confirm a proposal: it becomes an open incident run by the acting coordinator, the
    given fields are applied, and each linked case gets a `link_incident` timeline entry
    (after commit)."""
    _coordinated(acting_user, incident_id)
    now = timezone.now()

    def change(incident, details):
        _area_fields(incident, values)
        incident.coordinator = acting_user
        incident.confirmed_at = now
        incident.next_bulletin_due_at = _first_bulletin_due(now)

    incident = apply_step(incident_id, "confirm", acting_user, change)
    case_ids = list(incident.links.values_list("case_id", flat=True))
    from .tasks import mark_linked_cases

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
    from .detection import is_stale
    from .topics import kind_by_id

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


def do_dismiss_incident(acting_user: User, incident_id: int, *, reason: str) -> Incident:
    """Dismiss a proposal (not an incident): its links are removed; the same kind and
    place is not proposed again within the kind's time window."""
    _coordinated(acting_user, incident_id)
    if not (reason or "").strip():
        raise InvalidInput("a reason is required", fields={"reason": "required"})

    def change(incident, details):
        details.update(reason=reason.strip(), cases=incident.links.count())
        incident.links.all().delete()

    return apply_step(incident_id, "dismiss", acting_user, change)


def do_update_incident(acting_user: User, incident_id: int, **values) -> Incident:
    """Change the title, summary, area, expected restoration, temporary measures or the
    bulletin interval of an active incident."""
    _coordinated(acting_user, incident_id)

    def change(incident, details):
        _area_fields(incident, values)
        details["fields"] = sorted(k for k, v in values.items() if v is not None)

    return apply_step(incident_id, "update", acting_user, change)


def do_stabilise_incident(acting_user: User, incident_id: int) -> Incident:
    """The situation is under control (稳定): bulletins continue until restoration."""
    _coordinated(acting_user, incident_id)
    return apply_step(incident_id, "stabilise", acting_user)


# --- linked cases ---------------------------------------------------------------------


def do_link_cases(acting_user: User, incident_id: int, tracking_numbers: list[str]) -> list[str]:
    """Link open cases (by tracking number) to the incident. A case qualifies when it lies
    in the incident's area or the coordinator may see it, is still waiting for its answer and
    belongs to no other incident. Returns the numbers linked; each gets a timeline entry."""
    incident = _coordinated(acting_user, incident_id)
    from hearline.cases.queries import cases_visible_to

    area = area_of(incident)
    numbers = sorted({(n or "").strip().upper() for n in tracking_numbers if n})
    cases = list(Case.objects.filter(tracking_number__in=numbers))
    visible = set(
        cases_visible_to(acting_user)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    taken = set(IncidentCase.objects.filter(case__in=cases).values_list("case_id", flat=True))
    chosen, refused = [], {}
    for case in cases:
        lat = float(case.latitude) if case.latitude is not None else None
        lng = float(case.longitude) if case.longitude is not None else None
        if case.pk in taken:
            refused[case.tracking_number] = "already_linked"
        elif case.state not in UNANSWERED:
            refused[case.tracking_number] = "already_answered"
        elif case.pk not in visible and not area.contains(case.district, lat, lng):
            refused[case.tracking_number] = "not_found"
        else:
            chosen.append(case)
    refused.update({n: "not_found" for n in set(numbers) - {c.tracking_number for c in cases}})
    if refused:
        raise InvalidInput("some cases cannot be linked", fields={"cases": refused})

    def change(incident, details):
        IncidentCase.objects.bulk_create(
            [
                IncidentCase(incident=incident, case=c, linked_by=LinkedBy.COORDINATOR)
                for c in chosen
            ]
        )
        details["cases"] = [c.tracking_number for c in chosen]

    try:
        incident = apply_step(incident_id, "link", acting_user, change)
    except IntegrityError:
        raise Conflict("a case was linked to another incident meanwhile") from None
    if incident.state != IncidentState.PROPOSED:
        from .tasks import mark_linked_cases

        ids = [c.pk for c in chosen]
        transaction.on_commit(
            lambda: mark_linked_cases(incident.pk, ids, acting_user.pk, "link_incident")
        )
    return [c.tracking_number for c in chosen]


def _linked(incident: Incident, tracking_number: str) -> IncidentCase:
    link = (
        IncidentCase.objects.select_related("case")
        .filter(incident=incident, case__tracking_number=(tracking_number or "").strip().upper())
        .first()
    )
    if link is None:
        raise InvalidInput("the case is not linked", fields={"case": "not_linked"})
    return link


def do_unlink_case(acting_user: User, incident_id: int, tracking_number: str, *, reason: str):
    """Take a case out of the incident (it was about something else): the case's timeline
    says so, and it is handled on its own."""
    incident = _coordinated(acting_user, incident_id)
    if not (reason or "").strip():
        raise InvalidInput("a reason is required", fields={"reason": "required"})
    link = _linked(incident, tracking_number)
    from hearline.cases.actions import do_transition

    def change(incident, details):
        if incident.state != IncidentState.PROPOSED and link.case.is_open:
            do_transition(
                link.case_id,
                "unlink_incident",
                acting_user=acting_user,
                payload={"incident": incident_ref(incident), "note": reason},
            )
        IncidentCase.objects.filter(pk=link.pk).delete()
        details.update(case=link.case.tracking_number, reason=reason.strip())

    return apply_step(incident_id, "unlink", acting_user, change)


def do_mark_own_needs(
    acting_user: User, incident_id: int, tracking_number: str, *, own_needs: bool
) -> Incident:
    """Mark a linked case as needing more than the incident's end (compensation, a damaged
    meter …): the restoration notice will not close it."""
    incident = _coordinated(acting_user, incident_id)
    link = _linked(incident, tracking_number)

    def change(incident, details):
        IncidentCase.objects.filter(pk=link.pk).update(own_needs=own_needs)
        details.update(case=link.case.tracking_number, own_needs=own_needs)

    return apply_step(incident_id, "update", acting_user, change)


# --- bulletins --------------------------------------------------------------------------


def _new_bulletin(incident: Incident, actor: User, text: str, *, restoration: bool) -> Bulletin:
    now = timezone.now()
    due = incident.next_bulletin_due_at
    return Bulletin.objects.create(
        incident=incident,
        seq=incident.bulletins.count() + 1,
        text=text.strip(),
        expected_restoration_at=None if restoration else incident.expected_restoration_at,
        measures="" if restoration else incident.measures,
        restoration=restoration,
        due_at=due,
        on_time=due is None or now <= due,
        published_at=now,
        published_by=actor,
    )


def do_publish_bulletin(
    acting_user: User,
    incident_id: int,
    *,
    text: str,
    expected_restoration_at: datetime | None = None,
    measures: str | None = None,
) -> Bulletin:
    """Publish a bulletin (通报): the progress, the expected restoration time and the
    temporary measures. It shows at once on the public incident page and the linked cases'
    progress pages; after commit it is sent once to every linked complainant in their
    channel. The next bulletin falls due one interval later."""
    _coordinated(acting_user, incident_id)
    if not (text or "").strip():
        raise InvalidInput("the bulletin needs a text", fields={"text": "required"})
    made: list[Bulletin] = []

    def change(incident, details):
        if expected_restoration_at:
            incident.expected_restoration_at = expected_restoration_at
        if measures is not None:
            incident.measures = measures.strip()
        bulletin = _new_bulletin(incident, acting_user, text, restoration=False)
        incident.next_bulletin_due_at = bulletin.published_at + timedelta(
            hours=incident.bulletin_interval_hours
        )
        details.update(bulletin=bulletin.seq, on_time=bulletin.on_time)
        made.append(bulletin)

    apply_step(incident_id, "publish_bulletin", acting_user, change)
    from .tasks import deliver_bulletin

    bulletin = made[0]
    transaction.on_commit(lambda: deliver_bulletin(bulletin.pk))
    return bulletin


def do_deliver_bulletin(bulletin_id: int, *, own_needs_only: bool = False) -> int:
    """Queue the bulletin for each linked complainant who has not had it: one delivery
    record and one message per person (the unique delivery makes a repeated run a no-op).
    `own_needs_only` for a restoration notice, which the other cases get as their reply.
    Returns how many deliveries were created."""
    from hearline.notify.actions import complainant_channel
    from hearline.notify.tasks import deliver_message

    bulletin = Bulletin.objects.select_related("incident").get(pk=bulletin_id)
    links = IncidentCase.objects.filter(incident=bulletin.incident)
    if own_needs_only:
        links = links.filter(own_needs=True)
    done = BulletinDelivery.objects.filter(bulletin=bulletin).values("complainant_id")
    first_case: dict[int, int] = {}  # complainant → their earliest linked case
    rows = (
        Case.objects.filter(pk__in=links.values("case_id"))
        .exclude(complainant_id__in=done)
        .order_by("complainant_id", "registered_at")
        .values_list("complainant_id", "pk")
    )
    for person_id, case_id in rows:  # read in full before writing (SQLite cursors)
        first_case.setdefault(person_id, case_id)
    people = list(first_case.items())
    created = 0
    for start in range(0, len(people), BATCH):
        chunk = dict(people[start : start + BATCH])
        cases = Case.objects.select_related("complainant", "department").in_bulk(chunk.values())
        batch = {person: cases[case_id] for person, case_id in chunk.items()}
        created += _deliver_batch(bulletin, batch, complainant_channel, deliver_message)
    return created


def _deliver_batch(bulletin, cases_by_person, channel_of, deliver_message) -> int:
    subject, body = compose.bulletin_message(bulletin)
    try:
        with transaction.atomic():
            messages, deliveries = [], []
            for person_id, case in cases_by_person.items():
                channel = channel_of(case)
                message = None
                if channel is not None:
                    message = OutboundMessage(
                        case=case,
                        audience=Audience.COMPLAINANT,
                        channel=channel,
                        purpose=Purpose.BULLETIN,
                        subject=f"[{case.tracking_number}] {subject}"[:200],
                        body=body,
                        dedupe_key=f"bulletin:{bulletin.pk}:{person_id}",
                    )
                    messages.append(message)
                deliveries.append((person_id, case, message))
            OutboundMessage.objects.bulk_create(messages)
            BulletinDelivery.objects.bulk_create(
                [
                    BulletinDelivery(bulletin=bulletin, complainant_id=p, case=c, message=m)
                    for p, c, m in deliveries
                ]
            )
            for message in messages:
                _after_commit(deliver_message, message.pk)
    except IntegrityError:
        return 0  # another worker delivered this batch; the next run picks up any rest
    return len(deliveries)


# --- vulnerable households --------------------------------------------------------------


def do_record_support(
    acting_user: User,
    incident_id: int,
    *,
    complainant_id: int,
    what: str,
    note: str = "",
    delivered_at: datetime | None = None,
) -> SupportDelivery:
    """Record help brought to a household (送水上门 …) during the incident."""
    incident = _coordinated(acting_user, incident_id)
    if not (what or "").strip():
        raise InvalidInput("say what was delivered", fields={"what": "required"})
    from .vulnerable import households

    if complainant_id not in {h.complainant_id for h in households(incident)}:
        raise InvalidInput("not a household of this incident", fields={"complainant": "unknown"})
    made: list[SupportDelivery] = []

    def change(incident, details):
        made.append(
            SupportDelivery.objects.create(
                incident=incident,
                complainant=Complainant.objects.get(pk=complainant_id),
                what=what.strip()[:200],
                note=(note or "").strip()[:300],
                delivered_at=delivered_at or timezone.now(),
                delivered_by=acting_user,
            )
        )
        details.update(what=what.strip()[:200], household=complainant_id)

    apply_step(incident_id, "record_support", acting_user, change)
    return made[0]


# --- closure and review -----------------------------------------------------------------


def do_close_incident(
    acting_user: User,
    incident_id: int,
    *,
    notice: str,
    finding: str,
    resolution: str,
    resolution_type: str = "repair",
) -> Bulletin:
    """Restoration (恢复): one notice ends the incident. It is published as the last
    bulletin, and after commit it becomes the reply of every linked case still waiting for
    one (each then gets its own rating request and, later, its follow-up) — except cases
    marked as needing more, which get the notice as a message and stay open."""
    _coordinated(acting_user, incident_id)
    errors = {
        name: "required"
        for name, value in (("notice", notice), ("finding", finding), ("resolution", resolution))
        if not (value or "").strip()
    }
    if resolution_type not in {"explanation", "repair", "compensation", "process_change"}:
        errors["resolution_type"] = "invalid_choice"
    if errors:
        raise InvalidInput("invalid restoration notice", fields=errors)
    made: list[Bulletin] = []

    def change(incident, details):
        bulletin = _new_bulletin(incident, acting_user, notice, restoration=True)
        incident.resolved_at = bulletin.published_at
        incident.next_bulletin_due_at = None
        details.update(bulletin=bulletin.seq, cases=incident.links.count())
        made.append(bulletin)

    incident = apply_step(incident_id, "close", acting_user, change)
    reply = restoration_reply(incident, notice, finding, resolution, resolution_type)
    from .tasks import deliver_restoration, reply_linked_cases

    bulletin = made[0]
    transaction.on_commit(lambda: reply_linked_cases(incident.pk, acting_user.pk, reply))
    transaction.on_commit(lambda: deliver_restoration(bulletin.pk))
    return bulletin


def restoration_reply(
    incident: Incident, notice: str, finding: str, resolution: str, resolution_type: str = "repair"
) -> dict:
    """The `incident_reply` payload each linked case gets from the restoration notice."""
    return {
        "reply": notice.strip(),
        "finding": finding.strip(),
        "resolution": resolution.strip(),
        "resolution_type": resolution_type,
        "incident": incident_ref(incident),
    }


def do_reply_linked_cases(incident_id: int, actor_id: int, reply: dict) -> int:
    """Reply to each linked case still waiting for its answer (not marked as needing more),
    each in its own transaction as the coordinator who closed the incident. Safe to run
    again: answered cases are skipped. Returns how many cases were replied to."""
    from hearline.cases.actions import do_transition

    actor = User.objects.get(pk=actor_id)
    ids = list(
        IncidentCase.objects.filter(incident_id=incident_id, own_needs=False)
        .filter(case__state__in=UNANSWERED)
        .values_list("case_id", flat=True)
    )
    replied = 0
    for case_id in ids:
        try:
            do_transition(case_id, "incident_reply", acting_user=actor, payload=dict(reply))
            replied += 1
        except (IllegalTransition, Conflict):
            continue  # answered meanwhile by its handler
    return replied


def do_review_incident(
    acting_user: User, incident_id: int, *, summary: str, corrective_actions: list[dict]
) -> Incident:
    """The post-incident review: the figures and the timeline (see
    `hearline.incidents.review`) are computed and kept with the summary, and each corrective
    action (what, due date, districts) is recorded for tracking."""
    _coordinated(acting_user, incident_id)
    from hearline.improvement.models import CorrectiveAction

    from .review import figures, timeline

    errors = {}
    if not (summary or "").strip():
        errors["summary"] = "required"
    if any(not (a.get("what") or "").strip() for a in corrective_actions):
        errors["corrective_actions"] = "what_required"
    for item in corrective_actions:
        for name in ("due_date", "start_date"):
            value = item.get(name)
            if value and not isinstance(value, date):
                item[name] = _date_or_none(value)
                if item[name] is None:
                    errors["corrective_actions"] = "invalid_date"
    if errors:
        raise InvalidInput("invalid review", fields=errors)

    def change(incident, details):
        numbers = figures(incident)
        incident.review = {
            "summary": summary.strip(),
            "figures": numbers,
            "timeline": timeline(incident),
        }
        incident.reviewed_at = timezone.now()
        for item in corrective_actions:
            CorrectiveAction.objects.create(
                what=item["what"].strip()[:300],
                due_date=item.get("due_date"),
                start_date=item.get("start_date"),
                districts=list(item.get("districts") or incident.districts),
                department=incident.department,
                owner=acting_user,
                incident=incident,
                created_by=acting_user,
            )
        details.update(figures=numbers, corrective_actions=len(corrective_actions))

    return apply_step(incident_id, "review", acting_user, change)


# --- the bulletin schedule --------------------------------------------------------------


def do_bulletin_sweep(now: datetime | None = None) -> tuple[int, int]:
    """Remind the coordinators of each running incident `REMIND_BEFORE` its next bulletin
    falls due, and mark it overdue (timeline and notice) once it has passed. Each reminder
    and each overdue mark happens once per due time, however often the sweep runs (a
    compare-and-set on the incident). Returns (reminders, overdue)."""
    now = now or timezone.now()
    running = Incident.objects.filter(
        state__in=(IncidentState.OPEN, IncidentState.STABILISING),
        next_bulletin_due_at__lte=now + REMIND_BEFORE,
    )
    reminders = overdue = 0
    for incident in running.select_related("department"):
        due = incident.next_bulletin_due_at
        if incident.reminded_for != due and _claim(incident, "reminded_for", due):
            text = _("Bulletin due at %(time)s: %(title)s") % {
                "time": timezone.localtime(due).strftime("%H:%M"),
                "title": incident.title,
            }
            with transaction.atomic():
                _notify(incident, NotificationKind.BULLETIN_DUE, text)
            reminders += 1
        if now > due and incident.overdue_for != due and _claim(incident, "overdue_for", due):
            text = _("Bulletin overdue: %(title)s") % {"title": incident.title}
            with transaction.atomic():
                apply_step(incident.pk, "bulletin_overdue", None, details={"due": due.isoformat()})
                _notify(incident, NotificationKind.BULLETIN_OVERDUE, text)
            overdue += 1
    return reminders, overdue


def _date_or_none(value) -> date | None:
    try:
        return parse_date(str(value))
    except ValueError:
        return None


def _claim(incident: Incident, field: str, due: datetime) -> bool:
    """Take the reminder (or overdue mark) for this due time: one sweep wins."""
    return bool(
        Incident.objects.filter(pk=incident.pk, next_bulletin_due_at=due)
        .filter(Q(**{f"{field}__isnull": True}) | ~Q(**{field: due}))
        .update(**{field: due})
    )
