"""Every action × every role × every relation to the case: allowed exactly when it should be.

The expected capacities below are written from the rules in DOMAIN.md and the foundation
issue, not derived from the code under test.
"""

import pytest
from django.db import transaction

from hearline.cases.actions import do_register_case, do_transition
from hearline.cases.models import Case
from hearline.cases.workflow import TRANSITIONS, Capacity, NotAllowed, NotFound, State
from hearline.testing.org import case_in_state, submission, valid_payload

C = Capacity
USERNAMES = [
    "agent",
    "agent2",
    "dispatcher",
    "water_dispatcher",
    "metro_dispatcher",
    "repair_handler",
    "repair_handler2",
    "station_handler",
    "customer_handler",
    "metro_handler",
    "repair_supervisor",
    "water_supervisor",
    "metro_supervisor",
    "manager",
    "coordinator",
    "administrator",
]


def expected_capacities(username: str, case_department: str) -> set[str]:
    """What each test user is towards a case owned by `agent`, held by `case_department`
    (callcentre before dispatch, repair after) and co-handled by `customer` once accepted."""
    in_water = case_department == "repair"
    return {
        "agent": {C.OWNER_AGENT, C.OWNER_TEAM},
        "agent2": {C.OWNER_TEAM},  # the owner's intake team: follows up and archives
        "dispatcher": {C.DISPATCHER},  # the hotline dispatcher covers the whole city
        "water_dispatcher": {C.DISPATCHER} if in_water else set(),
        "repair_handler": {C.HANDLER} if in_water else set(),
        "repair_handler2": {C.HANDLER} if in_water else set(),
        "customer_handler": {C.COHANDLER} if in_water else set(),
        "repair_supervisor": {C.SUPERVISOR} if in_water else set(),
        "water_supervisor": {C.SUPERVISOR} if in_water else set(),
    }.get(username, set())


def _source_state(action: str) -> str:
    return next(s for s in State.ALL if s in TRANSITIONS[action].sources)


PENDING = {
    "approve_suspension": "suspension",
    "approve_extension": "extension",
    "reject_request": "extension",
}
ACTIONS = [a for a in TRANSITIONS if a != "register"]


def _try(action, case, user, payload):
    """Attempt the action in a savepoint that is rolled back: True if it was allowed."""
    try:
        with transaction.atomic():
            do_transition(case.pk, action, acting_user=user, payload=payload)
            transaction.set_rollback(True)
        return True
    except (NotAllowed, NotFound):
        return False


@pytest.mark.parametrize("action", ACTIONS)
def test_action_allowed_exactly_for_the_right_role_and_relation(org, action):
    state = _source_state(action)
    case = case_in_state(org, state, pending=PENDING.get(action, ""), cohandled=True)
    if action == "add_cohandler":
        case.co_departments.clear()
    department = case.department.code
    before = (case.state, case.version, case.events.count())
    for username in USERNAMES:
        expected = bool(expected_capacities(username, department) & TRANSITIONS[action].actors)
        payload = valid_payload(action, org)
        if action in ("dispatch", "transfer", "add_cohandler") and username == "water_dispatcher":
            payload["department"] = "customer"
        allowed = _try(action, case, org.users[username], payload)
        assert allowed == expected, f"{username} {action} in {state}: {allowed=}"
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.state, fresh.version, fresh.events.count()) == before


def test_register_allowed_for_agents_and_dispatchers_only(org):
    may_register = {"agent", "agent2", "dispatcher", "water_dispatcher", "metro_dispatcher"}
    for username in USERNAMES:
        try:
            with transaction.atomic():
                do_register_case(submission(), acting_user=org.users[username])
                transaction.set_rollback(True)
            allowed = True
        except NotAllowed:
            allowed = False
        assert allowed == (username in may_register), username
    assert Case.objects.count() == 0


def test_visibility_by_role(org):
    from hearline.cases.queries import cases_visible_to

    at_hotline = case_in_state(org, "registered")
    at_repair = case_in_state(org, "in_progress", cohandled=True)
    expected = {
        "agent": {at_hotline, at_repair},
        "agent2": {at_hotline, at_repair},  # 进度查询: any case of the hotline's tree
        "dispatcher": {at_hotline, at_repair},
        "water_dispatcher": {at_repair},
        "metro_dispatcher": set(),
        "repair_handler": {at_repair},
        "station_handler": set(),
        "customer_handler": {at_repair},
        "metro_handler": set(),
        "repair_supervisor": {at_repair},
        "water_supervisor": {at_repair},
        "metro_supervisor": set(),
        "manager": {at_hotline, at_repair},
        "coordinator": {at_repair},
        "administrator": {at_hotline, at_repair},
    }
    for username, cases in expected.items():
        visible = set(
            cases_visible_to(org.users[username]).filter(pk__in=[at_hotline.pk, at_repair.pk])
        )
        assert visible == cases, username
