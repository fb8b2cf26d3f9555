"""Housekeeping in the Huey consumer."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .throttle import purge_expired


@db_periodic_task(crontab(minute="17"))
def purge_failed_attempts() -> int:
    """Hourly: throttling rows older than their window are deleted."""
    return purge_expired()
