"""Each case's time limits, kept in step with its lifecycle.

`on_transition` is called by `hearline.cases.actions.do_transition` (and registration) inside
the same transaction as the step, and returns the details to record on the step's event.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings

from hearline.cases.models import Case
from hearline.cases.workflow import ANSWERING_ACTIONS, ENDING_ACTIONS, RESPONDING_ACTIONS

from .calendar import Duration, WorkingCalendar
from .calendars import calendar_for
from .models import CaseClock, Level, SlaPolicy
from .policies import select_policy

# Used only when no active policy matches (an administrator deactivated them all).
FALLBACK = {"response": Duration(2, "working_hours"), "resolution": Duration(5, "working_days")}
# Days to the follow-up after the answer, and to archiving after it, without a policy.
FALLBACK_FOLLOWUP_DAYS, FALLBACK_ARCHIVE_DAYS = 7, 15
# The time the level above has to decide an appeal (申诉), on its own working calendar.
APPEAL_DECISION = Duration(5, "working_days")
KINDS = ("response", "resolution")
# Steps after which a case that followed an incident is handled on its own again: taken out
# of the incident, or the incident restored while the case needs more than its end.
INCIDENT_RELEASES = frozenset({"unlink_incident", "incident_restored"})
MET_FIELD = {"response": "responded_at", "resolution": "resolved_at"}


def durations(policy: SlaPolicy | None) -> dict[str, Duration]:
    """Response and resolution durations of a policy (or the fallback)."""
    if policy is None:
        return dict(FALLBACK)
    return {
        kind: Duration(float(getattr(policy, f"{kind}_amount")), getattr(policy, f"{kind}_unit"))
        for kind in KINDS
    }


def _warn_fraction() -> float:
    return float(getattr(settings, "HEARLINE_SLA_WARN_FRACTION", 0.75))


def _set_deadline(
    clock: CaseClock, kind: str, due: datetime, calendar: WorkingCalendar, working: bool
) -> None:
    setattr(clock, f"{kind}_due", due)
    setattr(
        clock,
        f"{kind}_warn_at",
        calendar.point(clock.started_at, due, _warn_fraction(), working=working),
    )
    setattr(clock, f"{kind}_level", Level.GREEN)


def at_rest(clock: CaseClock) -> bool:
    """Whether nothing can fall due on this clock now: the case is done with, suspended, or
    follows an incident (whose bulletins and restoration notice answer it)."""
    return bool(clock.stopped or clock.paused_at or clock.incident_since)


def followup_pending(clock: CaseClock) -> bool:
    """Whether the reminder to call the complainant back is still to be raised: not for a
    case answered by an incident (its coordinators follow its cases up at once)."""
    return bool(
        clock.followup_due
        and not clock.followup_reminded
        and not clock.stopped
        and not clock.incident_since
    )


def next_alert(clock: CaseClock) -> datetime | None:
    """The earliest moment the sweep has something to raise for this clock: the warning
    point of a green deadline or the due moment of a yellow one, or the follow-up date;
    None when nothing can come (all met or red and no follow-up pending, or at rest)."""
    moments: list[datetime] = []
    if clock.followup_due is not None and followup_pending(clock):
        moments.append(clock.followup_due)
    if at_rest(clock):
        return min(moments, default=None)
    for kind in KINDS:
        due = getattr(clock, f"{kind}_due")
        level = getattr(clock, f"{kind}_level")
        if due is None or getattr(clock, MET_FIELD[kind]) or level == Level.RED:
            continue
        moments.append(getattr(clock, f"{kind}_warn_at") if level == Level.GREEN else due)
    return min(moments, default=None)


def _compute(clock: CaseClock, case: Case) -> None:
    """(Re)compute both deadlines of the current cycle from its start."""
    calendar = calendar_for(case.department)
    for kind, duration in durations(clock.policy).items():
        due = calendar.due(clock.started_at, duration)
        _set_deadline(clock, kind, due, calendar, calendar.in_working_time(duration))
    clock.provisional = bool(calendar.missing_years)


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def summary(clock: CaseClock) -> dict:
    """The deadlines as event details (ISO 8601, UTC), saying so when the case follows an
    incident (its restoration notice answers it, not the resolution deadline)."""
    return {
        "policy": str(clock.policy) if clock.policy else "default",
        "cycle": clock.cycle,
        "response_due": _utc(clock.response_due),
        "resolution_due": _utc(clock.resolution_due),
        "provisional": clock.provisional,
    } | ({"follows_incident": True} if clock.incident_since else {})


def prepare_clock(case: Case, now: datetime) -> CaseClock:
    """The first cycle's clock of a case about to be registered, computed but not saved
    (registration computes before it takes the write lock, and saves it with the case)."""
    clock = CaseClock(policy=select_policy(case), started_at=now, department_id=case.department_id)
    _compute(clock, case)
    clock.next_alert_at = next_alert(clock)
    return clock


def _shift_open_deadlines(clock: CaseClock, case: Case, since: datetime, now: datetime) -> None:
    """Move the deadlines not yet met on by the time the clock stood still (`since` to
    `now`), which also stops counting as handling time. Nothing when `now` is not later."""
    if now <= since:
        return
    calendar = calendar_for(case.department)
    working_pause = calendar.working_minutes_between(since, now)
    for kind, duration in durations(clock.policy).items():
        due = getattr(clock, f"{kind}_due")
        if due is None or getattr(clock, MET_FIELD[kind]):
            continue
        working = calendar.in_working_time(duration)
        pause = working_pause if working else calendar.elapsed(since, now, working=False)
        _set_deadline(clock, kind, calendar.shift(due, pause, working=working), calendar, working)
    clock.paused_working_minutes += round(working_pause)
    clock.provisional = clock.provisional or bool(calendar.missing_years)


def _still_until(since: datetime, other: datetime | None, now: datetime) -> datetime:
    """Where the time the clock stood still from `since` (one rest: a suspension or an
    incident) stops counting now that it ends: at `now`, or, when the other rest is still
    on, where that one began (its own end counts the overlap, once)."""
    if other is None:
        return now
    return max(since, min(now, other))


def follow_incident(clock: CaseClock, now: datetime) -> None:
    """The case joined a confirmed incident: that counts as its response (the incident's
    bulletins answer the caller), and its resolution waits for the restoration notice. A case
    answered meanwhile (the link is written after commit) is left as it is."""
    if clock.resolved_at is not None:
        return
    if clock.incident_since is None:
        clock.incident_since = now
    if clock.responded_at is None:
        clock.responded_at = now


def unfollow_incident(clock: CaseClock) -> None:
    """Undo `follow_incident` on a clock not yet saved (its case did not join after all)."""
    clock.incident_since = None
    clock.responded_at = None


def _after_answer(clock: CaseClock, now: datetime) -> None:
    """The answered case's follow-up date by its policy and, should nobody follow it up,
    its archiving after that date."""
    followup_days, archive_days = _after_answer_days(clock.policy)
    clock.followup_due = now + timedelta(days=followup_days)
    clock.followup_reminded = False
    clock.archive_due = clock.followup_due + timedelta(days=archive_days)


def _after_answer_days(policy: SlaPolicy | None) -> tuple[int, int]:
    if policy is None:
        return FALLBACK_FOLLOWUP_DAYS, FALLBACK_ARCHIVE_DAYS
    return policy.followup_days, policy.archive_days


def _settled(clock: CaseClock, now: datetime) -> None:
    """Followed up (or an appeal dismissed): archived once the complainant's time to rate,
    reopen or appeal has passed."""
    clock.followup_due = None
    clock.archive_due = now + timedelta(days=_after_answer_days(clock.policy)[1])


def _met(clock: CaseClock, case: Case, action: str, now: datetime) -> None:
    if action in RESPONDING_ACTIONS and clock.responded_at is None:
        clock.responded_at = now
    if action in ANSWERING_ACTIONS and clock.resolved_at is None:
        _after_answer(clock, now)
        clock.resolved_at = now
        calendar = calendar_for(case.department)
        spent = (
            calendar.working_minutes_between(clock.started_at, now) - clock.paused_working_minutes
        )
        clock.working_minutes = (clock.working_minutes or 0) + max(0, round(spent))


def on_transition(case: Case, action: str, now: datetime) -> tuple[CaseClock | None, dict]:
    """Keep the clock in step with `action` just applied to `case`; returns the clock as
    saved (locked until the transaction ends; None for a case without one) and event details
    (the new deadlines when they changed; an appeal's decision time)."""
    clock = CaseClock.objects.select_for_update().filter(case=case).first()
    if clock is None:
        return None, {}
    changed = False
    appeal: dict = {}
    if action == "appeal":
        clock.archive_due = clock.followup_due = None  # waits for the decision
        if case.appeal_department is not None:
            clock.appeal_due = calendar_for(case.appeal_department).due(now, APPEAL_DECISION)
            appeal = {"appeal_due": _utc(clock.appeal_due)}
    elif action in ("follow_up", "dismiss_appeal"):
        _settled(clock, now)
    elif action in ("reopen", "uphold_appeal"):
        clock.cycle += 1
        clock.started_at = now
        clock.responded_at = clock.resolved_at = clock.paused_at = clock.incident_since = None
        clock.followup_due = clock.archive_due = None
        clock.stopped = False
        _compute(clock, case)
        changed = True
    elif action == "reclassify":
        clock.policy = select_policy(case)
        _compute(clock, case)
        changed = True
    elif action == "approve_suspension":
        clock.paused_at = now
    elif action == "resume" and clock.paused_at:
        until = _still_until(clock.paused_at, clock.incident_since, now)
        _shift_open_deadlines(clock, case, clock.paused_at, until)
        clock.paused_at = None
        changed = True
    elif action == "link_incident":
        follow_incident(clock, now)
        changed = True
    elif action in INCIDENT_RELEASES and clock.incident_since and clock.resolved_at is None:
        if action == "unlink_incident" and clock.responded_at == clock.incident_since:
            clock.responded_at = None  # linked by mistake: the link answered nobody
        until = _still_until(clock.incident_since, clock.paused_at, now)
        _shift_open_deadlines(clock, case, clock.incident_since, until)
        clock.incident_since = None
        changed = True
    elif action == "approve_extension" and case.extended_until:
        calendar = calendar_for(case.department)
        working = calendar.in_working_time(durations(clock.policy)["resolution"])
        _set_deadline(clock, "resolution", case.extended_until, calendar, working)
        changed = True
    elif action in ENDING_ACTIONS:
        clock.stopped = True
        clock.followup_due = clock.archive_due = None
    _met(clock, case, action, now)
    clock.next_alert_at = next_alert(clock)
    clock.department_id = case.department_id
    clock.save()
    return clock, ({"deadlines": summary(clock)} if changed else {}) | appeal
