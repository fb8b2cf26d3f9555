"""Help to vulnerable households, the restoration notice that closes an incident and answers
its cases, and the review."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from hearline.accounts.models import User
from hearline.cases.actions import do_transition
from hearline.cases.models import Complainant, ComplainantAccess
from hearline.cases.workflow import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    State,
)
from hearline.improvement.actions import create_action

from ..models import (
    Bulletin,
    Incident,
    IncidentCase,
    SupportDelivery,
)
from ..reach import reach_of
from ..review import figures, timeline
from ..vulnerable import Household, households
from .bulletins import new_bulletin
from .links import do_mark_linked_cases
from .steps import apply_step, coordinated, incident_ref

# --- vulnerable households --------------------------------------------------------------


def do_record_support(
    incident_id: int,
    *,
    acting_user: User,
    complainant_id: int,
    what: str,
    note: str = "",
    delivered_at: datetime | None = None,
) -> SupportDelivery:
    """Record help brought to a household (送水上门 …) during the incident."""
    incident = coordinated(acting_user, incident_id)
    if not (what or "").strip():
        raise InvalidInput("say what was delivered", fields={"what": "required"})
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


def do_view_households(incident_id: int, *, acting_user: User) -> list[Household]:
    """The vulnerable households for the incident's coordinators, each view logged in the
    personal-data access log (one entry per person shown, on the case that names them)."""
    incident = coordinated(acting_user, incident_id)
    rows = households(incident)
    with transaction.atomic():
        ComplainantAccess.objects.bulk_create(
            [
                ComplainantAccess(
                    user=acting_user,
                    case_id=row.case_id,
                    fields=["name", "phone", "address"],
                    reason=f"incident {incident.pk}: vulnerable households"[:200],
                )
                for row in rows
            ]
        )
    return rows


# --- closure and review -----------------------------------------------------------------


def do_close_incident(
    incident_id: int,
    *,
    acting_user: User,
    notice: str,
    finding: str,
    resolution: str,
    resolution_type: str = "repair",
    restored_at: datetime | None = None,
) -> Bulletin:
    """Restoration (恢复): one notice ends the incident. It is published as the last
    bulletin, and after commit it becomes the reply of every linked case still waiting for
    one (each then gets its own rating request and, later, its follow-up) — except cases
    marked as needing more, which get the notice as a message and stay open.

    `restored_at` is when the service actually came back (the incident's `resolved_at`,
    from which the review counts the hours to restore): not in the future, not before the
    incident started; without it, the moment the notice is published."""
    started_at = coordinated(acting_user, incident_id).started_at
    errors = {
        name: "required"
        for name, value in (("notice", notice), ("finding", finding), ("resolution", resolution))
        if not (value or "").strip()
    }
    if resolution_type not in {"explanation", "repair", "compensation", "process_change"}:
        errors["resolution_type"] = "invalid_choice"
    if restored_at is not None:
        if timezone.is_naive(restored_at):
            restored_at = timezone.make_aware(restored_at)
        if restored_at > timezone.now():
            errors["restored_at"] = "in_future"
        elif restored_at < started_at:
            errors["restored_at"] = "before_incident_start"
    if errors:
        raise InvalidInput("invalid restoration notice", fields=errors)
    made: list[Bulletin] = []

    def change(incident, details):
        bulletin = new_bulletin(incident, acting_user, notice, restoration=True)
        incident.resolved_at = restored_at or bulletin.published_at
        incident.next_bulletin_due_at = None
        details.update(
            bulletin=bulletin.seq,
            cases=incident.links.count(),
            restored_at=incident.resolved_at.isoformat(),
        )
        made.append(bulletin)

    incident = apply_step(incident_id, "close", acting_user, change)
    reply = restoration_reply(incident, notice, finding, resolution, resolution_type)
    from ..tasks import deliver_restoration, reply_linked_cases  # the tasks import these actions

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
    """Reply to each linked case still waiting for its answer (not marked as needing more)
    and within the incident's reach (a case since handed to an organisation the incident
    does not reach is answered by that one), each in its own transaction as the coordinator
    who closed the incident. Safe to run again: answered cases are skipped. Returns how
    many cases were replied to."""
    actor = User.objects.get(pk=actor_id)
    incident = Incident.objects.select_related("department").get(pk=incident_id)
    ids = list(
        IncidentCase.objects.filter(incident_id=incident_id, own_needs=False)
        .filter(reach_of(incident).rule(field="case__department__path"))
        .filter(case__state__in=State.UNANSWERED)
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


def do_release_unanswered_cases(incident_id: int, actor_id: int) -> int:
    """After the restoration replies: each linked case still waiting for its answer (marked
    as needing more, or handed to an organisation the incident does not reach) gets the
    `incident_restored` step, so its time limits run again, on its own, from now. Safe to run
    again. Returns how many cases were released."""
    ids = list(
        IncidentCase.objects.filter(
            incident_id=incident_id, case__state__in=State.UNANSWERED
        ).values_list("case_id", flat=True)
    )
    return do_mark_linked_cases(incident_id, ids, actor_id, "incident_restored")


def do_follow_up_incident(incident_id: int, *, acting_user: User, result: str) -> Incident:
    """Follow up (回访) the incident's answered cases at once, with one result (what the
    coordinator's team heard back, e.g. a sample of calls after restoration): recorded on
    the incident, then on each linked case still waiting for its follow-up, after commit."""
    coordinated(acting_user, incident_id)
    if not (result or "").strip():
        raise InvalidInput("the follow-up result is required", fields={"result": "required"})

    def change(incident, details):
        details["result"] = result.strip()

    incident = apply_step(incident_id, "follow_up", acting_user, change)
    from ..tasks import follow_up_linked_cases  # the tasks import these actions

    transaction.on_commit(
        lambda: follow_up_linked_cases(incident_id, acting_user.pk, result.strip())
    )
    return incident


def do_follow_up_linked_cases(incident_id: int, actor_id: int, result: str) -> int:
    """Record the follow-up `result` on each linked case the incident answered and not yet
    followed up (not those its department answered: needing more, or after restoration),
    each in its own transaction as the coordinator `actor_id`. Safe to run again: a case
    followed up is skipped. Returns how many cases were followed up."""
    actor = User.objects.get(pk=actor_id)
    ids = list(
        IncidentCase.objects.filter(
            incident_id=incident_id,
            case__state__in=(State.REPLIED, State.CONFIRMED),
            case__clock__incident_since__isnull=False,  # answered by the incident itself
        ).values_list("case_id", flat=True)
    )
    done = 0
    for case_id in ids:
        try:
            do_transition(
                case_id, "follow_up", acting_user=actor, payload={"followup_result": result}
            )
            done += 1
        except (IllegalTransition, Conflict, NotAllowed):
            continue  # followed up, reopened or appealed meanwhile
    return done


def do_review_incident(
    incident_id: int, *, acting_user: User, summary: str, corrective_actions: list[dict]
) -> Incident:
    """The post-incident review: the figures and the timeline (see
    `hearline.incidents.review`) are computed and kept with the summary, and each corrective
    action (what, due date, districts) is recorded for tracking."""
    coordinated(acting_user, incident_id)
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
            create_action(
                acting_user,
                incident=incident,
                what=item["what"],
                due_date=item.get("due_date"),
                start_date=item.get("start_date"),
                districts=list(item.get("districts") or incident.districts),
                department=incident.department,
                owner=acting_user,
            )
        details.update(figures=numbers, corrective_actions=len(corrective_actions))

    return apply_step(incident_id, "review", acting_user, change)


def _date_or_none(value) -> date | None:
    try:
        return parse_date(str(value))
    except ValueError:
        return None
