"""Running an incident: coordinators, bulletins, households, closure and review."""

from datetime import timedelta

import pytest

from hearline.cases.models import Case, ComplainantAccess
from hearline.cases.submission import ComplainantData
from hearline.cases.workflow import IllegalTransition, InvalidInput, NotAllowed, NotFound
from hearline.core.timetravel import at_time
from hearline.incidents import actions
from hearline.incidents.actions import do_view_households
from hearline.incidents.models import (
    BulletinDelivery,
    Incident,
    IncidentEvent,
)
from hearline.notify.backends import MemoryBackend
from hearline.notify.models import OutboundMessage, Purpose
from hearline.testing.org import register

from .helpers import T0, open_incident, outage


def test_only_the_incident_coordinators_act_on_it(org, water):
    with at_time(T0):
        for n in range(5):
            outage(org, n)
    incident = Incident.objects.get()
    with pytest.raises(NotAllowed):
        actions.do_confirm_incident(incident.pk, acting_user=org.water_supervisor)
    with pytest.raises(NotFound):
        actions.do_confirm_incident(incident.pk, acting_user=org.metro_handler)
    with pytest.raises(NotAllowed):
        actions.do_open_incident(
            kind="water-supply", title="x", districts=["a"], acting_user=org.dispatcher
        )
    with pytest.raises(InvalidInput) as bad:
        actions.do_confirm_incident(
            incident.pk, districts=[], radius_m=None, acting_user=org.coordinator
        )
    assert bad.value.details["fields"] == {"districts": "area_required"}
    assert Incident.objects.get().state == "proposed"


def test_confirming_marks_each_linked_case_on_its_timeline(org, water, committed):
    with at_time(T0):
        cases = [outage(org, n).case for n in range(5)]
    incident = Incident.objects.get()
    with committed():
        actions.do_confirm_incident(incident.pk, title="海曙区停水", acting_user=org.coordinator)
    for case in cases:
        assert case.events.filter(action="link_incident").count() == 1
    assert Incident.objects.get().state == "open"
    assert Incident.objects.get().next_bulletin_due_at is not None
    with pytest.raises(IllegalTransition):
        actions.do_confirm_incident(incident.pk, acting_user=org.coordinator)


def test_a_bulletin_reaches_each_person_once_in_their_channel(org, water, committed):
    incident = open_incident(org)
    outage(org, 1, phone="13900000001", name="周先生")
    outage(org, 2, phone="13900000001", name="周先生")  # the same person calls twice
    outage(org, 3, phone="13900000003")
    with committed():
        bulletin = actions.do_publish_bulletin(
            incident.pk, text="正在抢修", acting_user=org.coordinator
        )
    deliveries = BulletinDelivery.objects.filter(bulletin=bulletin)
    assert deliveries.count() == 2
    sent = [m for m in MemoryBackend.outbox if m["purpose"] == Purpose.BULLETIN]
    assert sorted(m["to"] for m in sent) == ["13900000001", "13900000003"]
    assert actions.do_deliver_bulletin(bulletin.pk) == 0  # a retried task sends nothing more
    assert OutboundMessage.objects.filter(purpose=Purpose.BULLETIN).count() == 2


def test_reminder_before_the_bulletin_and_overdue_after_it_each_once(org, water):
    with at_time(T0):
        incident = open_incident(org)
        actions.do_publish_bulletin(incident.pk, text="正在抢修", acting_user=org.coordinator)
    due = T0 + timedelta(hours=6)
    assert Incident.objects.get().next_bulletin_due_at == due
    assert actions.do_bulletin_sweep(due - timedelta(minutes=45)) == (0, 0)
    assert actions.do_bulletin_sweep(due - timedelta(minutes=20)) == (1, 0)
    assert actions.do_bulletin_sweep(due - timedelta(minutes=10)) == (0, 0)
    assert actions.do_bulletin_sweep(due + timedelta(minutes=1)) == (0, 1)
    assert actions.do_bulletin_sweep(due + timedelta(minutes=5)) == (0, 0)
    assert IncidentEvent.objects.filter(action="bulletin_overdue").count() == 1
    with at_time(due + timedelta(minutes=20)):
        late = actions.do_publish_bulletin(
            incident.pk, text="仍在抢修", acting_user=org.coordinator
        )
    assert not late.on_time


def test_households_list_the_vulnerable_and_every_view_is_logged(org, water):
    earlier = register(
        org,
        description="小区路灯坏了",
        complainant=ComplainantData(name="孙大爷", phone="13700000009", is_elderly=True),
    )
    incident = open_incident(org)
    frail = register(
        org,
        description="停水两天了，家里有瘫痪卧床的老人，没法做饭。",
        complainant=ComplainantData(name="刘女士", phone="13700000001", address="海曙区1号"),
    )
    outage(org, 2)
    rows = do_view_households(incident.pk, acting_user=org.coordinator)
    assert [(r.name, r.linked) for r in rows] == [("刘女士", True), ("孙大爷", False)]
    assert rows[0].cases == [frail.case.tracking_number]
    assert ComplainantAccess.objects.filter(user=org.coordinator).count() == 2
    assert earlier.case.pk in ComplainantAccess.objects.values_list("case_id", flat=True)
    with pytest.raises(NotAllowed):
        do_view_households(incident.pk, acting_user=org.water_supervisor)
    support = actions.do_record_support(
        incident.pk,
        complainant_id=rows[0].complainant_id,
        what="送水两桶",
        acting_user=org.coordinator,
    )
    assert support.delivered_by == org.coordinator
    with pytest.raises(InvalidInput):
        actions.do_record_support(
            incident.pk, complainant_id=999999, what="送水两桶", acting_user=org.coordinator
        )


def test_the_restoration_notice_replies_to_waiting_cases_and_keeps_others_open(
    org, water, committed
):
    incident = open_incident(org)
    waiting = outage(org, 1).case
    more = outage(org, 2).case
    actions.do_mark_own_needs(
        incident.pk, more.tracking_number, own_needs=True, acting_user=org.coordinator
    )
    with committed():
        actions.do_close_incident(
            incident.pk,
            notice="供水已恢复。恢复初期水质可能浑浊，请先放水几分钟。",
            finding="中山路DN300铸铁管老化爆裂",
            resolution="更换破损管段6米",
            acting_user=org.coordinator,
        )
    waiting.refresh_from_db()
    more.refresh_from_db()
    assert waiting.state == "replied" and waiting.reply.startswith("供水已恢复")
    assert waiting.resolution_type == "repair" and waiting.clock.resolved_at is not None
    purposes = set(waiting.messages.values_list("purpose", flat=True))
    assert {Purpose.REPLY, Purpose.RATING_REQUEST} <= purposes
    assert more.state == "registered"
    assert more.messages.filter(purpose=Purpose.BULLETIN).count() == 1
    assert Incident.objects.get().state == "resolved"


def test_the_review_records_figures_and_corrective_actions(org, water, committed):
    with at_time(T0):
        incident = open_incident(org)
        for n in range(3):
            outage(org, n)
    with at_time(T0 + timedelta(minutes=30)):
        actions.do_publish_bulletin(incident.pk, text="抢修中", acting_user=org.coordinator)
    with at_time(T0 + timedelta(hours=7)):
        actions.do_publish_bulletin(incident.pk, text="抢修中", acting_user=org.coordinator)
    with at_time(T0 + timedelta(hours=30)), committed():
        actions.do_close_incident(
            incident.pk,
            notice="已恢复",
            finding="爆管",
            resolution="换管",
            acting_user=org.coordinator,
        )
    for case in Case.objects.all()[:2]:
        case.refresh_from_db()
        from hearline.cases.actions import do_complainant_transition

        do_complainant_transition(
            case,
            "record_rating",
            payload={"confirmation": "solved", "satisfaction": "satisfied"},
        )
    with pytest.raises(InvalidInput):
        actions.do_review_incident(
            incident.pk, summary="x", corrective_actions=[{"what": ""}], acting_user=org.coordinator
        )
    reviewed = actions.do_review_incident(
        incident.pk,
        summary="老旧管网爆裂",
        corrective_actions=[{"what": "明年改造中山路老旧管网", "due_date": "2027-06-30"}],
        acting_user=org.coordinator,
    )
    figures = reviewed.review["figures"]
    assert figures["cases"] == 3 and figures["peak_per_hour"] == 3
    assert (figures["bulletins"], figures["bulletins_on_time"]) == (2, 1)
    assert figures["hours_to_restore"] == 30.0
    assert figures["rated"] == 2 and figures["satisfaction_rate"] == 1.0
    steps = [step["action"] for step in reviewed.review["timeline"]]
    assert steps == ["open", "publish_bulletin", "publish_bulletin", "close"]
    assert [s.get("on_time") for s in reviewed.review["timeline"][1:3]] == [True, False]
    action = reviewed.corrective_actions.get()
    assert str(action.due_date) == "2027-06-30" and action.districts == ["海曙区"]


def test_a_caller_who_gave_new_details_is_one_household_and_gets_each_bulletin_once(
    org, water, committed
):
    incident = open_incident(org)
    outage(org, 1, phone="13900000007", name="钱奶奶")
    newer = register(
        org,
        description="停水第二天了，我腿脚不便下不了楼。",
        district="海曙区",
        complainant=ComplainantData(
            name="钱奶奶", phone="13900000007", address="海曙区新居5号", is_disabled=True
        ),
    ).case
    rows = do_view_households(incident.pk, acting_user=org.coordinator)
    assert [(r.name, r.address, r.needs, len(r.cases)) for r in rows] == [
        ("钱奶奶", "海曙区新居5号", ["disabled"], 2)
    ]
    with committed():
        bulletin = actions.do_publish_bulletin(
            incident.pk, text="正在抢修", acting_user=org.coordinator
        )
    delivery = BulletinDelivery.objects.get(bulletin=bulletin)
    assert delivery.case == newer
    assert actions.do_deliver_bulletin(bulletin.pk) == 0


def _close(org, incident, **extra):
    return actions.do_close_incident(
        incident.pk,
        notice="已恢复",
        finding="爆管",
        resolution="换管",
        **extra,
        acting_user=org.coordinator,
    )


def test_the_restoration_time_is_the_one_the_coordinator_gives(org, water, committed):
    with at_time(T0):
        incident = open_incident(org)
    restored = T0 + timedelta(hours=26, minutes=40)
    with at_time(T0 + timedelta(hours=30)), committed():
        bulletin = _close(org, incident, restored_at=restored)
    incident.refresh_from_db()
    assert incident.resolved_at == restored
    assert bulletin.published_at == T0 + timedelta(hours=30)
    close = incident.events.get(action="close")
    assert close.details["restored_at"] == restored.isoformat()
    with at_time(T0 + timedelta(days=2)):
        reviewed = actions.do_review_incident(
            incident.pk, summary="爆管", corrective_actions=[], acting_user=org.coordinator
        )
    assert reviewed.review["figures"]["hours_to_restore"] == 26.7


def test_without_a_restoration_time_the_notice_dates_it(org, water, committed):
    with at_time(T0):
        incident = open_incident(org)
    with at_time(T0 + timedelta(hours=5)), committed():
        _close(org, incident)
    incident.refresh_from_db()
    assert incident.resolved_at == T0 + timedelta(hours=5)


@pytest.mark.parametrize(
    "offset,code",
    [(timedelta(hours=6), "in_future"), (timedelta(hours=-1), "before_incident_start")],
)
def test_a_restoration_in_the_future_or_before_the_start_is_refused(org, water, offset, code):
    with at_time(T0):
        incident = open_incident(org)
    with at_time(T0 + timedelta(hours=5)), pytest.raises(InvalidInput) as refused:
        _close(org, incident, restored_at=T0 + offset)
    assert refused.value.details["fields"] == {"restored_at": code}
    incident.refresh_from_db()
    assert (incident.state, incident.resolved_at) == ("open", None)
    assert not incident.bulletins.exists()


def test_the_api_close_takes_the_restoration_time_with_its_offset(client, org, water):
    import json

    from hearline.api.actions import do_create_api_token

    token = do_create_api_token(name="chief", role="coordinator", department_code="water")[1]
    with at_time(T0):
        incident = open_incident(org)
    body = {"notice": "已恢复", "finding": "爆管", "resolution": "换管"}
    url = f"/api/v1/incidents/{incident.pk}/close"
    with at_time(T0 + timedelta(hours=30)):
        late = client.post(
            url,
            json.dumps(body | {"restored_at": "2026-07-16T16:00:00+08:00"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert late.status_code == 422
        assert late.json()["fields"] == {"restored_at": "in_future"}
        closed = client.post(
            url,
            json.dumps(body | {"restored_at": "2026-07-16T02:40:00Z"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert closed.status_code == 200
    assert closed.json()["resolved_at"].startswith("2026-07-16T02:40:00")
    assert Incident.objects.get().resolved_at == T0 + timedelta(hours=26, minutes=40)


def _api(client, method, url, body, token):
    import json

    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59"])
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        (
            "post",
            "",
            {"title": "停水", "kind": "water-supply", "districts": ["海曙区"]},
            "started_at",
        ),
        (
            "post",
            "",
            {"title": "停水", "kind": "water-supply", "districts": ["海曙区"]},
            "expected_restoration_at",
        ),
        ("patch", "/{id}", {}, "expected_restoration_at"),
        ("post", "/{id}/bulletins", {"text": "抢修中"}, "expected_restoration_at"),
        (
            "post",
            "/{id}/close",
            {"notice": "已恢复", "finding": "爆管", "resolution": "换管"},
            "restored_at",
        ),
    ],
)
def test_incident_times_at_the_ends_of_the_calendar_are_422_and_change_nothing(
    client, org, water, moment, method, path, body, field
):
    from hearline.api.actions import do_create_api_token

    token = do_create_api_token(name="chief", role="coordinator", department_code="water")[1]
    incident = open_incident(org)
    url = "/api/v1/incidents" + path.format(id=incident.pk)
    answer = _api(client, method, url, body | {field: moment}, token)
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    assert answer.json()["fields"] == {field: "out_of_range"}
    assert Incident.objects.get() == incident and not incident.bulletins.exists()
    incident.refresh_from_db()
    assert (incident.state, incident.expected_restoration_at) == ("open", None)


def test_an_api_time_without_an_offset_is_hearlines_local_time(client, org, water):
    from hearline.api.actions import do_create_api_token

    token = do_create_api_token(name="chief", role="coordinator", department_code="water")[1]
    with at_time(T0):
        incident = open_incident(org)
        body = {"text": "抢修中", "expected_restoration_at": "2026-07-15T18:00:00"}
        answer = _api(client, "post", f"/api/v1/incidents/{incident.pk}/bulletins", body, token)
    assert answer.status_code == 201
    incident.refresh_from_db()
    assert incident.expected_restoration_at == T0 + timedelta(hours=10)
