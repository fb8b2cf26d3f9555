"""The lifecycle table itself, without a database."""

from collections import deque

import pytest

from hearline.cases import workflow
from hearline.cases.workflow import (
    TRANSITIONS,
    Capacity,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    State,
    UnknownAction,
    check,
)

C = Capacity

# Who may take each action, written from DOMAIN.md and the seeds, independently of the table.
EXPECTED_ACTORS = {
    "register": {C.INTAKE},
    "close_on_spot": {C.OWNER_AGENT},
    "dispatch": {C.DISPATCHER, C.SYSTEM},  # SYSTEM: by an automatic routing rule
    "accept": {C.HANDLER},
    "return": {C.HANDLER},
    "transfer": {C.DISPATCHER},
    "add_cohandler": {C.DISPATCHER, C.HANDLER},
    "reclassify": {C.OWNER_AGENT, C.DISPATCHER, C.SUPERVISOR},
    "record_contact": {C.OWNER_AGENT, C.HANDLER, C.COHANDLER},
    "urge": {C.SUPERVISOR},
    "acknowledge_urge": {C.HANDLER, C.COHANDLER},
    "record_investigation": {C.HANDLER, C.COHANDLER},
    "attach": {C.OWNER_AGENT, C.HANDLER, C.COHANDLER, C.SYSTEM},
    "propose_resolution": {C.HANDLER},
    "resolve": {C.HANDLER},
    "request_suspension": {C.HANDLER},
    "request_extension": {C.HANDLER},
    "approve_suspension": {C.SUPERVISOR},
    "approve_extension": {C.SUPERVISOR},
    "reject_request": {C.SUPERVISOR},
    "resume": {C.HANDLER, C.SUPERVISOR},
    "reply": {C.HANDLER},
    "record_rating": {C.OWNER_AGENT, C.SUPERVISOR, C.COMPLAINANT},
    "follow_up": {C.OWNER_AGENT, C.OWNER_TEAM, C.SUPERVISOR, C.COORDINATOR},
    "reopen": {C.OWNER_AGENT, C.SUPERVISOR, C.COMPLAINANT},
    "appeal": {C.OWNER_AGENT, C.COMPLAINANT},
    "dismiss_appeal": {C.APPEAL_REVIEWER},
    "uphold_appeal": {C.APPEAL_REVIEWER},
    "merge": {C.DISPATCHER},
    "archive": {C.OWNER_AGENT, C.OWNER_TEAM, C.SUPERVISOR},
    "comment": {
        C.OWNER_AGENT,
        C.HANDLER,
        C.COHANDLER,
        C.DISPATCHER,
        C.SUPERVISOR,
        C.COMPLAINANT,
        C.SYSTEM,
    },
    "tag_root_cause": {C.HANDLER, C.SUPERVISOR},
    "send_article": {C.OWNER_AGENT, C.HANDLER, C.COHANDLER},
    "link_incident": {C.COORDINATOR},
    "unlink_incident": {C.COORDINATOR},
    "incident_restored": {C.COORDINATOR},
    "link_aftermath": {C.COORDINATOR},
    "archive_by_policy": {C.SYSTEM},
    "mark_sensitive": {C.OWNER_AGENT, C.HANDLER, C.DISPATCHER, C.SUPERVISOR},
    "accept_cohandling": {C.COHANDLER},
    "answer_cohandling": {C.COHANDLER},
    "complete_plan_step": {
        C.OWNER_AGENT,
        C.HANDLER,
        C.COHANDLER,
        C.DISPATCHER,
        C.SUPERVISOR,
        C.COORDINATOR,
    },
    "incident_reply": {C.COORDINATOR},
}


def test_every_action_has_the_expected_actors():
    assert {a: set(t.actors) for a, t in TRANSITIONS.items()} == EXPECTED_ACTORS


def test_states_and_targets_are_declared_states():
    for t in TRANSITIONS.values():
        assert t.sources <= set(State.ALL) | {State.NEW}, t.action
        assert t.target is None or t.target in State.ALL, t.action


def _reachable(start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        state = queue.popleft()
        for t in TRANSITIONS.values():
            if state in t.sources:
                nxt = t.result_state(state)
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    return seen


def test_every_state_is_reachable_from_registration():
    assert _reachable(State.NEW) == set(State.ALL) | {State.NEW}


def test_no_open_case_can_get_stuck():
    """Nothing sinks without trace: from every open state the archive is still reachable."""
    for state in State.OPEN:
        assert State.ARCHIVED in _reachable(state), state


def test_terminal_states_have_no_way_out():
    """A closed case only gathers notes and delivery reports; nothing else touches it."""
    for t in TRANSITIONS.values():
        if t.sources & State.TERMINAL:
            assert t.action in workflow.QUIET_ACTIONS, t.action
            assert t.target is None and not (t.writes or t.sets or t.clears), t.action


def test_the_closed_loop_of_the_seeds_is_a_path():
    loop = [
        "register",
        "dispatch",
        "accept",
        "resolve",
        "reply",
        "record_rating",
        "follow_up",
        "archive",
    ]
    state = State.NEW
    for action in loop:
        t = TRANSITIONS[action]
        assert state in t.sources, action
        state = t.result_state(state)
    assert state == State.ARCHIVED


def test_unknown_action():
    with pytest.raises(UnknownAction):
        check("explode", state=State.REGISTERED, capacities={C.DISPATCHER})


def test_permission_is_checked_before_state():
    with pytest.raises(NotAllowed):
        check("accept", state=State.ARCHIVED, capacities={C.OWNER_AGENT})


def test_wrong_state_is_an_illegal_transition():
    with pytest.raises(IllegalTransition) as exc:
        check("accept", state=State.REGISTERED, capacities={C.HANDLER})
    assert exc.value.status == 409
    assert exc.value.details["state"] == State.REGISTERED


def test_required_fields_are_reported_per_field():
    with pytest.raises(InvalidInput) as exc:
        check("resolve", state=State.IN_PROGRESS, capacities={C.HANDLER}, payload={})
    assert exc.value.details["fields"] == {
        "finding": "required",
        "resolution_type": "required",
        "resolution": "required",
    }


def test_required_fields_may_come_from_the_case():
    case_values = {
        "finding": "f",
        "resolution_type": "repair",
        "resolution": "r",
        "pending_request": "",
    }
    check("resolve", state=State.IN_PROGRESS, capacities={C.HANDLER}, case_values=case_values)


def test_blank_strings_do_not_satisfy_a_requirement():
    with pytest.raises(InvalidInput):
        check("return", state=State.DISPATCHED, capacities={C.HANDLER}, payload={"reason": "  "})


def test_compensation_needs_a_positive_amount():
    payload = {"finding": "f", "resolution_type": "compensation", "resolution": "赔偿"}
    with pytest.raises(InvalidInput) as exc:
        check("resolve", state=State.IN_PROGRESS, capacities={C.HANDLER}, payload=payload)
    assert exc.value.details["fields"] == {"compensation_amount": "required"}
    with pytest.raises(InvalidInput) as exc:
        check(
            "resolve",
            state=State.IN_PROGRESS,
            capacities={C.HANDLER},
            payload=payload | {"compensation_amount": "-5"},
        )
    assert exc.value.details["fields"] == {"compensation_amount": "must_be_positive"}
    check(
        "resolve",
        state=State.IN_PROGRESS,
        capacities={C.HANDLER},
        payload=payload | {"compensation_amount": "120.50"},
    )


def test_enumerated_fields_reject_unknown_values():
    with pytest.raises(InvalidInput) as exc:
        check(
            "record_rating",
            state=State.REPLIED,
            capacities={C.OWNER_AGENT},
            payload={"confirmation": "maybe", "satisfaction": "satisfied"},
        )
    assert exc.value.details["fields"] == {"confirmation": "invalid_choice"}


def test_approval_needs_a_pending_request_of_that_kind():
    with pytest.raises(IllegalTransition):
        check(
            "approve_suspension",
            state=State.IN_PROGRESS,
            capacities={C.SUPERVISOR},
            case_values={"pending_request": "extension"},
        )
    check(
        "approve_suspension",
        state=State.IN_PROGRESS,
        capacities={C.SUPERVISOR},
        case_values={"pending_request": "suspension"},
    )


def test_a_second_request_waits_for_the_first():
    with pytest.raises(IllegalTransition):
        check(
            "request_extension",
            state=State.IN_PROGRESS,
            capacities={C.HANDLER},
            payload={"reason": "r", "until": "2099-01-01"},
            case_values={"pending_request": "suspension"},
        )


def test_available_actions_follow_state_capacity_and_preconditions():
    values = {"pending_request": ""}
    assert workflow.available_actions(State.IN_PROGRESS, {C.SUPERVISOR}, values) == [
        "reclassify",
        "mark_sensitive",
        "complete_plan_step",
        "urge",
        "comment",
        "tag_root_cause",
    ]
    assert workflow.available_actions(
        State.IN_PROGRESS, {C.SUPERVISOR}, {"pending_request": "extension"}
    ) == [
        "reclassify",
        "mark_sensitive",
        "complete_plan_step",
        "urge",
        "approve_extension",
        "reject_request",
        "comment",
        "tag_root_cause",
    ]
    assert "accept" in workflow.available_actions(State.DISPATCHED, {C.HANDLER}, values)
    assert "accept" not in workflow.available_actions(State.DISPATCHED, {C.COHANDLER}, values)


@pytest.mark.parametrize(
    ("action", "payload", "errors"),
    [
        ("comment", {"note": {"a": 1}}, {"note": "invalid_type"}),
        ("comment", {"note": ["补充"]}, {"note": "invalid_type"}),
        ("reply", {"reply": 42}, {"reply": "invalid_type"}),
        ("dispatch", {"department": True}, {"department": "invalid_type"}),
        ("reclassify", {"urgency": {"x": 1}}, {"urgency": "invalid_type"}),
        ("comment", {"note": "长" * 10_001}, {"note": "too_long"}),
    ],
)
def test_a_payload_field_of_the_wrong_type_is_refused_by_name(action, payload, errors):
    transition = TRANSITIONS[action]
    assert workflow.type_errors(payload) == errors
    assert errors.items() <= workflow.field_errors(transition, payload, {}).items()


def test_every_transition_has_a_label_and_every_label_a_transition():
    from hearline.cases.labels import ACTION_LABELS, EVENT_LABELS

    assert set(ACTION_LABELS) == set(TRANSITIONS)
    assert set(EVENT_LABELS) == set(TRANSITIONS) | workflow.REPORT_ACTIONS


def test_the_named_sets_are_made_of_declared_states_and_actions():
    assert State.UNANSWERED | State.ANSWERED | {State.APPEALED} | State.TERMINAL == set(State.ALL)
    assert State.UNSETTLED == State.UNANSWERED | {State.APPEALED}
    named = workflow.RESPONDING_ACTIONS | workflow.ANSWERING_ACTIONS | workflow.ENDING_ACTIONS
    assert named <= set(TRANSITIONS)
    assert not workflow.REPORT_ACTIONS & set(TRANSITIONS), "a delivery report is no step"
    for action in workflow.ANSWERING_ACTIONS:
        assert TRANSITIONS[action].target == State.REPLIED
    for action in workflow.ENDING_ACTIONS:
        assert TRANSITIONS[action].target in State.TERMINAL
