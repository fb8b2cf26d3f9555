"""Each case's time limits follow its lifecycle (real actions, real database)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hearline.cases.actions import do_register_case, do_transition
from hearline.core.timetravel import at_time
from hearline.sla.actions import do_save_policy
from hearline.sla.models import CalendarOverride, CaseClock, SlaPolicy
from hearline.testing.org import submission, valid_payload

TZ = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def _register(org, when, **overrides):
    with at_time(when):
        return do_register_case(submission(**overrides), acting_user=org.agent).case


def _act(org, case, action, username, when, **extra):
    with at_time(when):
        return do_transition(
            case.pk,
            action,
            acting_user=org.users[username],
            payload=valid_payload(action, org) | extra,
        )


def test_registration_sets_both_deadlines_from_the_policy(org):
    case = _register(org, local(2026, 2, 13, 16, 0))  # normal urgency: 2 working h / 5 working d
    clock = CaseClock.objects.get(case=case)
    assert clock.response_due == local(2026, 2, 14, 9, 0)
    assert clock.resolution_due == local(2026, 2, 27, 17, 30)
    assert clock.policy.name == "一般" and not clock.provisional
    event = case.events.get()
    assert event.details["deadlines"]["resolution_due"] == clock.resolution_due.isoformat()


def test_urgent_case_answered_in_natural_time(org):
    case = _register(org, local(2026, 10, 1, 23, 50), urgency="urgent")
    clock = CaseClock.objects.get(case=case)
    assert clock.response_due == local(2026, 10, 2, 0, 20)
    assert clock.resolution_due == local(2026, 10, 2, 23, 50)


def test_acceptance_meets_the_response_and_the_reply_the_resolution(org):
    case = _register(org, local(2026, 3, 2, 9, 0))
    case = _act(org, case, "dispatch", "dispatcher", local(2026, 3, 2, 9, 30))
    case = _act(org, case, "accept", "repair_handler", local(2026, 3, 2, 12, 30))
    clock = CaseClock.objects.get(case=case)
    assert clock.responded_at == local(2026, 3, 2, 12, 30)
    assert clock.response_on_time is False  # due 11:30 (2 working hours from 09:00)
    case = _act(org, case, "resolve", "repair_handler", local(2026, 3, 3, 10, 0))
    case = _act(org, case, "reply", "repair_handler", local(2026, 3, 3, 11, 0))
    clock.refresh_from_db()
    assert clock.resolution_on_time is True
    assert clock.working_minutes == 420 + 150  # Monday 09:00–17:30 less lunch, Tuesday 08:30–11:00


def test_a_contact_is_a_response_too(org):
    case = _register(org, local(2026, 3, 2, 9, 0))
    _act(org, case, "record_contact", "agent", local(2026, 3, 2, 9, 20))
    assert CaseClock.objects.get(case=case).response_on_time is True


def test_suspension_stops_the_clock_over_a_weekend(org):
    case = _register(org, local(2026, 3, 6, 10, 0))
    case = _act(org, case, "dispatch", "dispatcher", local(2026, 3, 6, 10, 5))
    case = _act(org, case, "accept", "repair_handler", local(2026, 3, 6, 10, 10))
    case = _act(org, case, "request_suspension", "repair_handler", local(2026, 3, 6, 15, 0))
    case = _act(org, case, "approve_suspension", "repair_supervisor", local(2026, 3, 6, 16, 0))
    assert CaseClock.objects.get(case=case).paused_at == local(2026, 3, 6, 16, 0)
    case = _act(org, case, "resume", "repair_handler", local(2026, 3, 9, 10, 0))
    clock = CaseClock.objects.get(case=case)
    assert clock.paused_at is None and clock.paused_working_minutes == 180
    assert clock.resolution_due == local(2026, 3, 16, 11, 30)
    assert (
        case.events.last().details["deadlines"]["resolution_due"]
        == clock.resolution_due.isoformat()
    )


def test_approved_extension_moves_the_resolution_deadline(org):
    case = _register(org, local(2026, 3, 2, 9, 0))
    case = _act(org, case, "dispatch", "dispatcher", local(2026, 3, 2, 9, 5))
    case = _act(org, case, "accept", "repair_handler", local(2026, 3, 2, 9, 10))
    with at_time(local(2026, 3, 4, 9, 0)):
        case = do_transition(
            case.pk,
            "request_extension",
            acting_user=org.repair_handler,
            payload={"reason": "道路开挖许可", "until": "2026-03-20T17:30:00+08:00"},
        )
    assert CaseClock.objects.get(case=case).resolution_due == local(2026, 3, 9, 17, 30)
    case = _act(org, case, "approve_extension", "repair_supervisor", local(2026, 3, 4, 10, 0))
    clock = CaseClock.objects.get(case=case)
    assert clock.resolution_due == local(2026, 3, 20, 17, 30)
    assert clock.response_due == local(2026, 3, 2, 11, 0), "the response deadline stays"


def test_reclassifying_recomputes_with_an_event(org):
    case = _register(org, local(2026, 3, 2, 9, 0))
    case = _act(org, case, "reclassify", "agent", local(2026, 3, 2, 9, 10), urgency="urgent")
    clock = CaseClock.objects.get(case=case)
    assert case.urgency == "urgent"
    assert clock.response_due == local(2026, 3, 2, 9, 30)
    event = case.events.last()
    assert event.action == "reclassify" and event.details["urgency"] == {
        "from": "normal",
        "to": "urgent",
    }
    assert event.details["deadlines"]["response_due"] == clock.response_due.isoformat()


def test_reopened_case_gets_a_new_cycle(org):
    case = _register(org, local(2026, 3, 2, 9, 0))
    for action, who, day in [
        ("dispatch", "dispatcher", 2),
        ("accept", "repair_handler", 2),
        ("resolve", "repair_handler", 3),
        ("reply", "repair_handler", 3),
    ]:
        case = _act(org, case, action, who, local(2026, 3, day, 14, 0))
    case = _act(org, case, "reopen", "agent", local(2026, 3, 10, 10, 0))
    clock = CaseClock.objects.get(case=case)
    assert clock.cycle == 2 and clock.responded_at is None and clock.resolved_at is None
    assert clock.resolution_due == local(2026, 3, 17, 17, 30)


def test_a_case_keeps_the_policy_version_it_was_registered_under(org):
    policy = SlaPolicy.objects.get(name="一般")
    first = _register(org, local(2026, 3, 2, 9, 0))
    policy.resolution_amount = 10
    new_version = do_save_policy(policy, acting_user=org.administrator)
    assert (
        new_version.version == 2
        and new_version.previous_id == CaseClock.objects.get(case=first).policy_id
    )
    second = _register(org, local(2026, 3, 2, 9, 0))
    assert CaseClock.objects.get(case=first).resolution_due == local(2026, 3, 9, 17, 30)
    assert CaseClock.objects.get(case=second).resolution_due == local(2026, 3, 16, 17, 30)
    assert not SlaPolicy.objects.get(pk=new_version.previous_id).is_active


def test_the_most_specific_policy_wins(org):
    do_save_policy(
        SlaPolicy(
            name="停水",
            category=org.category,
            response_amount=1,
            response_unit="hours",
            resolution_amount=1,
            resolution_unit="working_days",
        ),
        acting_user=org.administrator,
    )
    case = _register(org, local(2026, 3, 2, 9, 0), category_id=org.category.pk)
    clock = CaseClock.objects.get(case=case)
    assert clock.policy.name == "停水" and clock.response_due == local(2026, 3, 2, 10, 0)
    other = _register(org, local(2026, 3, 2, 9, 0), urgency="urgent", category_id=org.category.pk)
    assert CaseClock.objects.get(case=other).policy.name == "停水", "category is more specific"


def test_an_override_changes_new_deadlines(org):
    CalendarOverride.objects.create(date=local(2026, 3, 3).date(), is_workday=False, reason="台风")
    case = _register(org, local(2026, 3, 2, 17, 0))
    assert CaseClock.objects.get(case=case).response_due == local(2026, 3, 4, 10, 0)


def test_deadlines_into_a_year_without_calendar_are_provisional(org):
    case = _register(org, local(2026, 12, 30, 10, 0))
    clock = CaseClock.objects.get(case=case)
    assert clock.provisional and case.events.get().details["deadlines"]["provisional"]


def test_merge_and_archive_stop_the_clock(org):
    target = _register(org, local(2026, 3, 2, 9, 0))
    case = _register(org, local(2026, 3, 2, 9, 0))
    _act(org, case, "merge", "dispatcher", local(2026, 3, 2, 9, 5), merged_into=target.pk)
    assert CaseClock.objects.get(case=case).stopped
    assert timedelta(0) < CaseClock.objects.get(case=target).resolution_due - local(
        2026, 3, 2, 9, 0
    )
