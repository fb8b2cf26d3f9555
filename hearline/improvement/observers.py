"""Root causes as case steps name them (see `hearline.cases.steps`): a tagged root cause is
checked against the active ones and written onto the case in the step's transaction."""

from __future__ import annotations

from hearline.cases.models import Case
from hearline.cases.steps import Step, observe
from hearline.cases.workflow import InvalidInput
from hearline.core.ids import by_ref

from .models import RootCause


def _root_cause(step: Step) -> None:
    case, ref = step.case, step.payload["root_cause"]
    cause = RootCause.objects.filter(active=True, **by_ref(ref)).first()
    if cause is None:
        raise InvalidInput("unknown root cause", fields={"root_cause": "unknown_root_cause"})
    step.details["root_cause"] = {
        "from": case.root_cause.name if case.root_cause_id else None,
        "to": cause.name,
    }
    Case.objects.filter(pk=case.pk).update(root_cause=cause)
    case.root_cause = cause


def connect() -> None:
    """Register the root causes' observer (from the app's ready())."""
    observe("record", "improvement.root_cause", _root_cause, actions=["tag_root_cause"])
