"""Periodic work of the time-limit module, run by the Huey consumer."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .sweep import do_sweep

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("sla-sweep")
def sla_sweep() -> None:
    """Every minute: reminders, overdue notices, urging and escalation (督办)."""
    result = do_sweep()
    if result.reminders or result.overdue:
        log.info("sla sweep: %d reminders, %d overdue", result.reminders, result.overdue)
