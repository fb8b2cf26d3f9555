"""Each staff member chooses which notices also come by e-mail or SMS; the defaults send what
must be acted on now. 催办 carries a note and waits for the handler's acknowledgement."""

import re

import pytest
from django.test import Client

from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.cases.workflow import IllegalTransition, InvalidInput
from hearline.notify.actions import do_set_notice_channels
from hearline.notify.inbox import inbox
from hearline.notify.models import NotificationKind, OutboundMessage
from hearline.notify.preferences import DEFAULT_CHANNELS
from hearline.testing.org import case_in_state, register


def _reachable(user, *, email="", mobile=""):
    user.email, user.mobile = email, mobile
    user.save(update_fields=["email", "mobile"])


def _copies(user):
    return sorted(OutboundMessage.objects.filter(recipient=user).values_list("purpose", "channel"))


def test_every_kind_has_a_default():
    assert set(DEFAULT_CHANNELS) == set(NotificationKind.values)


def test_defaults_then_the_users_own_choice(org):
    handler = org.repair_handler
    _reachable(handler, email="wang@water.example", mobile="13900001111")
    case = register(org).case
    do_transition(case.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "repair"})
    assert _copies(handler) == [("assignment", "email")]  # by default: e-mail only

    do_set_notice_channels(
        {"assignment": ["sms"], "step": ["email"]}, acting_user=handler, mobile="139-0000-2222"
    )
    handler.refresh_from_db()
    assert handler.mobile == "13900002222"
    other = register(org).case
    do_transition(
        other.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "repair"}
    )
    assert _copies(handler) == [("assignment", "email"), ("assignment", "sms")]
    [sms] = OutboundMessage.objects.filter(recipient=handler, channel="sms")
    assert sms.case == other and other.tracking_number in sms.subject


def test_nothing_goes_to_an_address_the_user_has_not_got(org):
    handler = org.repair_handler
    _reachable(handler)  # neither e-mail nor mobile
    case = case_in_state(org, "in_progress")
    do_transition(case.pk, "urge", acting_user=org.repair_supervisor, payload={"note": "今天办结"})
    assert [n.kind for n in inbox(handler, unread=True, kind="urge")] == ["urge"]
    assert _copies(handler) == []


def test_bad_choices_are_refused_and_change_nothing(org):
    handler = org.repair_handler
    with pytest.raises(InvalidInput) as sms_without_number:
        do_set_notice_channels({"urge": ["sms"]}, acting_user=handler)
    assert sms_without_number.value.details["fields"] == {"mobile": "mobile_required"}
    with pytest.raises(InvalidInput) as bad:
        do_set_notice_channels(
            {"urge": ["pigeon"], "gossip": ["email"]}, acting_user=handler, mobile="12345"
        )
    assert bad.value.details["fields"] == {
        "urge": "invalid_choice",
        "gossip": "invalid_choice",
        "mobile": "invalid_phone",
    }
    handler.refresh_from_db()
    assert (handler.notice_channels, handler.mobile) == ({}, "")


def test_the_settings_page_saves_and_explains_in_chinese(org):
    client = Client()
    client.force_login(org.repair_handler)
    page = client.get("/staff/notifications/settings/")
    assert page.status_code == 200
    assert re.search(r'<input type="checkbox" name="urge__sms"[^>]* checked', page.content.decode())
    refused = client.post("/staff/notifications/settings/", {"urge__sms": "on", "mobile": ""})
    assert refused.status_code == 422 and "请填写手机号以接收短信通知" in refused.content.decode()
    saved = client.post(
        "/staff/notifications/settings/", {"assignment__sms": "on", "mobile": "13900003333"}
    )
    assert saved.status_code == 302
    org.repair_handler.refresh_from_db()
    assert org.repair_handler.notice_channels["assignment"] == ["sms"]
    assert org.repair_handler.notice_channels["urge"] == []  # unticked: no copies


def test_urging_needs_a_note_and_the_handlers_acknowledgement(org):
    case = case_in_state(org, "in_progress")
    with pytest.raises(InvalidInput):
        do_transition(case.pk, "urge", acting_user=org.repair_supervisor, payload={})
    with pytest.raises(IllegalTransition):
        do_transition(case.pk, "acknowledge_urge", acting_user=org.repair_handler)

    do_transition(
        case.pk, "urge", acting_user=org.repair_supervisor, payload={"note": "今天内办结"}
    )
    assert Case.objects.get(pk=case.pk).urge_pending
    [urged] = inbox(org.repair_handler, kind="urge")
    assert "今天内办结" in urged.text

    do_transition(
        case.pk, "acknowledge_urge", acting_user=org.repair_handler, payload={"note": "下午到场"}
    )
    assert not Case.objects.get(pk=case.pk).urge_pending
    [acknowledged] = inbox(org.repair_supervisor, kind="urge_ack")
    assert acknowledged.case == case and "下午到场" in acknowledged.text
    with pytest.raises(IllegalTransition):  # nothing left to acknowledge
        do_transition(case.pk, "acknowledge_urge", acting_user=org.repair_handler)
    event = case.events.get(action="acknowledge_urge")
    assert event.details["note"] == "下午到场" and event.actor == org.repair_handler
