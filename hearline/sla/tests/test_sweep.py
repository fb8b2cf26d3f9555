"""The supervision sweep: reminders, overdue notices, urging and escalation, exactly once."""

from datetime import datetime
from zoneinfo import ZoneInfo

from hearline.cases.actions import do_register_case, do_transition
from hearline.core.timetravel import at_time
from hearline.notify.models import Notification
from hearline.sla.models import CaseClock, SlaAlert
from hearline.sla.sweep import do_sweep
from hearline.testing.org import submission, valid_payload

TZ = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def _accepted_case(org, when):
    """A normal case (2 working h / 5 working d) registered Monday 2 March 2026 09:00 and
    accepted by the repair department."""
    with at_time(when):
        case = do_register_case(submission(), acting_user=org.agent).case
        for action, who in (("dispatch", "dispatcher"), ("accept", "repair_handler")):
            case = do_transition(
                case.pk, action, acting_user=org.users[who], payload=valid_payload(action, org)
            )
    return case


def _kinds(case):
    return sorted(
        Notification.objects.filter(case=case)
        .exclude(kind__in=("step", "assignment"))
        .values_list("kind", "recipient__username")
    )


def test_nothing_happens_while_there_is_time(org):
    _accepted_case(org, local(2026, 3, 2, 9, 0))
    result = do_sweep(local(2026, 3, 4, 9, 0))
    assert (result.reminders, result.overdue) == (0, 0)
    assert not SlaAlert.objects.exists()


def test_a_reminder_when_three_quarters_of_the_time_are_used(org):
    case = _accepted_case(org, local(2026, 3, 2, 9, 0))  # resolution due Mon 9 Mar 17:30
    clock = CaseClock.objects.get(case=case)
    assert local(2026, 3, 5, 0, 0) < clock.resolution_warn_at < local(2026, 3, 6, 17, 30)
    result = do_sweep(local(2026, 3, 6, 17, 0))
    assert result.reminders == 1 and result.overdue == 0
    assert _kinds(case) == [("reminder", "repair_handler"), ("reminder", "repair_handler2")]
    assert CaseClock.objects.get(case=case).resolution_level == "yellow"


def test_overdue_urges_the_handlers_and_the_head_and_escalates_to_the_supervisor(org):
    head = org.repair_supervisor
    org.departments["repair"].head = head
    org.departments["repair"].save()
    case = _accepted_case(org, local(2026, 3, 2, 9, 0))
    result = do_sweep(local(2026, 3, 10, 9, 0))
    assert result.overdue == 1 and result.reminders == 0, "red supersedes yellow"
    assert _kinds(case) == [
        ("escalation", "repair_supervisor"),
        ("overdue", "repair_handler"),
        ("overdue", "repair_handler2"),
        ("overdue", "repair_supervisor"),
    ]
    alert = SlaAlert.objects.get()
    assert (alert.deadline, alert.level) == ("resolution", "red")


def test_a_case_not_yet_accepted_is_chased_for_its_response(org):
    with at_time(local(2026, 3, 2, 9, 0)):
        case = do_register_case(submission(), acting_user=org.agent).case
    do_sweep(local(2026, 3, 2, 11, 30))
    alert = SlaAlert.objects.get(case=case)
    assert (alert.deadline, alert.level) == ("response", "red")
    # Not dispatched yet: the dispatchers of the organisation are the ones to act.
    assert ("overdue", "dispatcher") in _kinds(case)


def test_each_alert_happens_once_however_often_the_sweep_runs(org):
    case = _accepted_case(org, local(2026, 3, 2, 9, 0))
    do_sweep(local(2026, 3, 6, 17, 0))
    do_sweep(local(2026, 3, 6, 17, 1))
    do_sweep(local(2026, 3, 10, 9, 0))
    do_sweep(local(2026, 3, 10, 9, 1))
    assert sorted(SlaAlert.objects.values_list("level", flat=True)) == ["red", "yellow"]
    assert Notification.objects.filter(case=case, kind="reminder").count() == 2
    assert Notification.objects.filter(case=case, kind="overdue").count() == 2


def test_suspended_and_finished_cases_are_not_chased(org):
    suspended = _accepted_case(org, local(2026, 3, 2, 9, 0))
    with at_time(local(2026, 3, 2, 10, 0)):
        do_transition(
            suspended.pk,
            "request_suspension",
            acting_user=org.repair_handler,
            payload={"reason": "等待材料"},
        )
        do_transition(suspended.pk, "approve_suspension", acting_user=org.repair_supervisor)
    replied = _accepted_case(org, local(2026, 3, 2, 9, 0))
    with at_time(local(2026, 3, 3, 10, 0)):
        do_transition(
            replied.pk,
            "resolve",
            acting_user=org.repair_handler,
            payload=valid_payload("resolve", org),
        )
        do_transition(
            replied.pk, "reply", acting_user=org.repair_handler, payload=valid_payload("reply", org)
        )
    do_sweep(local(2026, 3, 20, 9, 0))
    chased = SlaAlert.objects.filter(case__in=[suspended, replied]).exclude(deadline="followup")
    assert not chased.exists()  # the replied case is due for its follow-up call, no more


def test_an_extension_gives_a_new_deadline_that_is_chased_again(org):
    case = _accepted_case(org, local(2026, 3, 2, 9, 0))
    do_sweep(local(2026, 3, 10, 9, 0))
    with at_time(local(2026, 3, 10, 10, 0)):
        do_transition(
            case.pk,
            "request_extension",
            acting_user=org.repair_handler,
            payload={"reason": "需要更换阀门", "until": "2026-03-13T17:30:00+08:00"},
        )
        do_transition(case.pk, "approve_extension", acting_user=org.repair_supervisor)
    assert CaseClock.objects.get(case=case).resolution_level == "green"
    do_sweep(local(2026, 3, 16, 9, 0))
    dues = sorted(SlaAlert.objects.filter(level="red").values_list("due", flat=True))
    assert dues == [local(2026, 3, 9, 17, 30), local(2026, 3, 13, 17, 30)]


def test_urging_by_hand_tells_the_handlers_and_the_head(org):
    org.departments["repair"].head = org.repair_handler2
    org.departments["repair"].save()
    case = _accepted_case(org, local(2026, 3, 2, 9, 0))
    do_transition(case.pk, "urge", acting_user=org.water_supervisor, payload={"note": "今天办完"})
    urged = Notification.objects.filter(case=case, kind="urge")
    assert sorted(urged.values_list("recipient__username", flat=True)) == [
        "repair_handler",
        "repair_handler2",
    ]
    assert "今天办完" in urged.first().text
    assert case.events.last().action == "urge" and not case.events.last().public
