"""Background registration in the Huey consumer: each received complaint at once, and a
catch-up every minute for any whose task was lost."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from .actions.receive import do_register_receipt, do_register_waiting_receipts

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=10)
def register_receipt(receipt_id: int) -> None:
    """Register one received complaint (safe to repeat: a receipt becomes one case)."""
    do_register_receipt(receipt_id)


@db_periodic_task(crontab(minute="*"))
@lock_task("register-waiting-receipts")
def register_waiting_receipts() -> None:
    """Every minute: register received complaints whose task was lost or is far behind."""
    done = do_register_waiting_receipts()
    if done:
        log.info("registered %d waiting receipts", done)
