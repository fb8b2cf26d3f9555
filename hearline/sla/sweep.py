"""The supervision sweep (督办): reminders before a deadline, overdue notices with urging and
escalation after it. Run every minute by the task queue; safe to run twice at once.

Each clock carries `next_alert_at`, the earliest warning point or deadline not yet alerted,
so finding the work is one index range scan however many cases are open.

Exactly once: each alert is an `SlaAlert` row, unique per case, deadline kind, due moment and
level, inserted in the same transaction as the clock's level change and the notices, under
a lock on the clock row. A second sweep either waits for the lock and then finds the level
already raised, or loses on the unique constraint and rolls back its notices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hearline.analytics import rollup
from hearline.cases.models import Case
from hearline.notify.models import NotificationKind

from .clock import KINDS, MET_FIELD, at_rest, followup_pending, next_alert
from .models import CaseClock, Deadline, Level, SlaAlert
from .notices import department_head, handlers, notify, owner_team, supervisors


@dataclass
class SweepResult:
    reminders: int = 0
    overdue: int = 0
    followups: int = 0
    skipped: int = 0
    raised: list[tuple[int, str, str]] = field(default_factory=list)


def due_clocks(now: datetime):
    """Clocks with a threshold (warning point or deadline) reached and not yet alerted: one
    range scan of the `next_alert_at` index, however many cases are open."""
    return CaseClock.objects.filter(next_alert_at__lte=now)


def alerts_due(clock: CaseClock, now: datetime) -> list[tuple[str, str]]:
    """(deadline kind, level) pairs to raise for this clock at `now`: red when the deadline
    has passed, else yellow when the warning point has; nothing for a met deadline or a
    clock at rest (stopped, paused, following an incident). Also ("followup", yellow) once
    the follow-up date of an answered case has come."""
    raised: list[tuple[str, str]] = []
    followup_due = clock.followup_due
    if followup_due is not None and followup_pending(clock) and followup_due <= now:
        raised.append((Deadline.FOLLOWUP, Level.YELLOW))
    if at_rest(clock):
        return raised
    for kind in KINDS:
        due, warn = getattr(clock, f"{kind}_due"), getattr(clock, f"{kind}_warn_at")
        level = getattr(clock, f"{kind}_level")
        if due is None or getattr(clock, MET_FIELD[kind]) or level == Level.RED:
            continue
        if due <= now:
            raised.append((kind, Level.RED))
        elif warn <= now and level == Level.GREEN:
            raised.append((kind, Level.YELLOW))
    return raised


def _texts(kind: str, number: str) -> dict[str, str]:
    label = (
        pgettext("deadline", "response")
        if kind == "response"
        else pgettext("deadline", "resolution")
    )
    return {
        Level.YELLOW: _("Case %(number)s: the %(deadline)s deadline is near.")
        % {"number": number, "deadline": label},
        Level.RED: _("Case %(number)s is overdue for %(deadline)s. Please act now (催办).")
        % {"number": number, "deadline": label},
        "escalation": _("Case %(number)s is overdue for %(deadline)s and is escalated to you.")
        % {"number": number, "deadline": label},
    }


def _notify(case: Case, kind: str, level: str) -> None:
    if kind == Deadline.FOLLOWUP:
        text = _("Case %(number)s is due for its follow-up call (回访).") % {
            "number": case.tracking_number
        }
        notify(case, NotificationKind.FOLLOWUP, owner_team(case), text)
        return
    texts = _texts(kind, case.tracking_number)
    if level == Level.YELLOW:
        notify(case, NotificationKind.REMINDER, handlers(case), texts[Level.YELLOW])
    else:
        notify(
            case,
            NotificationKind.OVERDUE,
            [*handlers(case), department_head(case)],
            texts[Level.RED],
        )
        notify(case, NotificationKind.ESCALATION, supervisors(case), texts["escalation"])


def _sweep_clock(case_id: int, now: datetime) -> list[tuple[str, str]]:
    """Raise what is due on one clock, exactly once; returns what this call raised."""
    try:
        with transaction.atomic():
            clock = CaseClock.objects.select_for_update().filter(pk=case_id).first()
            if clock is None:
                return []
            raised = alerts_due(clock, now)
            if raised:
                case = Case.objects.select_related("department").get(pk=case_id)
            for kind, level in raised:
                SlaAlert.objects.create(
                    case_id=case_id,
                    cycle=clock.cycle,
                    deadline=kind,
                    due=getattr(clock, f"{kind}_due"),
                    level=level,
                )
                if kind == Deadline.FOLLOWUP:
                    clock.followup_reminded = True
                else:
                    setattr(clock, f"{kind}_level", level)
                _notify(case, kind, level)
            clock.next_alert_at = next_alert(clock)
            clock.save(
                update_fields=[
                    "response_level",
                    "resolution_level",
                    "followup_reminded",
                    "next_alert_at",
                ]
            )
            if any(level == Level.RED for _, level in raised):
                rollup.record_case(case_id)
            return raised
    except IntegrityError:
        return []


def do_sweep(now: datetime | None = None) -> SweepResult:
    """Raise every reminder and overdue notice that is due at `now` (default: now)."""
    now = now or timezone.now()
    result = SweepResult()
    for case_id in list(due_clocks(now).values_list("pk", flat=True)):
        raised = _sweep_clock(case_id, now)
        if not raised:
            result.skipped += 1
        for kind, level in raised:
            result.raised.append((case_id, kind, level))
            if kind == Deadline.FOLLOWUP:
                result.followups += 1
            elif level == Level.RED:
                result.overdue += 1
            else:
                result.reminders += 1
    return result
