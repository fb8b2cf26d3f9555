"""The rollups kept exactly as cases move (see `hearline.cases.steps`): each step brings the
case's contribution to every measure up to date in the step's own transaction."""

from __future__ import annotations

from hearline.cases.steps import Step, observe

from . import rollup


def _rollup(step: Step) -> None:
    if step.is_registration:
        repeat = step.notes["triage"].repeat_of is not None
        rollup.contribute(step.case, step.clock, repeat=repeat, created=True)
    else:
        rollup.record_step(step.case, step.clock)


def connect() -> None:
    """Register the rollups' observer (from the app's ready())."""
    observe("react", "analytics.rollup", _rollup)
