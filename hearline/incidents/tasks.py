"""Incident work in the Huey consumer: many cases at a time, each step idempotent."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from hearline.accounts.models import User
from hearline.cases.workflow import Conflict, IllegalTransition, NotAllowed

from .actions import (
    do_bulletin_sweep,
    do_deliver_bulletin,
    do_expire_proposals,
    do_reply_linked_cases,
    incident_ref,
)
from .models import Incident, IncidentCase

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=30)
def mark_linked_cases(incident_id: int, case_ids: list[int], actor_id: int, action: str) -> None:
    """The `link_incident` timeline entry on each case still linked (skipped when the
    case already has one for this incident, so a retry adds none)."""
    from hearline.cases.actions import do_transition
    from hearline.cases.models import CaseEvent

    actor = User.objects.get(pk=actor_id)
    incident = Incident.objects.get(pk=incident_id)
    still = set(
        IncidentCase.objects.filter(incident=incident, case_id__in=case_ids).values_list(
            "case_id", flat=True
        )
    )
    marked = set(
        CaseEvent.objects.filter(
            case_id__in=still, action=action, details__incident__id=incident_id
        ).values_list("case_id", flat=True)
    )
    for case_id in sorted(still - marked):
        try:
            do_transition(
                case_id, action, acting_user=actor, payload={"incident": incident_ref(incident)}
            )
        except (IllegalTransition, Conflict, NotAllowed) as exc:
            log.info("case %s not marked for incident %s: %s", case_id, incident_id, exc)


@db_task(retries=3, retry_delay=30)
def deliver_bulletin(bulletin_id: int) -> None:
    """Send a bulletin to every linked complainant who has not had it."""
    do_deliver_bulletin(bulletin_id)


@db_task(retries=3, retry_delay=30)
def deliver_restoration(bulletin_id: int) -> None:
    """Send the restoration notice to the complainants whose cases stay open."""
    do_deliver_bulletin(bulletin_id, own_needs_only=True)


@db_task(retries=3, retry_delay=30)
def reply_linked_cases(incident_id: int, actor_id: int, reply: dict) -> None:
    """Reply to the linked cases with the restoration notice."""
    count = do_reply_linked_cases(incident_id, actor_id, reply)
    log.info("incident %s: replied to %d cases", incident_id, count)


@db_periodic_task(crontab(minute="*"))
@lock_task("incident-bulletin-sweep")
def bulletin_sweep() -> None:
    """Every minute: bulletin reminders and overdue marks; stale proposals dismissed."""
    reminders, overdue = do_bulletin_sweep()
    expired = do_expire_proposals()
    if reminders or overdue or expired:
        log.info(
            "incident sweep: %d reminders, %d overdue, %d proposals expired",
            reminders,
            overdue,
            expired,
        )
