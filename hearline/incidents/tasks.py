"""Incident work in the Huey consumer: many cases at a time, each step idempotent."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from .actions import (
    do_bulletin_sweep,
    do_deliver_bulletin,
    do_expire_proposals,
    do_follow_up_linked_cases,
    do_mark_linked_cases,
    do_release_unanswered_cases,
    do_reply_linked_cases,
)

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=30)
def mark_linked_cases(incident_id: int, case_ids: list[int], actor_id: int, action: str) -> None:
    """The incident's timeline entry on each of its linked cases (see `do_mark_linked_cases`)."""
    do_mark_linked_cases(incident_id, case_ids, actor_id, action)


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
    released = do_release_unanswered_cases(incident_id, actor_id)
    log.info("incident %s: replied to %d cases, %d continue", incident_id, count, released)


@db_task(retries=3, retry_delay=30)
def follow_up_linked_cases(incident_id: int, actor_id: int, result: str) -> None:
    """Record the incident's follow-up on its answered cases."""
    count = do_follow_up_linked_cases(incident_id, actor_id, result)
    log.info("incident %s: followed up %d cases", incident_id, count)


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
