"""The supervision sweep (督办): reminders before a deadline, overdue notices with urging and
escalation after it. Run every minute by the task queue; safe to run twice at once.

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

from hearline.cases.models import Case
from hearline.notify.models import NotificationKind

from .clock import KINDS, MET_FIELD
from .models import CaseClock, Level, SlaAlert
from .notices import department_head, handlers, notify, supervisors


@dataclass
class SweepResult:
    reminders: int = 0
    overdue: int = 0
    skipped: int = 0
    raised: list[tuple[int, str, str]] = field(default_factory=list)


def _running(kind: str) -> dict:
    return {f"{MET_FIELD[kind]}__isnull": True, "stopped": False, "paused_at__isnull": True}


def due_for_reminder(kind: str, now: datetime):
    """Clocks whose `kind` deadline is near (warning point passed) and still green."""
    return CaseClock.objects.filter(
        **_running(kind), **{f"{kind}_level": Level.GREEN, f"{kind}_warn_at__lte": now}
    ).exclude(**{f"{kind}_due__lte": now})


def overdue(kind: str, now: datetime):
    """Clocks whose `kind` deadline has passed and that are not yet red."""
    return CaseClock.objects.filter(
        **_running(kind),
        **{f"{kind}_due__lte": now, f"{kind}_level__in": [Level.GREEN, Level.YELLOW]},
    )


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


def _raise(case_id: int, kind: str, level: str) -> bool:
    """Raise one alert for one clock, exactly once; False if someone else already did."""
    try:
        with transaction.atomic():
            clock = (
                CaseClock.objects.select_for_update().filter(pk=case_id, **_running(kind)).first()
            )
            due = getattr(clock, f"{kind}_due", None) if clock else None
            current = getattr(clock, f"{kind}_level", None)
            if (
                due is None
                or current == Level.RED
                or (level == Level.YELLOW and current != Level.GREEN)
            ):
                return False
            SlaAlert.objects.create(
                case_id=case_id, cycle=clock.cycle, deadline=kind, due=due, level=level
            )
            CaseClock.objects.filter(pk=case_id).update(**{f"{kind}_level": level})
            case = Case.objects.select_related("department").get(pk=case_id)
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
            return True
    except IntegrityError:
        return False


def do_sweep(now: datetime | None = None) -> SweepResult:
    """Raise every reminder and overdue notice that is due at `now` (default: now)."""
    now = now or timezone.now()
    result = SweepResult()
    for kind in KINDS:
        for level, query in ((Level.RED, overdue), (Level.YELLOW, due_for_reminder)):
            for case_id in list(query(kind, now).values_list("pk", flat=True)):
                if _raise(case_id, kind, level):
                    result.raised.append((case_id, kind, level))
                    if level == Level.RED:
                        result.overdue += 1
                    else:
                        result.reminders += 1
                else:
                    result.skipped += 1
    return result
