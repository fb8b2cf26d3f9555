"""Which plan (预案) applies, and who its leaders are: read only."""

from __future__ import annotations

from django.db.models import Q

from hearline.accounts.models import Department, User
from hearline.accounts.organisations import organisation_at
from hearline.accounts.roles import Role

from .models import PlanRun, ResponsePlan


def plan_for(
    trigger: str, department: Department, kind_id: int | None = None
) -> ResponsePlan | None:
    """The active plan started by `trigger` (and, for incidents, of the kind) for something
    held by `department`: the one of the nearest organisation above it that has one, else
    the plan for everyone; None when there is none."""
    plans = ResponsePlan.objects.filter(trigger=trigger, is_active=True)
    if kind_id is not None:
        plans = plans.filter(kind_id=kind_id)
    path = department.path
    candidates = [
        plan
        for plan in plans.select_related("organisation")
        if plan.organisation is None or path.startswith(plan.organisation.path)
    ]
    return max(
        candidates,
        key=lambda p: (len(p.organisation.path) if p.organisation else 0, p.pk),
        default=None,
    )


def leaders_of(plan: ResponsePlan, department: Department) -> list[User]:
    """The plan's leaders; when it names none, the supervisors of the organisation that holds
    `department` (someone is always told at once)."""
    named = list(plan.leaders.filter(is_active=True))
    if named:
        return named
    _id, organisation = organisation_at(department.path)
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.SUPERVISOR,
            department__path=organisation,
        )
    )


def runs_of(*, case=None, incident=None) -> list[PlanRun]:
    """The plans started on a case or an incident, each with its steps, oldest first."""
    about = Q(case=case) if case is not None else Q(incident=incident)
    return list(
        PlanRun.objects.filter(about)
        .select_related("plan")
        .prefetch_related("steps__done_by")
        .order_by("started_at", "pk")
    )
