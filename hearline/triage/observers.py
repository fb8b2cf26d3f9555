"""Triage's reactions to case steps (see `hearline.cases.steps`): the lexicon, routing and
repeat check before a registration is written, its triage record with it, a person's
choice of another category or department than the one suggested, and the duplicate index
kept to cases still waiting for their answer."""

from __future__ import annotations

from hearline.cases.steps import Step, observe
from hearline.cases.workflow import ANSWERING_ACTIONS, ENDING_ACTIONS

from . import duplicates
from .actions import plan, record, record_override
from .models import Target


def _plan(step: Step) -> None:
    decided = plan(step.case, callers=step.callers)
    step.flags = decided.flags
    step.notes["triage"] = decided


def _record(step: Step) -> None:
    record(step.case, step.notes["triage"])


def _overrides(step: Step) -> None:
    case = step.case
    if step.action in ("dispatch", "transfer"):
        chosen = step.details["department"]["code"]  # the event names it: no read of it
        record_override(case, Target.DEPARTMENT, chosen, step.actor)
    elif "category" in step.payload and case.category_id:
        record_override(case, Target.CATEGORY, case.category.code, step.actor)


def _answered(step: Step) -> None:
    duplicates.forget(step.case)


def connect() -> None:
    """Register triage's observers (from the app's ready())."""
    observe("prepare", "triage.plan", _plan, actions=["register"])
    observe("react", "triage.record", _record, actions=["register"])
    observe("react", "triage.overrides", _overrides, actions=["dispatch", "transfer", "reclassify"])
    observe("react", "triage.answered", _answered, actions=ANSWERING_ACTIONS | ENDING_ACTIONS)
