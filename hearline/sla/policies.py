"""Choosing the SLA policy for a case: the most specific active policy that matches."""

from __future__ import annotations

from hearline.cases.models import Case
from hearline.core.cache import memo

from .models import SlaPolicy


def _depth(path: str | None) -> int:
    return path.count("/") if path else 0


@memo(seconds=60)
def active_policies() -> list[SlaPolicy]:
    """The active policies with their category and department, cached briefly."""
    return list(SlaPolicy.objects.filter(is_active=True).select_related("category", "department"))


def select_policy(case: Case) -> SlaPolicy | None:
    """The active policy matching the case's category (or an ancestor category), urgency,
    channel and department (or an ancestor). Among matches the most specific wins: deeper
    category first, then urgency, channel and department. None if nothing matches."""
    category_path = case.category.path if case.category is not None else ""
    department_path = case.department.path
    best, best_key = None, None
    for policy in active_policies():
        if policy.category_id and not category_path.startswith(policy.category.path):
            continue
        if policy.urgency and policy.urgency != case.urgency:
            continue
        if policy.channel and policy.channel != case.channel:
            continue
        if policy.department_id and not department_path.startswith(policy.department.path):
            continue
        key = (
            _depth(policy.category.path if policy.category_id else None),
            bool(policy.urgency),
            bool(policy.channel),
            _depth(policy.department.path if policy.department_id else None),
            policy.pk,
        )
        if best_key is None or key > best_key:
            best, best_key = policy, key
    return best
