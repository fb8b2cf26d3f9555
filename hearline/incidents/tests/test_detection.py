"""Incidents at intake: topics, places, bursts, proposals and their expiry."""

from datetime import timedelta

import pytest

from hearline.cases.workflow import InvalidInput
from hearline.core.timetravel import at_time
from hearline.incidents import actions
from hearline.incidents.models import (
    Incident,
    IncidentCase,
)
from hearline.notify.models import Notification, NotificationKind
from hearline.testing.org import register

from .helpers import T0, open_incident, outage


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
        kind="water-supply",
        title="海曙区中山路爆管停水",
        districts=["海曙区"],
        measures="临时供水点：中山公园东门",
        acting_user=org.coordinator,
    )
    actions.do_publish_bulletin(
        incident.pk,
        text="抢修队已到场，正在更换破损管段。",
        expected_restoration_at=T0 + timedelta(hours=30),
        acting_user=org.coordinator,
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


def test_an_incident_resolved_by_another_process_a_moment_ago_is_not_joined(org, water):
    incident = open_incident(org)
    assert outage(org, 1).incident["id"] == incident.pk  # this process has now read it
    # Another process resolves it: this one's one-second memo of running incidents still
    # holds it, so matching finds it; the re-check in the transaction does not link.
    Incident.objects.filter(pk=incident.pk).update(state="resolved")
    late = outage(org, 2)
    assert not IncidentCase.objects.filter(case=late.case).exists()
    assert "incident" not in late.case.events.get(action="register").details


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
        kind="water-supply",
        title="老城区停水",
        polygon=[[29.86, 121.53], [29.86, 121.56], [29.88, 121.56], [29.88, 121.53]],
        acting_user=org.coordinator,
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
        actions.do_dismiss_incident(proposal.pk, reason="", acting_user=org.coordinator)
    actions.do_dismiss_incident(
        proposal.pk, reason="各户自家水表问题，非管网事件", acting_user=org.coordinator
    )
    assert not IncidentCase.objects.exists()
    with at_time(T0 + timedelta(minutes=30)):
        outage(org, 6)
    assert Incident.objects.count() == 1
    with at_time(T0 + timedelta(hours=2, minutes=10)):
        for n in range(7, 12):
            outage(org, n)
    assert Incident.objects.filter(state="proposed").count() == 1


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
        incident.pk,
        districts=[],
        centre_lat=29.87,
        centre_lng=121.54,
        radius_m=500,
        acting_user=org.coordinator,
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
