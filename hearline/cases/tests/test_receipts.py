"""Background registration: a complaint received in one durable insert becomes exactly one
case with the number the caller was given, however its registration is run."""

from datetime import timedelta
from decimal import Decimal

import pytest

from hearline.cases.actions import (
    do_receive_case,
    do_register_case,
    do_register_receipt,
    do_register_waiting_receipts,
)
from hearline.cases.models import Case, Category, IntakeReceipt
from hearline.cases.tracking import new_receipt_number, new_tracking_number
from hearline.cases.workflow import InvalidInput, NotAllowed
from hearline.testing.org import submission


def test_a_received_complaint_is_stored_before_its_case_and_becomes_it_after_commit(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        receipt = do_receive_case(submission(), acting_user=org.agent)
    stored = IntakeReceipt.objects.get(pk=receipt.pk)
    assert stored.state == "received" and Case.objects.count() == 0
    assert len(queued) == 1
    queued[0]()  # the task queue runs the registration

    stored.refresh_from_db()
    case = Case.objects.get()
    assert stored.state == "registered" and stored.case == case
    assert stored.submission == {}  # the complainant's data now lives only with the case
    assert case.tracking_number == receipt.tracking_number and case.owner == org.agent
    assert case.clock.started_at == receipt.received_at
    event = case.events.get()
    assert event.action == "register"
    assert event.details["received_at"] == receipt.received_at.isoformat()


def test_the_submission_survives_the_journey_unchanged(org):
    original = submission(
        latitude=Decimal("29.868336"),
        longitude=Decimal("121.543990"),
        occurred_at=None,
        category_id=org.category.pk,
    )
    receipt = do_receive_case(original, acting_user=org.agent)
    do_register_receipt(receipt.pk)
    case = Case.objects.get()
    assert (case.latitude, case.longitude) == (original.latitude, original.longitude)
    assert case.category == org.category and case.description == original.description
    assert case.complainant.phone == original.complainant.phone


def test_a_receipt_becomes_one_case_however_often_it_is_registered(org):
    receipt = do_receive_case(submission(), acting_user=org.agent)
    first = do_register_receipt(receipt.pk)
    assert first is not None and first.created
    assert do_register_receipt(receipt.pk) is None
    assert Case.objects.count() == 1


def test_a_complaint_that_cannot_be_registered_is_refused_before_anything_is_written(org):
    with pytest.raises(InvalidInput) as refused:
        do_receive_case(submission(description="  "), acting_user=org.agent)
    assert refused.value.details["fields"] == {"description": "required"}
    with pytest.raises(NotAllowed):
        do_receive_case(submission(), acting_user=org.users["repair_handler"])
    assert IntakeReceipt.objects.count() == 0


def test_a_retried_submission_returns_the_first_receipt(org):
    first = do_receive_case(submission(idempotency_key="app:7:k1"), acting_user=org.agent)
    again = do_receive_case(submission(idempotency_key="app:7:k1"), acting_user=org.agent)
    assert again.pk == first.pk and IntakeReceipt.objects.count() == 1
    do_register_receipt(first.pk)
    assert Case.objects.get().idempotency_key == "app:7:k1"


def test_receipt_numbers_are_never_ones_a_case_registered_at_once_could_draw(org):
    received = {new_receipt_number()[7] for _ in range(400)}
    registered = {new_tracking_number()[7] for _ in range(400)}
    assert received <= set("GHJKMNPQRSTVWXYZ") and registered <= set("0123456789ABCDEF")
    assert len(received) > 8 and len(registered) > 8


def test_receipts_whose_task_was_lost_are_registered_by_the_catch_up(org, settings):
    settings.HEARLINE_RECEIPT_STALE = 120
    old = do_receive_case(submission(), acting_user=org.agent)
    fresh = do_receive_case(submission(description="路灯不亮。"), acting_user=org.agent)
    moment = old.received_at - timedelta(minutes=5)
    IntakeReceipt.objects.filter(pk=old.pk).update(received_at=moment)

    assert do_register_waiting_receipts() == 1
    assert IntakeReceipt.objects.get(pk=old.pk).case.tracking_number == old.tracking_number
    assert IntakeReceipt.objects.get(pk=fresh.pk).state == "received"


def test_a_receipt_that_can_no_longer_be_registered_is_refused_with_the_reason(org):
    receipt = do_receive_case(submission(category_id=org.category.pk), acting_user=org.agent)
    Category.objects.filter(pk=org.category.pk).update(is_active=False)
    assert do_register_receipt(receipt.pk) is None
    receipt.refresh_from_db()
    assert receipt.state == "refused" and Case.objects.count() == 0
    assert receipt.error["code"] == "validation_failed"
    assert receipt.error["fields"] == {"category": "unknown_category"}


def test_a_receipt_whose_key_a_case_already_carries_stands_for_that_case(org):
    first = do_register_case(submission(idempotency_key="app:7:k2"), acting_user=org.agent)
    receipt = do_receive_case(submission(idempotency_key="app:7:k2"), acting_user=org.agent)
    assert do_register_receipt(receipt.pk) is not None
    receipt.refresh_from_db()
    assert receipt.state == "registered" and receipt.case == first.case
    assert Case.objects.count() == 1
