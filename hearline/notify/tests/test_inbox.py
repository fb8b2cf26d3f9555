"""The staff inbox: every notice reaches its recipient's inbox (unread first, marked read
by them only), in the page, the navigation's badge and the API."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from hearline.cases.actions import do_transition
from hearline.cases.labels import ACTION_LABELS
from hearline.core.errors import NotFound
from hearline.notify.actions import do_mark_notification_read, do_mark_notifications_read
from hearline.notify.inbox import inbox, unread_count
from hearline.notify.models import Notification
from hearline.testing.org import case_in_state, register, valid_payload


def _dispatched(org):
    case = register(org).case
    do_transition(case.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "repair"})
    return case


def test_the_owner_and_the_department_find_their_notices_unread_first(org):
    case = _dispatched(org)
    [step] = inbox(org.agent)
    assert (step.kind, step.case, step.event.action) == ("step", case, "dispatch")
    with translation.override(settings.LANGUAGE_CODE):
        assert step.text == f"dispatcher: {ACTION_LABELS['dispatch']}"
    assert [n.kind for n in inbox(org.repair_handler)] == ["assignment"]

    older = _dispatched(org)
    do_mark_notification_read(step.pk, acting_user=org.agent)
    listed = list(inbox(org.agent))
    assert [n.case for n in listed] == [older, case] and listed[1].read_at is not None
    assert [n.case for n in inbox(org.agent, unread=True)] == [older]
    assert unread_count(org.agent) == 1 and not list(inbox(org.agent, kind="urge"))


def test_a_notice_is_read_only_by_its_recipient_and_first_reading_is_kept(org):
    _dispatched(org)
    [notice] = inbox(org.agent)
    with pytest.raises(NotFound):
        do_mark_notification_read(notice.pk, acting_user=org.repair_handler)
    assert Notification.objects.get(pk=notice.pk).read_at is None
    first = do_mark_notification_read(notice.pk, acting_user=org.agent).read_at
    assert do_mark_notification_read(notice.pk, acting_user=org.agent).read_at == first
    _dispatched(org)
    assert do_mark_notifications_read(acting_user=org.agent, kind="urge") == 0
    assert do_mark_notifications_read(acting_user=org.agent) == 1
    assert unread_count(org.agent) == 0 and unread_count(org.repair_handler) == 2


def test_the_inbox_page_lists_marks_read_and_opens_the_case(org):
    case = _dispatched(org)
    client = Client()
    client.force_login(org.repair_handler)
    page = client.get("/staff/notifications/")
    assert page.status_code == 200 and case.tracking_number in page.content.decode()
    assert 'id="nav-unread"' in page.content.decode()
    assert client.get("/staff/notifications/badge/").content.decode().count(">1<") == 1
    [notice] = inbox(org.repair_handler)
    other = Client()
    other.force_login(org.customer_handler)
    assert other.post(f"/staff/notifications/{notice.pk}/open/").status_code == 404
    opened = client.post(f"/staff/notifications/{notice.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == f"/staff/cases/{case.pk}/"
    assert unread_count(org.repair_handler) == 0
    assert ">0<" in client.get("/staff/notifications/badge/").content.decode()
    filtered = client.get("/staff/notifications/?kind=urge&unread=1").content.decode()
    assert case.tracking_number not in filtered


def test_the_api_lists_the_callers_notices_and_marks_one_read(org):
    case = _dispatched(org)
    client = Client()
    client.force_login(org.repair_handler)
    listed = client.get("/api/v1/notifications?unread=true").json()
    [item] = listed["items"]
    assert (item["kind"], item["case"], item["read_at"]) == (
        "assignment",
        case.tracking_number,
        None,
    )
    assert listed["next_offset"] is None and item["kind_label"]

    read = client.post(f"/api/v1/notifications/{item['id']}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert client.get("/api/v1/notifications?unread=true").json()["items"] == []
    assert len(client.get("/api/v1/notifications").json()["items"]) == 1

    stranger = Client()
    stranger.force_login(org.agent)
    refused = stranger.post(f"/api/v1/notifications/{item['id']}/read")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    bad = stranger.get("/api/v1/notifications?kind=gossip")
    assert bad.status_code == 422 and bad.json()["fields"] == {"kind": "invalid_choice"}
    assert Client().get("/api/v1/notifications").status_code == 401


def test_the_api_pages_through_many_notices(org):
    for _ in range(3):
        _dispatched(org)
    client = Client()
    client.force_login(org.repair_handler)
    first = client.get("/api/v1/notifications?limit=2").json()
    rest = client.get(f"/api/v1/notifications?limit=2&offset={first['next_offset']}").json()
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert len(ids) == 3 == len(set(ids)) and rest["next_offset"] is None


def test_a_handlers_extension_request_waits_in_the_supervisors_inbox(org):
    case = case_in_state(org, "in_progress")
    do_transition(
        case.pk,
        "request_extension",
        acting_user=org.repair_handler,
        payload=valid_payload("request_extension", org),
    )
    [approval] = inbox(org.repair_supervisor, kind="approval")
    assert approval.case == case and "需要协调道路开挖许可" in approval.text
