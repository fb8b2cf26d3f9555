"""Follow-up (回访) that happens: a date by policy, a reminder to the intake team that owns
the case (not to a desk account), the team's queue, and archiving when its time is over."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.test import Client
from django.utils import timezone

from hearline.cases.actions import do_register_case, do_transition
from hearline.cases.models import Case
from hearline.core.timetravel import at_time
from hearline.notify.models import Notification, NotificationKind
from hearline.sla.actions import do_archive_due
from hearline.sla.models import CaseClock, SlaPolicy
from hearline.sla.sweep import do_sweep
from hearline.testing.org import PATHS, submission, valid_payload


def _replied(org, owner="web"):
    """A portal complaint (registered by the web desk) driven to its reply."""
    case = do_register_case(submission(channel="web"), acting_user=org.users[owner]).case
    for action, username in PATHS["replied"]:
        case = do_transition(
            case.pk, action, acting_user=org.users[username], payload=valid_payload(action, org)
        )
    return Case.objects.select_related("clock").get(pk=case.pk)


def _follow_up(case, user):
    return do_transition(
        case.pk, "follow_up", acting_user=user, payload={"followup_result": "回访：已恢复正常"}
    )


def test_the_reply_sets_the_follow_up_date_and_the_team_is_reminded_once(org):
    case = _replied(org)
    clock = case.clock
    assert clock.followup_due == clock.resolved_at + timedelta(days=7)
    assert clock.archive_due == clock.followup_due + timedelta(days=15)
    with at_time(clock.followup_due - timedelta(minutes=1)):
        assert do_sweep().followups == 0
    with at_time(clock.followup_due + timedelta(minutes=1)):
        assert do_sweep().followups == 1
        assert do_sweep().followups == 0
    told = set(
        Notification.objects.filter(kind=NotificationKind.FOLLOWUP, case=case).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"agent", "agent2"} <= told  # the people of the team, not only the desk


def test_a_policy_sets_its_own_follow_up_and_archive_days(org):
    SlaPolicy.objects.create(
        name="快速回访",
        response_amount=2,
        response_unit="working_hours",
        resolution_amount=5,
        resolution_unit="working_days",
        followup_days=2,
        archive_days=3,
    )
    clock = _replied(org).clock
    assert clock.followup_due == clock.resolved_at + timedelta(days=2)
    assert clock.archive_due == clock.followup_due + timedelta(days=3)


def test_the_team_follows_up_a_desk_case_from_its_queue(org):
    case = _replied(org)
    agent2 = Client()
    agent2.force_login(org.agent2)
    queue = agent2.get("/staff/cases/?queue=followup").content.decode()
    assert case.tracking_number in queue
    followed = _follow_up(case, org.agent2)
    assert followed.state == "followed_up"
    assert case.tracking_number not in agent2.get("/staff/cases/?queue=followup").content.decode()
    followed.clock.refresh_from_db()
    assert followed.clock.followup_due is None
    assert abs(followed.clock.archive_due - (timezone.now() + timedelta(days=15))) < timedelta(
        minutes=1
    )


def test_answered_cases_are_archived_when_their_time_is_over(org):
    followed = _replied(org)
    _follow_up(followed, org.agent)
    never = _replied(org)
    appealed = _replied(org)
    do_transition(appealed.pk, "appeal", acting_user=org.web, payload={"reason": "不满意"})
    with at_time(timezone.now() + timedelta(days=14)):
        assert do_archive_due() == 0
    with at_time(timezone.now() + timedelta(days=16)):
        assert do_archive_due() == 1  # the followed-up one
    with at_time(never.clock.archive_due + timedelta(minutes=1)):
        assert do_archive_due() == 1  # the one nobody followed up
        assert do_archive_due() == 0
    states = dict(Case.objects.values_list("pk", "state"))
    assert states[followed.pk] == states[never.pk] == "archived"
    assert states[appealed.pk] == "appealed"
    event = never.events.get(action="archive_by_policy")
    assert event.actor is None and event.details.get("by") == "system"


def test_answered_cases_from_before_get_their_dates_on_upgrade(org):
    backfill = import_module("hearline.sla.migrations.0012_backfill_followup_and_archive").backfill
    old, recent = _replied(org), _replied(org)
    followed = _replied(org)
    _follow_up(followed, org.agent)
    CaseClock.objects.update(followup_due=None, archive_due=None, followup_reminded=False)
    CaseClock.objects.filter(case=old).update(resolved_at=timezone.now() - timedelta(days=30))
    backfill(apps, None)
    clocks = {c.case_id: c for c in CaseClock.objects.all()}
    assert clocks[old.pk].followup_reminded  # long past: listed in the queue, not reminded now
    assert clocks[recent.pk].followup_due == clocks[recent.pk].resolved_at + timedelta(days=7)
    assert not clocks[recent.pk].followup_reminded
    assert clocks[recent.pk].next_alert_at <= clocks[recent.pk].followup_due
    assert clocks[followed.pk].followup_due is None and clocks[followed.pk].archive_due
    with at_time(timezone.now() + timedelta(days=60)):
        assert do_archive_due() == 3
