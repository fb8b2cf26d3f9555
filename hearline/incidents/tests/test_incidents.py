"""Incidents: detection at intake, linking, bulletins, households, closure and review."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hearline.cases.models import Case, ComplainantAccess
from hearline.cases.submission import ComplainantData
from hearline.cases.workflow import IllegalTransition, InvalidInput, NotAllowed, NotFound
from hearline.core.timetravel import at_time
from hearline.incidents import actions
from hearline.incidents.models import (
    BulletinDelivery,
    Incident,
    IncidentCase,
    IncidentEvent,
    IncidentKind,
)
from hearline.incidents.vulnerable import do_view_households
from hearline.notify.backends import MemoryBackend
from hearline.notify.models import Notification, NotificationKind, OutboundMessage, Purpose
from hearline.testing.org import register

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 7, 15, 8, 0, tzinfo=TZ)  # a Wednesday


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …` runs what the block queued for after commit (Huey tasks run
    immediately in tests), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def water(org):
    kind = IncidentKind.objects.get(code="water-supply")
    kind.department = org.departments["water"]
    kind.save()
    return kind


def outage(org, n: int, *, district="海曙区", phone=None, name=None, **extra):
    return register(
        org,
        description=f"家里停水了，第{n}户，一直没有来水。",
        district=district,
        address=f"{district}中山西路{n}号",
        complainant=ComplainantData(
            name=name or f"住户{n}",
            phone=phone or f"138{n:08d}",
            address=f"{district}中山西路{n}号",
        ),
        **extra,
    )


def test_the_fifth_outage_complaint_in_a_district_proposes_one_incident(org, water):
    with at_time(T0):
        first = [outage(org, n) for n in range(4)]
    assert not Incident.objects.exists()
    with at_time(T0 + timedelta(minutes=20)):
        fifth = outage(org, 4)
        sixth = outage(org, 5)
    incident = Incident.objects.get()
    assert incident.state == "proposed" and incident.districts == ["海曙区"]
    assert incident.started_at == first[0].case.registered_at
    linked = set(incident.links.values_list("case_id", flat=True))
    assert linked == {r.case.pk for r in [*first, fifth, sixth]}
    told = Notification.objects.filter(kind=NotificationKind.INCIDENT)
    assert [n.recipient.username for n in told] == ["coordinator"]
    assert fifth.incident is None  # nothing to read out before a bulletin exists


def test_unrelated_complaints_do_not_make_a_burst(org, water):
    with at_time(T0):
        for n in range(3):
            outage(org, n)  # 海曙区: below the threshold
        for n in range(3, 6):
            outage(org, n, district="江北区")
        for _ in range(6):
            register(org, description="楼下广场舞噪音太大，晚上十点还在放音乐。")
            register(org, description="家里自来水水压很低，洗澡时水流很小。")  # not an outage
    with at_time(T0 + timedelta(hours=3)):
        outage(org, 20)
        outage(org, 21)  # the first three are out of the two-hour window
    assert not Incident.objects.exists()


def test_one_urgent_incident_worthy_complaint_proposes_at_once(org, water):
    registration = register(org, description="中山西路爆管了，马路上全是水，整片停水。")
    incident = Incident.objects.get()
    assert registration.case.urgency == "urgent"
    assert incident.detected_by == "incident_worthy" and incident.links.count() == 1


def test_a_case_in_a_running_incident_is_linked_and_the_agent_reads_the_latest_bulletin(org, water):
    incident = actions.do_open_incident(
        org.coordinator,
        kind="water-supply",
        title="海曙区中山路爆管停水",
        districts=["海曙区"],
        measures="临时供水点：中山公园东门",
    )
    actions.do_publish_bulletin(
        org.coordinator,
        incident.pk,
        text="抢修队已到场，正在更换破损管段。",
        expected_restoration_at=T0 + timedelta(hours=30),
    )
    registration = outage(org, 1)
    assert registration.incident["id"] == incident.pk
    assert registration.incident["bulletin"] == "抢修队已到场，正在更换破损管段。"
    assert registration.incident["measures"] == "临时供水点：中山公园东门"
    event = registration.case.events.get(action="register")
    assert event.details["incident"]["id"] == incident.pk
    other = outage(org, 2, district="江北区")
    assert other.incident is None and not IncidentCase.objects.filter(case=other.case).exists()
    # Both are urgent (停水); only the one outside the incident alerts supervisors on its own.
    urgent = Notification.objects.filter(kind=NotificationKind.URGENT)
    assert urgent.filter(case=other.case).exists()
    assert not urgent.filter(case=registration.case).exists()


def test_coordinates_within_the_radius_make_a_burst_without_districts(org, water):
    centre = (29.8683, 121.5440)
    with at_time(T0):
        for n in range(5):
            register(
                org,
                description="突然停水，水龙头不出水。",
                district="",
                address="",
                latitude=round(centre[0] + n * 0.001, 6),
                longitude=centre[1],
            )
        far = register(
            org,
            description="突然停水，水龙头不出水。",
            district="",
            address="",
            latitude=centre[0] + 0.2,
            longitude=centre[1],
        )
    incident = Incident.objects.get()
    assert incident.radius_m == water.radius_m and incident.links.count() == 5
    assert not IncidentCase.objects.filter(case=far.case).exists()


def test_an_outline_links_cases_inside_it(org, water):
    incident = actions.do_open_incident(
        org.coordinator,
        kind="water-supply",
        title="老城区停水",
        polygon=[[29.86, 121.53], [29.86, 121.56], [29.88, 121.56], [29.88, 121.53]],
    )
    inside = register(
        org, description="停水了", district="", address="", latitude=29.87, longitude=121.54
    )
    outside = register(
        org, description="停水了", district="", address="", latitude=29.90, longitude=121.54
    )
    assert IncidentCase.objects.get(case=inside.case).incident == incident
    assert not IncidentCase.objects.filter(case=outside.case).exists()


def test_a_dismissed_proposal_is_not_proposed_again_within_the_window(org, water):
    with at_time(T0):
        for n in range(5):
            outage(org, n)
    proposal = Incident.objects.get()
    with pytest.raises(InvalidInput):
        actions.do_dismiss_incident(org.coordinator, proposal.pk, reason="")
    actions.do_dismiss_incident(org.coordinator, proposal.pk, reason="各户自家水表问题，非管网事件")
    assert not IncidentCase.objects.exists()
    with at_time(T0 + timedelta(minutes=30)):
        outage(org, 6)
    assert Incident.objects.count() == 1
    with at_time(T0 + timedelta(hours=2, minutes=10)):
        for n in range(7, 12):
            outage(org, n)
    assert Incident.objects.filter(state="proposed").count() == 1


def test_only_the_incident_coordinators_act_on_it(org, water):
    with at_time(T0):
        for n in range(5):
            outage(org, n)
    incident = Incident.objects.get()
    with pytest.raises(NotAllowed):
        actions.do_confirm_incident(org.water_supervisor, incident.pk)
    with pytest.raises(NotFound):
        actions.do_confirm_incident(org.metro_handler, incident.pk)
    with pytest.raises(NotAllowed):
        actions.do_open_incident(org.dispatcher, kind="water-supply", title="x", districts=["a"])
    with pytest.raises(InvalidInput) as bad:
        actions.do_confirm_incident(org.coordinator, incident.pk, districts=[], radius_m=None)
    assert bad.value.details["fields"] == {"districts": "area_required"}
    assert Incident.objects.get().state == "proposed"


def test_confirming_marks_each_linked_case_on_its_timeline(org, water, committed):
    with at_time(T0):
        cases = [outage(org, n).case for n in range(5)]
    incident = Incident.objects.get()
    with committed():
        actions.do_confirm_incident(org.coordinator, incident.pk, title="海曙区停水")
    for case in cases:
        assert case.events.filter(action="link_incident").count() == 1
    assert Incident.objects.get().state == "open"
    assert Incident.objects.get().next_bulletin_due_at is not None
    with pytest.raises(IllegalTransition):
        actions.do_confirm_incident(org.coordinator, incident.pk)


def _open_incident(org):
    return actions.do_open_incident(
        org.coordinator, kind="water-supply", title="海曙区停水", districts=["海曙区"]
    )


def test_a_bulletin_reaches_each_person_once_in_their_channel(org, water, committed):
    incident = _open_incident(org)
    outage(org, 1, phone="13900000001", name="周先生")
    outage(org, 2, phone="13900000001", name="周先生")  # the same person calls twice
    outage(org, 3, phone="13900000003")
    with committed():
        bulletin = actions.do_publish_bulletin(org.coordinator, incident.pk, text="正在抢修")
    deliveries = BulletinDelivery.objects.filter(bulletin=bulletin)
    assert deliveries.count() == 2
    sent = [m for m in MemoryBackend.outbox if m["purpose"] == Purpose.BULLETIN]
    assert sorted(m["to"] for m in sent) == ["13900000001", "13900000003"]
    assert actions.do_deliver_bulletin(bulletin.pk) == 0  # a retried task sends nothing more
    assert OutboundMessage.objects.filter(purpose=Purpose.BULLETIN).count() == 2


def test_reminder_before_the_bulletin_and_overdue_after_it_each_once(org, water):
    with at_time(T0):
        incident = _open_incident(org)
        actions.do_publish_bulletin(org.coordinator, incident.pk, text="正在抢修")
    due = T0 + timedelta(hours=6)
    assert Incident.objects.get().next_bulletin_due_at == due
    assert actions.do_bulletin_sweep(due - timedelta(minutes=45)) == (0, 0)
    assert actions.do_bulletin_sweep(due - timedelta(minutes=20)) == (1, 0)
    assert actions.do_bulletin_sweep(due - timedelta(minutes=10)) == (0, 0)
    assert actions.do_bulletin_sweep(due + timedelta(minutes=1)) == (0, 1)
    assert actions.do_bulletin_sweep(due + timedelta(minutes=5)) == (0, 0)
    assert IncidentEvent.objects.filter(action="bulletin_overdue").count() == 1
    with at_time(due + timedelta(minutes=20)):
        late = actions.do_publish_bulletin(org.coordinator, incident.pk, text="仍在抢修")
    assert not late.on_time


def test_households_list_the_vulnerable_and_every_view_is_logged(org, water):
    earlier = register(
        org,
        description="小区路灯坏了",
        complainant=ComplainantData(name="孙大爷", phone="13700000009", is_elderly=True),
    )
    incident = _open_incident(org)
    frail = register(
        org,
        description="停水两天了，家里有瘫痪卧床的老人，没法做饭。",
        complainant=ComplainantData(name="刘女士", phone="13700000001", address="海曙区1号"),
    )
    outage(org, 2)
    rows = do_view_households(org.coordinator, incident.pk)
    assert [(r.name, r.linked) for r in rows] == [("刘女士", True), ("孙大爷", False)]
    assert rows[0].cases == [frail.case.tracking_number]
    assert ComplainantAccess.objects.filter(user=org.coordinator).count() == 2
    assert earlier.case.pk in ComplainantAccess.objects.values_list("case_id", flat=True)
    with pytest.raises(NotAllowed):
        do_view_households(org.water_supervisor, incident.pk)
    support = actions.do_record_support(
        org.coordinator, incident.pk, complainant_id=rows[0].complainant_id, what="送水两桶"
    )
    assert support.delivered_by == org.coordinator
    with pytest.raises(InvalidInput):
        actions.do_record_support(
            org.coordinator, incident.pk, complainant_id=999999, what="送水两桶"
        )


def test_the_restoration_notice_replies_to_waiting_cases_and_keeps_others_open(
    org, water, committed
):
    incident = _open_incident(org)
    waiting = outage(org, 1).case
    more = outage(org, 2).case
    actions.do_mark_own_needs(org.coordinator, incident.pk, more.tracking_number, own_needs=True)
    with committed():
        actions.do_close_incident(
            org.coordinator,
            incident.pk,
            notice="供水已恢复。恢复初期水质可能浑浊，请先放水几分钟。",
            finding="中山路DN300铸铁管老化爆裂",
            resolution="更换破损管段6米",
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
        incident = _open_incident(org)
        for n in range(3):
            outage(org, n)
    with at_time(T0 + timedelta(minutes=30)):
        actions.do_publish_bulletin(org.coordinator, incident.pk, text="抢修中")
    with at_time(T0 + timedelta(hours=7)):
        actions.do_publish_bulletin(org.coordinator, incident.pk, text="抢修中")
    with at_time(T0 + timedelta(hours=30)), committed():
        actions.do_close_incident(
            org.coordinator, incident.pk, notice="已恢复", finding="爆管", resolution="换管"
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
            org.coordinator, incident.pk, summary="x", corrective_actions=[{"what": ""}]
        )
    reviewed = actions.do_review_incident(
        org.coordinator,
        incident.pk,
        summary="老旧管网爆裂",
        corrective_actions=[{"what": "明年改造中山路老旧管网", "due_date": "2027-06-30"}],
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


def test_a_proposal_nobody_joins_for_a_window_expires_and_frees_its_cases(org, water):
    with at_time(T0):
        cases = [outage(org, n).case for n in range(5)]
    stale = Incident.objects.get()
    assert actions.do_expire_proposals(T0 + timedelta(minutes=100)) == 0
    with at_time(T0 + timedelta(hours=3)):
        late = outage(org, 9)  # a stale proposal takes no new complaint
        assert not IncidentCase.objects.filter(case=late.case).exists()
        for n in range(10, 14):
            outage(org, n)  # a fresh burst in the same place: the stale one gives way
    stale.refresh_from_db()
    assert stale.state == "dismissed" and stale.events.last().action == "expire"
    fresh = Incident.objects.get(state="proposed")
    assert fresh.links.count() == 5 and not fresh.links.filter(case__in=cases).exists()
    assert actions.do_expire_proposals(T0 + timedelta(hours=6)) == 1


def test_no_second_incident_is_proposed_where_a_confirmed_one_was_narrowed(org, water):
    with at_time(T0):
        for n in range(5):
            outage(org, n)
    incident = Incident.objects.get()
    actions.do_confirm_incident(
        org.coordinator,
        incident.pk,
        districts=[],
        centre_lat=29.87,
        centre_lng=121.54,
        radius_m=500,
    )
    with at_time(T0 + timedelta(minutes=30)):
        far = register(org, description="中山西路爆管了，整片停水。")  # 海曙区, no coordinates
    assert Incident.objects.count() == 1
    assert not IncidentCase.objects.filter(case=far.case).exists()


def test_a_proposal_this_process_has_not_seen_yet_is_joined_not_replaced(org, water):
    from hearline.incidents.detection import active_incidents

    with at_time(T0):
        for n in range(5):
            outage(org, n)
        proposal = Incident.objects.get()
        # Another worker's view, cached before the proposal existed.
        active_incidents.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("hearline.incidents.detection.active_incidents", lambda kind_id: ())
            # An urgent 爆管 call would propose at once: it must join, not replace it.
            sixth = register(org, description="中山西路爆管了，整片停水。")
    proposal.refresh_from_db()
    assert proposal.state == "proposed" and Incident.objects.count() == 1
    assert IncidentCase.objects.get(case=sixth.case).incident == proposal
