"""The incident lifecycle, declared once as data.

proposed → open → stabilising → resolved → reviewed; a proposal may be dismissed instead.
Each row names the states an action starts from and the state it leads to (None: the state
stays, the step is recorded). Every incident action is taken by an emergency coordinator
(or Hearline itself, for a proposal); `hearline.incidents.actions.apply_step` is the one
function that applies a row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    OPEN = "open", _("Open")
    STABILISING = "stabilising", _("Stabilising")
    RESOLVED = "resolved", _("Resolved")
    REVIEWED = "reviewed", _("Reviewed")
    DISMISSED = "dismissed", _("Dismissed")


S = IncidentState
# Incidents that new complaints are linked to and that may be proposed only once per place.
ACTIVE = frozenset({S.PROPOSED, S.OPEN, S.STABILISING})
# Incidents the public sees.
PUBLIC = frozenset({S.OPEN, S.STABILISING, S.RESOLVED, S.REVIEWED})
_RUNNING = frozenset({S.OPEN, S.STABILISING})


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[str]
    target: str | None


_TABLE = [
    Step("propose", frozenset({""}), S.PROPOSED),
    Step("open", frozenset({""}), S.OPEN),
    Step("confirm", frozenset({S.PROPOSED}), S.OPEN),
    Step("dismiss", frozenset({S.PROPOSED}), S.DISMISSED),
    Step("expire", frozenset({S.PROPOSED}), S.DISMISSED),
    Step("update", ACTIVE, None),
    Step("link", ACTIVE, None),
    Step("join", ACTIVE, None),
    Step("unlink", ACTIVE, None),
    Step("stabilise", frozenset({S.OPEN}), S.STABILISING),
    Step("publish_bulletin", _RUNNING, None),
    Step("bulletin_overdue", _RUNNING, None),
    Step("record_support", _RUNNING | {S.RESOLVED}, None),
    Step("close", _RUNNING, S.RESOLVED),
    Step("review", frozenset({S.RESOLVED}), S.REVIEWED),
    Step("aftermath", frozenset({S.RESOLVED, S.REVIEWED}), None),
    Step("follow_up", frozenset({S.RESOLVED, S.REVIEWED}), None),
    Step("plan_step", _RUNNING | {S.RESOLVED, S.REVIEWED}, None),
]
STEPS: dict[str, Step] = {step.action: step for step in _TABLE}


def available_steps(state: str) -> list[str]:
    """The actions a coordinator may take on an incident in `state`, in table order."""
    return [s.action for s in _TABLE if state in s.sources and s.action not in _NOT_OFFERED]


# Steps only Hearline takes (the sweep); joining, which only a coordinator who does not run
# the incident yet takes; deciding a complaint after restoration and ticking off a plan's
# step, offered beside each complaint and step: never among a running coordinator's steps.
_NOT_OFFERED = frozenset({"bulletin_overdue", "expire", "join", "aftermath", "plan_step"})
