"""Reads of cases, always scoped to what the acting user may see.

`cases_visible_to(user)` is the one visibility rule; `access_case(user, case_id)` is the way
every caller gets a single case; `capacities(user, case)` turns roles and relations into the
capacities the workflow table speaks of.
"""

from __future__ import annotations

import hmac

from django.db.models import Q, QuerySet

from hearline.accounts.models import Department, User
from hearline.accounts.roles import Role

from . import workflow
from .models import Case
from .workflow import Capacity, NotFound


def _subtree(department: Department | None, prefix: str = "department__") -> Q:
    if department is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}path__startswith": department.path})


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases the user may see.

    Agents see the cases they own; handlers those of their department and those it
    co-handles; dispatchers everything in their organisation; supervisors, coordinators and
    managers their department's subtree; administrators everything.
    """
    qs = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    roles = user.roles
    if user.is_superuser or Role.ADMIN in roles:
        return qs
    rule = Q(pk__in=[])
    if Role.AGENT in roles:
        rule |= Q(owner=user)
    if Role.HANDLER in roles and user.department_id:
        rule |= Q(department_id=user.department_id)
        rule |= Q(
            pk__in=Case.co_departments.through.objects.filter(
                department_id=user.department_id
            ).values("case_id")
        )
    if Role.DISPATCHER in roles and user.department_id:
        rule |= _subtree(user.organisation)
    if roles & {Role.SUPERVISOR, Role.COORDINATOR, Role.MANAGER}:
        rule |= _subtree(user.department)
    return qs.filter(rule)


def access_case(user: User, case_id: int) -> Case:
    """The case if the user may see it, else NotFound (whether it exists is not revealed)."""
    case = (
        cases_visible_to(user)
        .select_related("department", "owner", "complainant", "category")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("no such case", case_id=case_id)
    return case


def capacities(user: User, case: Case | None) -> frozenset[str]:
    """The workflow capacities `user` holds towards `case` (None: a case not yet registered)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = user.roles
    if case is None:
        return (
            frozenset({Capacity.INTAKE}) if roles & {Role.AGENT, Role.DISPATCHER} else frozenset()
        )
    held = set()
    if Role.AGENT in roles and case.owner_id == user.pk:
        held.add(Capacity.OWNER_AGENT)
    if Role.HANDLER in roles and user.department_id:
        if case.department_id == user.department_id:
            held.add(Capacity.HANDLER)
        elif case.co_departments.filter(pk=user.department_id).exists():
            held.add(Capacity.COHANDLER)
    if Role.DISPATCHER in roles and user.department_id:
        if case.department.is_within(user.organisation):
            held.add(Capacity.DISPATCHER)
    if Role.SUPERVISOR in roles and user.department_id:
        if case.department.is_within(user.department):
            held.add(Capacity.SUPERVISOR)
    return frozenset(held)


def case_values(case: Case) -> dict:
    """The case fields the workflow reads (required fields, preconditions)."""
    names = {n for t in workflow.TRANSITIONS.values() for n in (*t.requires, *t.writes)}
    names |= {n for t in workflow.TRANSITIONS.values() for n, _ in t.preconditions}
    return {n: getattr(case, n) for n in names if hasattr(case, n) and n != "department"}


def allowed_actions(user: User, case: Case) -> list[str]:
    """Actions this user may take on this case now; a UI shows these and only these."""
    return workflow.available_actions(case.state, capacities(user, case), case_values(case))


def timeline(case: Case, *, public_only: bool = False) -> QuerySet:
    """The case's events in order; `public_only` for what the complainant may see."""
    events = case.events.select_related("actor").order_by("seq")
    return events.filter(public=True) if public_only else events


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


def lookup_public(tracking_number: str, *, phone: str = "", token: str = "") -> Case | None:
    """A case for the public look-up: the tracking number alone is never enough; it must come
    with the complainant's phone number or the case's secret token. Returns None otherwise,
    without telling which part was wrong."""
    case = (
        Case.objects.select_related("complainant", "department", "category")
        .filter(tracking_number=(tracking_number or "").strip().upper())
        .first()
    )
    if case is None:
        return None
    if token and hmac.compare_digest(token.encode(), case.public_token.encode()):
        return case
    given, stored = _digits(phone), _digits(case.complainant.phone)
    if len(given) >= 7 and stored and hmac.compare_digest(given.encode(), stored.encode()):
        return case
    return None
