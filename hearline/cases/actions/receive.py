"""Registration in the background: a complaint received in one insert before the caller is
answered (durable, with its tracking number), registered as a case by the task queue."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearline.accounts.models import User

from ..models import IntakeReceipt, ReceiptState
from ..submission import IntakeSubmission
from ..tracking import new_receipt_number
from ..workflow import InvalidInput, NotAllowed
from .register import (
    Registration,
    check_registration,
    do_register_case,
    mark_receipt_registered,
)

log = logging.getLogger(__name__)


def do_receive_case(
    submission: IntakeSubmission, *, acting_user: User, _attempt: int = 1
) -> IntakeReceipt:
    """Accept a complaint for registration in the background. Checks what registering checks
    (NotAllowed, InvalidInput), so a complaint that could not be registered is refused now and
    nothing is written; else writes the receipt with its tracking number in one committed
    insert and queues its registration after commit. A submission whose `idempotency_key`
    was received before returns that receipt and writes nothing."""
    key = submission.idempotency_key or None
    if key:
        existing = IntakeReceipt.objects.filter(idempotency_key=key).first()
        if existing:
            return existing
    check_registration(submission, acting_user)
    now = timezone.now()
    receipt = IntakeReceipt(
        tracking_number=new_receipt_number(now),
        idempotency_key=key,
        submitted_by=acting_user,
        submission=submission.to_record(),
        received_at=now,
    )
    try:
        with transaction.atomic():
            receipt.save(force_insert=True)
            transaction.on_commit(lambda: _enqueue(receipt.pk))
    except IntegrityError:
        existing = IntakeReceipt.objects.filter(idempotency_key=key).first() if key else None
        if existing:
            return existing
        # The random number was taken (see hearline.cases.tracking): draw another.
        taken = IntakeReceipt.objects.filter(tracking_number=receipt.tracking_number).exists()
        if _attempt < 3 and taken:
            return do_receive_case(submission, acting_user=acting_user, _attempt=_attempt + 1)
        raise
    return receipt


def _enqueue(receipt_id: int) -> None:
    from ..tasks import register_receipt  # the tasks import these actions

    register_receipt(receipt_id)


def do_register_receipt(receipt_id: int) -> Registration | None:
    """Register a received complaint as its case (by the account that received it, with the
    receipt's tracking number). Safe to run any number of times, at once or one after
    another: a receipt becomes exactly one case. A complaint that can no longer be
    registered (its category withdrawn, the account disabled meanwhile) marks the receipt
    refused with the reason. Returns the registration, or None when there was nothing to
    do."""
    receipt = (
        IntakeReceipt.objects.select_related("submitted_by__department")
        .filter(pk=receipt_id, state=ReceiptState.RECEIVED)
        .first()
    )
    if receipt is None:
        return None
    submission = IntakeSubmission.from_record(receipt.submission)
    submission.idempotency_key = receipt.registration_key
    try:
        registration = do_register_case(
            submission, acting_user=receipt.submitted_by, receipt=receipt
        )
    except (InvalidInput, NotAllowed) as refused:
        error = {"code": refused.code, "message": refused.message, **refused.details}
        IntakeReceipt.objects.filter(pk=receipt.pk, state=ReceiptState.RECEIVED).update(
            state=ReceiptState.REFUSED, error=error
        )
        log.warning("receipt %s refused at registration: %s", receipt.pk, refused.code)
        return None
    if not registration.created:
        # Another run registered it at the same moment (and marked it), or a case registered
        # at once already carries the caller's idempotency key: the receipt stands for it.
        mark_receipt_registered(receipt, registration.case)
    return registration


def do_register_waiting_receipts(limit: int = 500) -> int:
    """Register receipts still waiting `HEARLINE_RECEIPT_STALE` seconds after they were
    received (their task was lost with a queue, or is far behind), oldest first, at most
    `limit`. Returns how many became cases."""
    cut_off = timezone.now() - timedelta(seconds=settings.HEARLINE_RECEIPT_STALE)
    waiting = IntakeReceipt.objects.filter(
        state=ReceiptState.RECEIVED, received_at__lt=cut_off
    ).order_by("received_at")
    done = 0
    for receipt_id in list(waiting.values_list("pk", flat=True)[:limit]):
        if do_register_receipt(receipt_id) is not None:
            done += 1
    return done
