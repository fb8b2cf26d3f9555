"""Incidents' reactions to case steps (see `hearline.cases.steps`): before a complaint is
written, whether it joins a running incident or completes a burst; in its transaction, the
link (or the proposal) itself. What the agent reads out to the caller goes back with the
registration. Also what coordinators see and may do on the cases linked to their
incidents, contributed to the case core's access rules."""

from __future__ import annotations

from django.db.models import Q

from hearline.accounts.roles import Role
from hearline.cases.models import Channel
from hearline.cases.queries import contribute
from hearline.cases.steps import Step, observe
from hearline.cases.workflow import Capacity
from hearline.triage.models import LexiconKind

from .actions.intake import record_registration
from .actions.plans import start_case_plans
from .detection import plan
from .models import PlanTrigger
from .queries import coordinated_case_ids


def _plan(step: Step) -> None:
    decided = plan(step.case, step.flags, step.at)
    step.notes["incidents"] = decided
    step.announcement = decided.notice


def _link(step: Step) -> None:
    linked = record_registration(step.case, step.notes["incidents"])
    if linked:
        step.details["incident"] = linked


def _sensitive(step: Step) -> None:
    """A case registered or marked as a public-safety or public-opinion risk starts the plan
    (预案) of each, and its leaders are told at once; not for a case that joined an incident,
    running or proposed (the incident's own plan runs from its confirmation, and a burst must
    not start a thousand), nor for the public-opinion flag every social-media post carries by
    its channel unless its words say so too (the post waits in the sensitive queue for staff
    to judge it)."""
    flags = (PlanTrigger.PUBLIC_SAFETY, PlanTrigger.OPINION_RISK)
    if step.is_registration:
        if "incident" in step.details:
            return
        case = step.case
        triggers = [str(t) for t in flags if getattr(case, t)]
        by_channel_only = case.channel == Channel.SOCIAL and LexiconKind.OPINION not in step.flags
        if by_channel_only:
            triggers = [t for t in triggers if t != PlanTrigger.OPINION_RISK]
    else:
        triggers = [str(t) for t in flags if step.details.get(t, {}).get("to") is True]
    if triggers:
        start_case_plans(step.case, triggers, step.at, registered=step.is_registration)


def _coordinated(user) -> Q | None:
    """The cases linked to the incidents this coordinator runs."""
    if Role.COORDINATOR not in user.roles or not user.department_id:
        return None
    return Q(pk__in=coordinated_case_ids(user.department))


def _coordinator_of(user, case) -> frozenset[str]:
    """`coordinator` towards a case linked to an incident this user runs."""
    if Role.COORDINATOR not in user.roles or not user.department_id:
        return frozenset()
    if coordinated_case_ids(user.department).filter(case_id=case.pk).exists():
        return frozenset({Capacity.COORDINATOR})
    return frozenset()


def connect() -> None:
    """Register the incidents' observers and what coordinators see and may do on the
    linked cases (from the app's ready())."""
    observe("prepare", "incidents.plan", _plan, actions=["register"])
    observe("record", "incidents.link", _link, actions=["register"])
    observe("react", "incidents.plans", _sensitive, actions=["register", "mark_sensitive"])
    contribute(visibility=_coordinated, capacities=_coordinator_of)
