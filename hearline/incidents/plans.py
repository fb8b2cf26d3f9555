"""Which plan (预案) applies, and who its leaders are: read only."""

from __future__ import annotations

from django.db.models import Q

from hearline.accounts.models import Department, User
from hearline.sla.notices import supervisors_above

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
    """The plan's leaders; when it names none, the supervisors at the nearest level at or
    above `department` that has any."""
    named = list(plan.leaders.filter(is_active=True))
    return named or supervisors_above(department)


def runs_of(*, case=None, incident=None) -> list[PlanRun]:
    """The plans started on a case or an incident, each with its steps, oldest first."""
    about = Q(case=case) if case is not None else Q(incident=incident)
    return list(
        PlanRun.objects.filter(about)
        .select_related("plan")
        .prefetch_related("steps__done_by")
        .order_by("started_at", "pk")
    )
