"""The time limits told to a complainant on screen: on the agent's read-back, the portal's
acknowledgement and the progress page — the same words as the acknowledgement message."""

from __future__ import annotations

from hearline.cases.models import Case
from hearline.notify.compose import promise_text
from hearline.sla.promise import open_deadlines


def promise_context(case: Case) -> dict:
    """`promise`: the sentence with the deadlines still ahead ("" when none); `paused`:
    handling is suspended and the time limit stands still."""
    deadlines = open_deadlines(case)
    if deadlines is None:
        return {"promise": "", "paused": False}
    return {"promise": promise_text(deadlines), "paused": deadlines["paused"]}
