"""Queueing and delivering outbound messages.

Messages are written in the transaction of the step that causes them (so a committed step
always has its messages) and handed to a Huey task only after commit. Delivery claims the
message with a compare-and-set on its status, sends it outside any transaction, and records
the outcome on the message and, as `message_sent` / `message_failed`, on the case timeline.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearline.cases.actions import do_record_delivery_report
from hearline.cases.models import Case, CaseEvent
from hearline.cases.models.complainants import ReplyChannel
from hearline.core.privacy import mask_phone, mask_social_account

from ..backends import PermanentFailure, TemporaryFailure, backend_for
from ..compose import compose
from ..models import (
    Audience,
    MessageChannel,
    MessageStatus,
    Notification,
    NotificationKind,
    OutboundMessage,
    Purpose,
)
from ..platforms import platform_message
from ..preferences import address_of, channels_for
from .inbox import do_mark_notification_read as do_mark_notification_read
from .inbox import do_mark_notifications_read as do_mark_notifications_read
from .inbox import do_set_notice_channels as do_set_notice_channels

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6

# What the complainant is told after each step.
COMPLAINANT_PURPOSES = {
    "register": (Purpose.ACKNOWLEDGEMENT,),
    "dispatch": (Purpose.PROGRESS,),
    "transfer": (Purpose.PROGRESS,),
    "accept": (Purpose.PROGRESS,),
    "approve_suspension": (Purpose.PROGRESS,),
    "approve_extension": (Purpose.PROGRESS,),
    "resume": (Purpose.PROGRESS,),
    "reopen": (Purpose.PROGRESS,),
    "uphold_appeal": (Purpose.PROGRESS,),
    "dismiss_appeal": (Purpose.PROGRESS,),
    "close_on_spot": (Purpose.REPLY, Purpose.RATING_REQUEST),
    "reply": (Purpose.REPLY, Purpose.RATING_REQUEST),
    "incident_reply": (Purpose.REPLY, Purpose.RATING_REQUEST),
    "follow_up": (Purpose.FOLLOW_UP,),
    "send_article": (Purpose.ARTICLE,),
}
PROGRESS_STEPS = {
    "dispatch": _("passed to the responsible department"),
    "transfer": _("transferred to another department"),
    "accept": _("accepted and being handled"),
    "approve_suspension": _("paused until what is needed arrives"),
    "approve_extension": _("needs more time; the time limit was extended"),
    "resume": _("being handled again"),
    "reopen": _("reopened and being handled again"),
    "uphold_appeal": _("your appeal was upheld; it is being handled again"),
    "dismiss_appeal": _("your appeal was decided: the answer stands"),
}
_MOBILE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")


def complainant_channel(case: Case) -> str | None:
    """The channel to write to the complainant in: the one they prefer when we have the
    address for it, else e-mail or SMS, whichever we have; None when we have neither (the
    public page still shows the progress)."""
    person = case.complainant
    mobile = bool(_MOBILE.match(person.phone or ""))
    preferred = person.preferred_channel
    if preferred == ReplyChannel.EMAIL and person.email:
        return MessageChannel.EMAIL
    if preferred in (ReplyChannel.SMS, ReplyChannel.PHONE) and mobile:
        return MessageChannel.SMS
    if preferred == ReplyChannel.SOCIAL and person.social_account:
        return MessageChannel.SOCIAL
    if person.email:
        return MessageChannel.EMAIL
    return MessageChannel.SMS if mobile else None


def _enqueue_after_commit(message_ids: list[int]) -> None:
    from ..tasks import deliver_message  # the tasks import these actions

    for pk in message_ids:
        transaction.on_commit(partial(deliver_message, pk))


def plan_case_messages(case: Case, action: str, step: dict | None = None) -> list[OutboundMessage]:
    """The messages the complainant (or the upstream platform that sent the case) gets
    after `action` (whose event details are `step`), composed but not saved;
    `save_case_messages` writes them."""
    purposes = COMPLAINANT_PURPOSES.get(action, ())
    if not purposes:
        return []
    details = {**(step or {}), "step": str(PROGRESS_STEPS.get(action, "")), "action": action}
    planned = []
    for purpose in purposes:
        platform = platform_message(case, action, purpose)
        if platform == {}:
            continue  # the upstream platform does this part itself
        channel: str | None
        if platform is not None:
            audience, channel, data = Audience.PLATFORM, MessageChannel.UPSTREAM, platform
        else:
            audience, channel, data = Audience.COMPLAINANT, complainant_channel(case), {}
        if channel is None:
            continue
        subject, body = compose(case, purpose, details)
        planned.append(
            OutboundMessage(
                audience=audience,
                channel=channel,
                purpose=purpose,
                subject=subject,
                body=body,
                data=data,
            )
        )
    return planned


def save_case_messages(
    case: Case, event: CaseEvent, planned: list[OutboundMessage]
) -> list[OutboundMessage]:
    """Write planned messages in the step's transaction (one INSERT) and send them after
    commit. Each event queues its messages once: the unique dedupe key (case, event,
    purpose) turns a second attempt into an error that rolls the step back."""
    if not planned:
        return []
    for message in planned:
        message.case = case
        message.dedupe_key = f"case:{case.pk}:{event.seq}:{message.purpose}"
    saved = OutboundMessage.objects.bulk_create(planned)
    _enqueue_after_commit([m.pk for m in saved])
    return saved


def on_case_step(
    case: Case, event: CaseEvent, planned: list[OutboundMessage] | None = None
) -> None:
    """The complainant's (or platform's) messages after a step, inside its transaction
    (`planned` when composed beforehand)."""
    if planned is None:
        planned = plan_case_messages(case, event.action, event.details)
    save_case_messages(case, event, planned)


def notify_department(
    case: Case, kind: str, recipients, text: str, *, event: CaseEvent | None = None
) -> list[Notification]:
    """One notice of `kind` about `case` in the inbox of each distinct recipient (about the
    step `event`, when given), and its copies by the channels each of them chose for that
    kind, sent after commit."""
    unique = {user.pk: user for user in recipients if user is not None}
    made = Notification.objects.bulk_create(
        [
            Notification(recipient=u, case=case, kind=kind, text=text[:300], event=event)
            for u in unique.values()
        ]
    )
    purpose = kind if kind in Purpose.values else Purpose.NOTICE
    _queue_copies(
        made, kind, purpose, lambda: compose(case, purpose, {"text": text, "kind": kind}), case
    )
    return made


def notify_staff(
    recipients, *, kind: str, purpose: str, text: str, subject: str, body: str, **about
) -> list[Notification]:
    """A notice to each recipient about something other than one case's step (an incident,
    an article; `about` names it: incident=…, case=…) in their inbox, and a message with
    `subject` and `body` by the channels each of them chose for `kind`, sent after commit."""
    notices = Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, text=text[:300], **about) for u in recipients]
    )
    _queue_copies(notices, kind, purpose, lambda: (subject, body), about.get("case"))
    return notices


def _queue_copies(
    notices: list[Notification],
    kind: str,
    purpose: str,
    words: Callable[[], tuple[str, str]],
    case: Case | None,
) -> list[OutboundMessage]:
    """The notices' copies by e-mail and SMS, one message per notice and channel (its key
    names both, so a copy is queued once); `words` gives (subject, body), composed only when
    some copy goes out."""
    wanted = [(notice, c) for notice in notices for c in channels_for(notice.recipient, kind)]
    if not wanted:
        return []
    subject, body = words()
    messages = OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                case=case,
                audience=Audience.STAFF,
                recipient=notice.recipient,
                channel=channel,
                purpose=purpose,
                subject=subject[:200],
                body=body,
                dedupe_key=f"notice:{notice.pk}:{channel}",
            )
            for notice, channel in wanted
        ]
    )
    _enqueue_after_commit([m.pk for m in messages])
    return messages


def _address(message: OutboundMessage) -> str:
    if message.audience == Audience.STAFF:
        assert message.recipient is not None  # a staff message is written to its recipient
        return address_of(message.recipient, message.channel)
    if message.audience == Audience.PLATFORM:
        return message.data.get("platform", "")
    assert message.case is not None  # a complainant's message is about their case
    person = message.case.complainant
    addresses: dict[str, str] = {
        MessageChannel.EMAIL: person.email,
        MessageChannel.SMS: person.phone,
        MessageChannel.SOCIAL: person.social_account,
    }
    return addresses[message.channel]


def _shown_address(message: OutboundMessage, address: str) -> str:
    if message.audience == Audience.PLATFORM:
        return address
    if message.channel == MessageChannel.SMS:
        return mask_phone(address)
    if message.channel == MessageChannel.SOCIAL:
        return mask_social_account(address)
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


def _claim(message_id: int) -> bool:
    """Take the message for sending: only one worker wins, and never once it is sent."""
    now = timezone.now()
    return bool(
        OutboundMessage.objects.filter(
            pk=message_id, status__in=(MessageStatus.PENDING, MessageStatus.RETRYING)
        ).update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )


def _report(
    message: OutboundMessage, case: Case, action: str, address: str, error: str = ""
) -> None:
    """The delivery report of `message` on the timeline of its `case`; a message that could
    not be delivered is also told to the case's owner (首诉负责)."""
    details = {
        "message": message.pk,
        "channel": message.channel,
        "purpose": message.purpose,
        "audience": message.audience,
        "recipient": _shown_address(message, address),
        "attempts": message.attempts,
    }
    if error:
        details["error"] = error
    event = do_record_delivery_report(case.pk, action, details=details)
    if action == "message_failed":
        text = _("A message to %(whom)s could not be delivered: %(error)s") % {
            "whom": details["recipient"],
            "error": error,
        }
        notify_department(case, NotificationKind.STEP, [case.owner], str(text), event=event)


def do_deliver_message(message_id: int) -> str:
    """Try to send one message. Returns "sent", "retry" (a temporary failure with attempts
    left: the caller schedules another try), "failed" (given up; the case owner is told via
    the timeline) or "skipped" (already sent, failed, or being sent by another worker)."""
    if not _claim(message_id):
        return "skipped"
    message = OutboundMessage.objects.select_related("case__complainant", "recipient").get(
        pk=message_id
    )
    address = _address(message)
    try:
        if not address:
            raise PermanentFailure("no address")
        reference = backend_for(message.channel).send(message, address)
    except (TemporaryFailure, PermanentFailure) as exc:
        final = isinstance(exc, PermanentFailure) or message.attempts >= MAX_ATTEMPTS
        error = str(exc)[:300]
        with transaction.atomic():
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED if final else MessageStatus.RETRYING,
                last_error=error,
            )
            if final and message.case is not None:
                _report(message, message.case, "message_failed", address, error)
        log.warning("message %s attempt %s failed: %s", message.pk, message.attempts, error)
        return "failed" if final else "retry"
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT, sent_at=timezone.now(), provider_ref=reference[:200]
        )
        if message.case is not None:
            _report(message, message.case, "message_sent", address)
    return "sent"


def _give_up(message_id: int) -> None:
    """Fail a message left claimed after its last attempt, and tell the case's owner."""
    error = f"no outcome after {MAX_ATTEMPTS} attempts"
    with transaction.atomic():
        still_claimed = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING)
        if not still_claimed.update(status=MessageStatus.FAILED, last_error=error):
            return
        message = OutboundMessage.objects.select_related("case__complainant", "recipient").get(
            pk=message_id
        )
        if message.case is not None:
            _report(message, message.case, "message_failed", _address(message), error)
    log.warning("message %s failed: %s", message_id, error)


def do_requeue_stalled() -> int:
    """Hand back to the queue messages whose task was lost: still pending or retrying a while
    after creation, or claimed long ago by a worker that died mid-send. A message left
    claimed after its last attempt (each of its sends died, or raised what no backend
    expected) is failed instead, once, and its case owner told. Returns how many were
    handed back."""
    now = timezone.now()
    stale = timedelta(seconds=settings.HEARLINE_MESSAGE_STALE_CLAIM)
    claimed = list(
        OutboundMessage.objects.filter(
            status=MessageStatus.SENDING, claimed_at__lt=now - stale
        ).values_list("pk", "attempts")[:1000]
    )
    cut_off = []  # their worker died mid-send: their task went with it
    for pk, attempts in claimed:
        if attempts >= MAX_ATTEMPTS:
            _give_up(pk)
        else:
            cut_off.append(pk)
    OutboundMessage.objects.filter(pk__in=cut_off, status=MessageStatus.SENDING).update(
        status=MessageStatus.RETRYING
    )
    stalled = (
        cut_off
        + list(
            OutboundMessage.objects.filter(
                status__in=(MessageStatus.PENDING, MessageStatus.RETRYING),
                created_at__lt=now - stale,
            )
            .filter(claimed_at__isnull=True)
            .values_list("pk", flat=True)[:1000]
        )
        + list(
            OutboundMessage.objects.filter(
                status=MessageStatus.RETRYING,
                claimed_at__lt=now - timedelta(seconds=settings.HEARLINE_MESSAGE_RETRY_HORIZON),
            ).values_list("pk", flat=True)[:1000]
        )
    )
    _enqueue_after_commit(stalled)
    return len(stalled)
