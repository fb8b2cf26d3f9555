"""Cases that follow an incident: linking answers them, the restoration resolves them, no
linked case goes overdue on its own, and the scorecard counts them apart."""

from datetime import timedelta

import pytest
from django.test import Client

from hearline.analytics.recompute import kept, recomputed
from hearline.analytics.report import scorecard
from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.cases.workflow import NotAllowed
from hearline.core.timetravel import at_time
from hearline.incidents import actions
from hearline.incidents.models import Incident
from hearline.notify.models import Notification, NotificationKind, OutboundMessage, Purpose
from hearline.sla.models import SlaAlert
from hearline.sla.sweep import do_sweep
from hearline.testing.org import case_in_state

from .helpers import T0, open_incident, outage, restore

LATE = (NotificationKind.REMINDER, NotificationKind.OVERDUE, NotificationKind.ESCALATION)


def _late_notices() -> int:
    return Notification.objects.filter(kind__in=LATE).count()


def _row(case, start, end=None):
    """The scorecard row, over the days from `start` to `end`, of the department the case
    sits in (the call centre: registered)."""
    code = case.department.code
    return next(r for r in scorecard(None, start, end or start) if r["department"] == code)


def test_a_complaint_joining_a_confirmed_incident_is_answered_by_it(org, water):
    with at_time(T0):
        open_incident(org)
        case = outage(org, 1).case
    clock = case.clock
    assert clock.incident_since == T0 and clock.responded_at == T0
    assert clock.next_alert_at is None
    ack = OutboundMessage.objects.get(case=case, purpose=Purpose.ACKNOWLEDGEMENT)
    assert "恢复" in ack.body and "答复您" not in ack.body
    registered = case.events.get(action="register")
    assert registered.details["deadlines"]["follows_incident"] is True


def test_the_complainant_is_told_the_incident_answers_the_case(org, water):
    with at_time(T0):
        open_incident(org)
        case = outage(org, 1, phone="13900000001").case
    public = Client()
    api = public.get(
        f"/api/v1/public/cases/{case.tracking_number}", HTTP_X_COMPLAINANT_PHONE="13900000001"
    ).json()["deadlines"]
    assert api["follows_incident"] is True
    assert api["resolution_due"] is None and api["response_due"] is None
    page = public.post("/track/", {"number": case.tracking_number, "phone": "13900000001"})
    assert "已并入突发事件统一处置" in page.content.decode()


def test_no_linked_case_goes_overdue_however_long_the_incident_lasts(org, water):
    with at_time(T0):
        open_incident(org)
        for n in range(6):
            outage(org, n)
    with at_time(T0 + timedelta(days=20)):
        result = do_sweep()
    assert (result.reminders, result.overdue) == (0, 0)
    assert not SlaAlert.objects.exists() and _late_notices() == 0


def test_cases_linked_after_confirmation_follow_the_incident(org, water, committed):
    with at_time(T0):
        cases = [outage(org, n).case for n in range(5)]  # a burst: proposed, not confirmed
    assert all(c.clock.incident_since is None for c in Case.objects.all())
    with at_time(T0 + timedelta(minutes=40)), committed():
        actions.do_confirm_incident(
            Incident.objects.get().pk, title="海曙区停水", acting_user=org.coordinator
        )
    for case in cases:
        case.clock.refresh_from_db()
        assert case.clock.incident_since == T0 + timedelta(minutes=40)
        assert case.clock.responded_at == T0 + timedelta(minutes=40)
    with at_time(T0 + timedelta(days=10)):
        assert do_sweep().overdue == 0


def test_a_case_taken_out_of_the_incident_gets_its_time_back(org, water):
    with at_time(T0):
        incident = open_incident(org)
        case = outage(org, 1).case
    due = case.clock.resolution_due
    with at_time(T0 + timedelta(days=1)):  # Thursday 08:00: one whole working day later
        actions.do_unlink_case(
            incident.pk, case.tracking_number, acting_user=org.coordinator, reason="是水压问题"
        )
    case.clock.refresh_from_db()
    assert case.clock.incident_since is None
    assert case.clock.responded_at is None  # the mistaken link answered nobody
    assert case.clock.resolution_due == due + timedelta(days=1)
    assert case.clock.next_alert_at is not None
    with at_time(case.clock.resolution_due + timedelta(minutes=1)):
        late = {kind for _case, kind, level in do_sweep().raised if level == "red"}
    assert late == {"response", "resolution"}


def test_restoration_resolves_the_linked_cases_and_releases_those_needing_more(
    org, water, committed
):
    with at_time(T0):
        incident = open_incident(org)
        answered = outage(org, 1).case
        more = outage(org, 2).case
        actions.do_mark_own_needs(
            incident.pk, more.tracking_number, own_needs=True, acting_user=org.coordinator
        )
    restored = T0 + timedelta(hours=30)
    with at_time(restored), committed():
        restore(org, incident)
    answered.clock.refresh_from_db()
    more.clock.refresh_from_db()
    assert answered.clock.resolved_at == restored
    assert more.events.filter(action="incident_restored").count() == 1
    assert more.clock.incident_since is None and more.clock.resolved_at is None
    assert more.clock.resolution_due > restored
    with at_time(more.clock.resolution_due + timedelta(minutes=1)):
        assert [case for case, _kind, level in do_sweep().raised if level == "red"] == [more.pk]


def test_the_scorecard_counts_incident_cases_apart(org, water, committed):
    with at_time(T0):
        own = outage(org, 90, district="江北区").case  # not in the incident's area
        incident = open_incident(org)
        for n in range(4):
            outage(org, n)
    before = _row(own, T0.date())["measures"]
    with at_time(T0 + timedelta(days=6)):
        do_sweep()  # `own` goes overdue on both deadlines; the incident's cases do not
    with at_time(T0 + timedelta(days=6)), committed():
        restore(org, incident)
    measures = _row(own, T0.date())["measures"]
    assert before["incident_cases"] == measures["incident_cases"] == 4
    assert measures["volume"] == 5
    assert measures["response_rate"] == 0.0 and measures["overdue"] == 1
    assert measures["average_handling_hours"] is None
    assert kept() == recomputed()


def test_the_coordinator_follows_up_the_incidents_cases_at_once(org, water, committed):
    with at_time(T0):
        incident = open_incident(org)
        cases = [outage(org, n).case for n in range(3)]
    with at_time(T0 + timedelta(hours=30)), committed():
        restore(org, incident)
    with pytest.raises(NotAllowed):
        actions.do_follow_up_incident(incident.pk, result="抽样回访", acting_user=org.agent)
    with committed():
        actions.do_follow_up_incident(
            incident.pk, result="抽样回访30户，均已正常供水", acting_user=org.coordinator
        )
    states = set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("state", flat=True))
    assert states == {"followed_up"}
    assert actions.do_follow_up_linked_cases(incident.pk, org.coordinator.pk, "再次") == 0
    assert incident.events.filter(action="follow_up").count() == 1


def test_a_suspension_overlapping_the_incident_is_made_up_once(org, water, committed):
    """Suspended from 09:00, following the incident from 10:00, resumed the next day and
    taken out of the incident the day after: the same time made up as one suspension from
    09:00 to that last moment, not the overlap twice."""

    def suspended(moment):
        with at_time(T0):
            case = case_in_state(org, "in_progress")
        with at_time(moment):
            do_transition(
                case.pk,
                "request_suspension",
                acting_user=org.repair_handler,
                payload={"reason": "等材料"},
            )
            do_transition(case.pk, "approve_suspension", acting_user=org.repair_supervisor)
        return case

    alone, overlapping = (suspended(T0 + timedelta(hours=1)) for _ in range(2))
    with at_time(T0 + timedelta(hours=2)), committed():
        incident = open_incident(org)
        actions.do_link_cases(
            incident.pk, [overlapping.tracking_number], acting_user=org.coordinator
        )
    with at_time(T0 + timedelta(days=1)):
        do_transition(overlapping.pk, "resume", acting_user=org.repair_supervisor)
    with at_time(T0 + timedelta(days=2)):
        actions.do_unlink_case(
            incident.pk, overlapping.tracking_number, acting_user=org.coordinator, reason="无关"
        )
        do_transition(alone.pk, "resume", acting_user=org.repair_supervisor)
    alone.clock.refresh_from_db()
    overlapping.clock.refresh_from_db()
    assert overlapping.clock.resolution_due == alone.clock.resolution_due
    assert overlapping.clock.paused_working_minutes == alone.clock.paused_working_minutes > 0
