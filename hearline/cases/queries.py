"""Reads of cases, always scoped to what the acting user may see.

`cases_visible_to(user)` is the one visibility rule; `access_case(user, case_id)` is the way
every caller gets a single case; `capacities(user, case)` turns roles and relations into the
capacities the workflow table speaks of.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from django.db.models import Q, QuerySet

from hearline.accounts.models import Department, User
from hearline.accounts.organisations import organisation_at
from hearline.accounts.roles import Role
from hearline.core.phones import phone_digits

from . import workflow
from .models import Case, CaseEvent, Complainant
from .tracking import canonical_tracking_number
from .workflow import Capacity, NotAllowed, NotFound, State


def _subtree_ids(department: Department) -> list[int]:
    return list(
        Department.objects.filter(path__startswith=department.path).values_list("pk", flat=True)
    )


def visibility_rule(user: User) -> Q | None:
    """The filter on cases this user may see; None means every case, an empty match none.

    Agents see every case of their organisation's tree (a progress call, 进度查询, may be
    about any of them; they act only on those they own); handlers those of their department
    and those it co-handles; dispatchers everything in their organisation; supervisors,
    coordinators and managers their department's subtree (each of these scopes also the
    cases whose appeal is decided within it); administrators everything; and what other apps
    contribute (`contribute`: coordinators, the cases linked to the
    incidents they run).
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    roles = user.roles
    if user.is_superuser or Role.ADMIN in roles:
        return None
    scopes: list[Department] = []
    if Role.DISPATCHER in roles and user.organisation is not None:
        scopes.append(user.organisation)
    if roles & {Role.SUPERVISOR, Role.COORDINATOR, Role.MANAGER} and user.department is not None:
        scopes.append(user.department)
    if (
        any(scope.parent_id is None for scope in scopes)
        and not Department.objects.filter(parent__isnull=True)
        .exclude(pk__in=[s.pk for s in scopes])
        .exists()
    ):
        return None  # the whole tree
    rule = Q(pk__in=[])
    if Role.AGENT in roles:
        rule |= Q(owner=user)
        if user.department is not None:  # 进度查询, with the organisations memoised
            rule |= Q(department__path__startswith=organisation_at(user.department.path)[1])
    if Role.HANDLER in roles and user.department_id:
        rule |= Q(department_id=user.department_id) | Q(pk__in=cohandled_by(user.department_id))
    for scope in scopes:
        # The cases held in the scope, and those whose appeal is decided there (a
        # supervision office sees the appeals it decides, wherever they were handled).
        ids = _subtree_ids(scope)
        rule |= Q(department_id__in=ids) | Q(appeal_department_id__in=ids)
    for widen in _visibility_contributors:
        more = widen(user)
        if more is not None:
            rule |= more
    return rule


# Other apps widen what a user sees and may do on a case, without the case core knowing
# them: an emergency coordinator sees and answers the cases linked to their incidents
# (registered by the incidents app in its ready()).
VisibilityContributor = Callable[[User], Q | None]
CapacityContributor = Callable[[User, Case], frozenset[str]]
_visibility_contributors: list[VisibilityContributor] = []
_capacity_contributors: list[CapacityContributor] = []


def contribute(visibility: VisibilityContributor, capacities: CapacityContributor) -> None:
    """Add a contributor to `visibility_rule` (a filter of further cases the user sees, or
    None) and to `capacities` (further capacities the user holds towards a case).
    Registering the same functions again changes nothing."""
    if visibility not in _visibility_contributors:
        _visibility_contributors.append(visibility)
    if capacities not in _capacity_contributors:
        _capacity_contributors.append(capacities)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases the user may see (see `visibility_rule`)."""
    rule = visibility_rule(user)
    return Case.objects.all() if rule is None else Case.objects.filter(rule)


def intake_scope(user: User) -> Q | None:
    """The cases an intake desk may find while taking a call (duplicates, the caller's
    earlier cases): those held anywhere in its organisation's tree; None means every case
    (administrators). Raises NotAllowed for users who do not take calls."""
    if not user.is_authenticated or not user.is_active:
        raise NotAllowed("only intake staff take calls")
    if user.is_superuser or Role.ADMIN in user.roles:
        return None
    if Capacity.INTAKE not in capacities(user, None) or user.department is None:
        raise NotAllowed("only intake staff take calls")
    return Q(department__path__startswith=organisation_at(user.department.path)[1])


def cohandled_by(department_id: int):
    """Ids of the cases a department co-handles (a subquery)."""
    return Case.co_departments.through.objects.filter(department_id=department_id).values("case_id")


def appeals_decided_by(user: User) -> Q:
    """The appealed cases (申诉) waiting for a decision where this user sits (the appeal's
    department or below it): a filter on cases; none for a user without a department."""
    if user.department is None:
        return Q(pk__in=[])
    return Q(state=State.APPEALED, appeal_department__path__startswith=user.department.path)


def cohandling_answered_by(department_id: int):
    """Ids of the cases whose co-handling part this department has answered (a subquery)."""
    return CaseEvent.objects.filter(
        action="answer_cohandling", details__department__id=department_id
    ).values("case_id")


def cohandling_parts(case: Case) -> list[dict]:
    """Each co-handling department (协办) of the case with its part as the timeline holds it:
    `department`, `accepted` and `answered` (the events, or None), in the order asked."""
    parts = {
        d.pk: {"department": d, "accepted": None, "answered": None}
        for d in case.co_departments.all()
    }
    events = case.events.filter(action__in=("accept_cohandling", "answer_cohandling"))
    for event in events.select_related("actor").order_by("seq"):
        part = parts.get(event.details.get("department", {}).get("id"))
        if part is not None:
            part["accepted" if event.action == "accept_cohandling" else "answered"] = event
    return list(parts.values())


def visible_case(user: User, **unique) -> Case | None:
    """The case matching `unique` (its id or tracking number) if the user may see it, with
    its department, owner, complainant, category and clock loaded in the same query; else
    None (whether it exists is not revealed)."""
    return (
        cases_visible_to(user)
        .select_related("department", "owner", "complainant", "category", "clock")
        .filter(**unique)
        .first()
    )


def visible_case_id(user: User, **unique) -> int | None:
    """The id of the case matching `unique` (its id or tracking number) if the user may see
    it, else None: `visible_case` for callers that hand the id on to an action, which loads
    and locks the case itself."""
    return cases_visible_to(user).filter(**unique).values_list("pk", flat=True).first()


def check_access(user: User, case_id: int) -> None:
    """Raise NotFound unless the user may see the case (whether it exists is not revealed)."""
    if visible_case_id(user, pk=case_id) is None:
        raise NotFound("no such case", case_id=case_id)


def access_case(user: User, case_id: int) -> Case:
    """The case if the user may see it, else NotFound (whether it exists is not revealed)."""
    case = visible_case(user, pk=case_id)
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
        held |= {Capacity.OWNER_AGENT, Capacity.OWNER_TEAM}
    elif Role.AGENT in roles and user.department_id and case.state in State.ANSWERED:
        if User.objects.filter(pk=case.owner_id, department_id=user.department_id).exists():
            held.add(Capacity.OWNER_TEAM)
    if Role.HANDLER in roles and user.department_id:
        if case.department_id == user.department_id:
            held.add(Capacity.HANDLER)
        elif case.co_departments.filter(pk=user.department_id).exists():
            held.add(Capacity.COHANDLER)
    if Role.DISPATCHER in roles and user.organisation is not None:
        if case.department.is_within(user.organisation):
            held.add(Capacity.DISPATCHER)
    if Role.SUPERVISOR in roles and user.department is not None:
        if case.department.is_within(user.department):
            held.add(Capacity.SUPERVISOR)
        appeal = case.appeal_department
        if appeal is not None and appeal.is_within(user.department):
            held.add(Capacity.APPEAL_REVIEWER)
    for more in _capacity_contributors:
        held |= more(user, case)
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


def lookup_public(tracking_number: str, *, phone: str = "", token: str = "") -> Case | None:
    """A case for the public look-up: the tracking number alone is never enough; it must come
    with the complainant's phone number or the case's secret token. Returns None otherwise,
    without telling which part was wrong."""
    number = canonical_tracking_number(tracking_number)
    if not number:
        return None
    case = (
        Case.objects.select_related("complainant", "department", "category")
        .filter(tracking_number=number)
        .first()
    )
    if case is None:
        return None
    if token and hmac.compare_digest(token.encode(), case.public_token.encode()):
        return case
    given, stored = phone_digits(phone), phone_digits(case.complainant.phone)
    if len(given) >= 7 and stored and hmac.compare_digest(given.encode(), stored.encode()):
        return case
    return None


def of_phone(cases: QuerySet, phone: str) -> QuerySet:
    """`cases` of the complainants with this (normalised) phone number. The complainants
    are looked up first: a join on the phone lets PostgreSQL walk the newest cases of the
    whole table when the caller has none (seconds at 1,000,000 cases)."""
    people = list(Complainant.objects.filter(phone=phone).values_list("pk", flat=True)[:50])
    return cases.filter(complainant_id__in=people)
