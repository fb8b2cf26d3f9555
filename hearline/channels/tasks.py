"""Channel work in the Huey consumer."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .imap import poll_mailbox
from .webhooks import prune_nonces

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("poll-email")
def poll_email() -> None:
    """Every minute, when a mailbox is configured: take in its new e-mails."""
    if not settings.HEARLINE_IMAP.get("HOST"):
        return
    result = poll_mailbox()
    if result.taken_in or result.unusable:
        log.info("e-mail: %s taken in, %s unusable", result.taken_in, result.unusable)


@db_periodic_task(crontab(minute="17"))
def prune_webhook_nonces() -> int:
    """Hourly: forget nonces whose timestamps the window refuses anyway."""
    return prune_nonces()
