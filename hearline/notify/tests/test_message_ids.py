"""The Message-IDs of our e-mails: fixed per message, keyed, and read back from a reply's
thread only when they are ours and went to a case's complainant."""

from hearline.cases.submission import ComplainantData
from hearline.notify.message_ids import case_of_thread, message_id
from hearline.notify.models import OutboundMessage
from hearline.testing.org import register

PERSON = ComplainantData(name="陈明", email="chen@example.org", preferred_channel="email")


def test_a_message_id_is_fixed_per_message_and_keyed(org, settings):
    case = register(org, complainant=PERSON).case
    message = OutboundMessage.objects.get(case=case)
    ours = message_id(message)
    assert ours == message_id(message) and case_of_thread(["<x@y.z>", ours]) == case
    settings.SECRET_KEY = "another key, another tag " * 2
    assert message_id(message) != ours and case_of_thread([ours]) is None


def test_a_reply_after_the_key_was_rotated_still_finds_its_case(org, settings):
    case = register(org, complainant=PERSON).case
    ours = message_id(OutboundMessage.objects.get(case=case))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the new key, rotated after the mail went out"
    assert case_of_thread([ours]) == case


def test_a_staff_notice_is_no_thread_with_the_complainant(org):
    case = register(org, complainant=PERSON).case
    notice = OutboundMessage.objects.create(
        case=case,
        audience="staff",
        recipient=org.dispatcher,
        channel="email",
        purpose="urge",
        subject="催办",
        body="请尽快处理",
        dedupe_key="notice:test",
    )
    assert case_of_thread([message_id(notice)]) is None
