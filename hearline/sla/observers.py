"""The deadline clock's reactions to case steps (see `hearline.cases.steps`): a new case's
clock computed before it is written and saved with it, every later step kept in step with
it (stopped, resumed, extended, met), and a supervisor's urging told to the handlers."""

from __future__ import annotations

from hearline.cases.steps import Step, observe

from .clock import on_transition, prepare_clock, summary
from .notices import urge


def _prepare(step: Step) -> None:
    step.clock = prepare_clock(step.case, step.at)
    step.details["deadlines"] = summary(step.clock)


def _record(step: Step) -> None:
    if step.is_registration:
        step.clock.case = step.case
        step.clock.save(force_insert=True)
        return
    step.clock, deadlines = on_transition(step.case, step.action, step.at)
    step.details.update(deadlines)


def _urge(step: Step) -> None:
    note = step.payload.get("note", "")
    step.details["notified"] = urge(step.case, by=step.actor, note=note)


def connect() -> None:
    """Register the clock's observers (from the app's ready())."""
    observe("prepare", "sla.clock", _prepare, actions=["register"])
    observe("record", "sla.clock", _record)
    observe("record", "sla.urge", _urge, actions=["urge"])
