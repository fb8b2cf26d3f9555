"""Message delivery in the Huey consumer: retries with back-off, and a periodic catch-up."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from .actions import MAX_ATTEMPTS, do_deliver_message, do_requeue_stalled
from .backends import TemporaryFailure


@db_task(retries=MAX_ATTEMPTS - 1, retry_delay=30, retry_backoff=2)
def deliver_message(message_id: int) -> str:
    """Send one message; a temporary failure raises so Huey tries again after 30 s, 60 s,
    120 s … The message's own status makes every retry safe."""
    outcome = do_deliver_message(message_id)
    if outcome == "retry":
        raise TemporaryFailure(f"message {message_id} will be retried")
    return outcome


@db_periodic_task(crontab(minute="*/5"))
@lock_task("requeue-messages")
def requeue_stalled_messages() -> int:
    """Every five minutes: messages whose task was lost go back on the queue."""
    return do_requeue_stalled()
