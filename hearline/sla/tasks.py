"""Periodic work of the time-limit module, run by the Huey consumer."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .actions import do_archive_due
from .sweep import do_sweep

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("sla-sweep")
def sla_sweep() -> None:
    """Every minute: reminders, overdue notices, urging and escalation (督办)."""
    result = do_sweep()
    if result.reminders or result.overdue or result.followups:
        log.info(
            "sla sweep: %d reminders, %d overdue, %d follow-ups due",
            result.reminders,
            result.overdue,
            result.followups,
        )


@db_periodic_task(crontab(minute="7"))
@lock_task("sla-archive")
def archive_due_cases() -> None:
    """Every hour: archive the answered cases whose time to follow up, rate or appeal is over."""
    archived = do_archive_due()
    if archived:
        log.info("archived %d cases by policy", archived)
