"""The time limits a complainant is told (the promise): those still ahead on the case's
clock — when we will be in touch, unless we were, and when they will have the answer, unless
they have it — and whether handling is paused."""

from __future__ import annotations

from hearline.cases.models import Case

from .clock import summary
from .models import CaseClock


def open_deadlines(case: Case) -> dict | None:
    """`response_due` and `resolution_due` (ISO 8601, UTC; None once met, and the resolution
    None while the case follows an incident), `paused` and `follows_incident`; or None when
    the case has no running clock (answered, closed, or never clocked)."""
    clock = CaseClock.objects.filter(case=case).first()
    if clock is None or clock.stopped or clock.resolved_at is not None:
        return None
    deadlines = summary(clock)
    return {
        "response_due": None if clock.responded_at else deadlines["response_due"],
        "resolution_due": None if clock.incident_since else deadlines["resolution_due"],
        "paused": clock.paused_at is not None,
        "follows_incident": clock.incident_since is not None,
    }
