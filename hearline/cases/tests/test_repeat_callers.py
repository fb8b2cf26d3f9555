"""A caller on file who gives other details with a new complaint: the new case keeps them,
the person on file is updated, the older details stay with the older cases."""

from django.core import mail

from hearline.cases.models import Complainant
from hearline.cases.submission import ComplainantData
from hearline.notify.models import MessageChannel, Purpose
from hearline.testing.org import register

PHONE = "13911112222"


def _call(org, committed, **details):
    with committed():
        return register(
            org, complainant=ComplainantData(name="赵大爷", phone=PHONE, **details)
        ).case


def test_a_repeat_callers_new_details_go_with_the_new_case(org, committed):
    first = _call(org, committed, address="海曙区旧址1号")
    second = _call(
        org,
        committed,
        email="zhao@example.cn",
        address="海曙区新址9号",
        preferred_channel="email",
        is_elderly=True,
    )
    assert second.complainant_id != first.complainant_id
    person = second.complainant
    assert (person.email, person.address, person.preferred_channel, person.is_elderly) == (
        "zhao@example.cn",
        "海曙区新址9号",
        "email",
        True,
    )
    assert person.person_id == first.complainant_id, "the same person, a newer record"
    first.complainant.refresh_from_db()
    assert (first.complainant.address, first.complainant.email) == ("海曙区旧址1号", "")
    ack = second.messages.get(purpose=Purpose.ACKNOWLEDGEMENT)
    assert ack.channel == MessageChannel.EMAIL
    assert [m.to for m in mail.outbox if second.tracking_number in m.subject] == [
        ["zhao@example.cn"]
    ]
    assert first.messages.get(purpose=Purpose.ACKNOWLEDGEMENT).channel == MessageChannel.SMS


def test_the_person_on_file_is_the_newest_record_and_keeps_what_a_call_leaves_out(org, committed):
    _call(org, committed)
    updated = _call(org, committed, email="zhao@example.cn", is_ill=True)
    third = _call(org, committed, preferred_channel="sms")
    assert third.complainant.email == "zhao@example.cn" and third.complainant.is_ill
    assert third.complainant.person_id == updated.complainant.person_id
    same_again = _call(org, committed, preferred_channel="sms")
    assert same_again.complainant_id == third.complainant_id
    assert Complainant.objects.filter(phone=PHONE).count() == 3
