"""Messages out: to the complainant in their channel, to staff, with retries that never
send twice, each outcome on the case's timeline."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hearline.cases.actions import do_transition
from hearline.cases.models import CaseEvent, Complainant
from hearline.cases.submission import ComplainantData
from hearline.notify.actions import MAX_ATTEMPTS, do_deliver_message, do_requeue_stalled
from hearline.notify.backends import MemoryBackend
from hearline.notify.message_ids import message_id
from hearline.notify.models import Notification, OutboundMessage
from hearline.testing.org import register, valid_payload

EMAIL_PERSON = ComplainantData(
    name="陈明", email="chen@example.org", phone="13600001111", preferred_channel="email"
)


def _events(case, action):
    return list(CaseEvent.objects.filter(case=case, action=action).order_by("seq"))


def test_registration_acknowledges_by_sms_after_commit(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = register(org).case
    [sms] = MemoryBackend.outbox
    assert sms["to"] == "13812345678" and case.tracking_number in sms["body"]
    assert sms["subject"].startswith(f"[{case.tracking_number}]") and "已受理" in sms["body"]
    link = sms["body"].split("可在 ")[1].split(" ")[0]
    page = Client().get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.context["case"] == case and not page.context["error"]
    message = OutboundMessage.objects.get()
    assert (message.status, message.attempts, message.purpose) == ("sent", 1, "acknowledgement")
    [event] = _events(case, "message_sent")
    assert event.actor is None and event.details["by"] == "system"
    assert (
        event.details["recipient"] == "138****5678"
        and event.details["purpose"] == "acknowledgement"
    )
    # A second delivery of the same message (a duplicated task) sends nothing.
    assert do_deliver_message(message.pk) == "skipped"
    assert len(MemoryBackend.outbox) == 1 and len(_events(case, "message_sent")) == 1


def test_email_goes_through_smtp_and_a_deferral_is_retried_once(
    org, smtp, django_capture_on_commit_callbacks
):
    smtp.handler.answers.append("451 4.3.0 Mailbox busy, try later")
    with django_capture_on_commit_callbacks(execute=True):
        case = register(org, complainant=EMAIL_PERSON).case
    message = OutboundMessage.objects.get()
    assert (message.status, message.attempts, message.last_error) == ("retrying", 1, "SMTP 451")
    assert not _events(case, "message_sent") and not smtp.handler.received

    assert do_deliver_message(message.pk) == "sent"  # what Huey's retry does
    [mail] = smtp.handler.received
    assert mail["To"] == "chen@example.org" and case.tracking_number in mail["Subject"]
    # (A long Message-ID is folded onto a line of its own, which RFC 5322 allows.)
    assert mail["Message-ID"].strip() == message_id(message)
    assert mail["Message-ID"].strip().startswith(f"<hearline.{message.pk}.{case.tracking_number}.")
    assert case.tracking_number in mail.get_content()
    [event] = _events(case, "message_sent")
    assert event.details["attempts"] == 2 and event.details["recipient"] == "c***@example.org"
    assert do_deliver_message(message.pk) == "skipped" and len(smtp.handler.received) == 1


def test_a_refused_address_fails_at_once_and_tells_the_owner(
    org, smtp, django_capture_on_commit_callbacks
):
    smtp.handler.answers.append("550 5.1.1 No such user")
    with django_capture_on_commit_callbacks(execute=True):
        case = register(org, complainant=EMAIL_PERSON).case
    message = OutboundMessage.objects.get()
    assert message.status == "failed" and message.attempts == 1
    [event] = _events(case, "message_failed")
    assert event.details["error"] == "SMTP 550"
    assert Notification.objects.filter(recipient=case.owner, event=event).exists()


def test_temporary_failures_give_up_after_the_last_attempt(org, smtp):
    case = register(org, complainant=EMAIL_PERSON).case
    message = OutboundMessage.objects.get()
    smtp.handler.answers.extend(["421 4.4.2 Timeout"] * MAX_ATTEMPTS)
    outcomes = [do_deliver_message(message.pk) for _ in range(MAX_ATTEMPTS)]
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert len(_events(case, "message_failed")) == 1 and not smtp.handler.received
    assert do_deliver_message(message.pk) == "skipped"


def test_an_address_that_can_never_be_written_to_fails_once_and_tells_the_owner(org, smtp, caplog):
    case = register(org, complainant=EMAIL_PERSON).case
    # Stored before intake validated e-mail addresses.
    Complainant.objects.filter(pk=case.complainant_id).update(
        email="chen@example.org\nBcc: everyone@example.org"
    )
    message = OutboundMessage.objects.get()
    assert do_deliver_message(message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    [event] = _events(case, "message_failed")
    assert event.details["error"] == "invalid address"
    assert Notification.objects.filter(recipient=case.owner, event=event).exists()
    assert not smtp.handler.received
    assert "everyone@example.org" not in caplog.text
    assert do_requeue_stalled() == 0 and do_deliver_message(message.pk) == "skipped"


def test_a_header_django_will_not_write_fails_the_message_once(org, smtp):
    case = register(org, complainant=EMAIL_PERSON).case
    message = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=message.pk).update(subject="停水\nBcc: x@example.org")
    assert do_deliver_message(message.pk) == "failed"
    [event] = _events(case, "message_failed")
    assert event.details["error"] == "invalid header" and not smtp.handler.received


def test_a_message_whose_sends_keep_dying_is_failed_not_requeued_for_ever(org):
    """A send that kills its worker (or raises what nobody expected) leaves the message
    claimed; after the last attempt the catch-up fails it and tells the owner instead of
    claiming it again every few minutes."""
    case = register(org).case
    message = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending",
        attempts=MAX_ATTEMPTS,
        claimed_at=timezone.now() - timedelta(minutes=11),
    )
    assert do_requeue_stalled() == 0
    message.refresh_from_db()
    assert message.status == "failed" and not MemoryBackend.outbox
    [event] = _events(case, "message_failed")
    assert event.details["attempts"] == MAX_ATTEMPTS and event.details["recipient"] == "138****5678"
    assert Notification.objects.filter(recipient=case.owner, event=event).exists()
    assert do_requeue_stalled() == 0 and len(_events(case, "message_failed")) == 1


def test_no_address_no_message(org):
    register(org, channel="web", complainant=ComplainantData(name="李", phone="0574-8765432"))
    assert not OutboundMessage.objects.exists()  # a landline: the public page shows progress


def test_reply_sends_the_reply_and_the_rating_request(org, django_capture_on_commit_callbacks):
    case = register(org).case
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(
            case.pk,
            "close_on_spot",
            acting_user=org.agent,
            payload=valid_payload("close_on_spot", org),
        )
    purposes = [m["purpose"] for m in MemoryBackend.outbox]
    assert purposes == ["reply", "rating_request"]
    assert "预计今晚恢复" in MemoryBackend.outbox[0]["body"]


def test_dispatch_tells_the_department_and_the_complainant(
    org, smtp, django_capture_on_commit_callbacks
):
    org.repair_handler.email = "repair@example.org"
    org.repair_handler.save()
    case = register(org).case
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(
            case.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "repair"}
        )
    assignments = Notification.objects.filter(case=case, kind="assignment")
    assert {n.recipient.username for n in assignments} == {"repair_handler", "repair_handler2"}
    [mail] = smtp.handler.received
    assert mail["To"] == "repair@example.org" and case.tracking_number in mail["Subject"]
    assert [m["purpose"] for m in MemoryBackend.outbox] == ["progress"]


def test_a_delivery_report_does_not_void_a_form_opened_before_it(org):
    case = register(org).case
    version_seen = case.version
    do_deliver_message(OutboundMessage.objects.get().pk)  # adds message_sent to the timeline
    updated = do_transition(
        case.pk,
        "dispatch",
        acting_user=org.dispatcher,
        payload={"department": "repair"},
        expected_version=version_seen,
    )
    assert updated.state == "dispatched"


def test_lost_tasks_are_requeued(org, django_capture_on_commit_callbacks):
    register(org)
    message = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert do_requeue_stalled() == 1
    message.refresh_from_db()
    assert message.status == "sent" and len(MemoryBackend.outbox) == 1


def test_a_send_cut_off_by_a_dead_worker_is_requeued_at_once(
    org, django_capture_on_commit_callbacks
):
    """A worker killed between claiming and sending takes the message's task with it: once
    the claim is stale the message goes straight back on the queue (not after the retry
    horizon of a message that is merely waiting to retry)."""
    register(org)
    message = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, claimed_at=timezone.now() - timedelta(minutes=11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert do_requeue_stalled() == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2 and len(MemoryBackend.outbox) == 1


@pytest.mark.parametrize("channel", ["sms", "phone"])
def test_mobile_numbers_get_sms_whatever_phone_preference(org, channel):
    person = ComplainantData(name="王", phone="+86 138 1234 5678", preferred_channel=channel)
    register(org, complainant=person)
    assert OutboundMessage.objects.get().channel == "sms"


def test_the_case_page_shows_delivery_reports(client, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = register(org).case
    client.force_login(org.agent)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "消息已发送" in page and "受理告知 · 短信 → 138****5678 · 共尝试 1 次" in page
    assert "13812345678" not in page
