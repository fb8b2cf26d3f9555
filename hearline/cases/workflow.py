"""The case lifecycle, declared once as data. Pure Python: no Django, no database.

A case moves 受理 → 派单 → 签收 → 调查处理 → 答复 → 确认/评价 → 回访 → 归档. Every action is a
row of `TRANSITIONS`: the states it may start from, the state it leads to, who may take it
(capacities: a role held in a given relation to the case), the fields it needs and the case
fields it writes or clears. `check()` decides whether an action is allowed; the single writer,
`hearline.cases.actions.do_transition`, applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

# The domain's errors live in the base layer (any app may raise them without importing the
# case core); the workflow is where callers have always found them.
from hearline.core.errors import Conflict as Conflict
from hearline.core.errors import IllegalTransition as IllegalTransition
from hearline.core.errors import InvalidInput as InvalidInput
from hearline.core.errors import NotAllowed as NotAllowed
from hearline.core.errors import NotFound as NotFound
from hearline.core.errors import StorageUnavailable as StorageUnavailable
from hearline.core.errors import UnknownAction as UnknownAction
from hearline.core.errors import WorkflowError as WorkflowError


class State:
    """Case states. `NEW` is the pseudo-state before registration."""

    NEW = ""
    REGISTERED = "registered"  # 已受理, waiting for dispatch
    DISPATCHED = "dispatched"  # 已派单, waiting for the department to accept
    RETURNED = "returned"  # 已退单, back with the dispatcher
    IN_PROGRESS = "in_progress"  # 办理中, accepted and being investigated
    SUSPENDED = "suspended"  # 已挂起, clock stopped (e.g. waiting for the complainant)
    RESOLVED = "resolved"  # 已处理, resolution carried out, reply pending
    REPLIED = "replied"  # 已答复, waiting for the complainant's confirmation
    CONFIRMED = "confirmed"  # 已评价, waiting for the follow-up
    FOLLOWED_UP = "followed_up"  # 已回访, ready to archive
    APPEALED = "appealed"  # 申诉中, escalated by an unsatisfied complainant
    MERGED = "merged"  # 已并单, duplicate of another case (terminal)
    ARCHIVED = "archived"  # 已归档 (terminal)

    ALL = (
        REGISTERED,
        DISPATCHED,
        RETURNED,
        IN_PROGRESS,
        SUSPENDED,
        RESOLVED,
        REPLIED,
        CONFIRMED,
        FOLLOWED_UP,
        APPEALED,
        MERGED,
        ARCHIVED,
    )
    TERMINAL = frozenset({MERGED, ARCHIVED})
    OPEN = frozenset(ALL) - TERMINAL
    # Waiting for their answer: the cases a burst is made of, an incident's restoration
    # notice answers, and every "open cases" count means.
    UNANSWERED = frozenset({REGISTERED, DISPATCHED, RETURNED, IN_PROGRESS, SUSPENDED, RESOLVED})
    # Answered, and the complainant may still rate, reopen or appeal.
    ANSWERED = frozenset({REPLIED, CONFIRMED, FOLLOWED_UP})
    # Not settled: waiting for an answer, or appealed against one (what a new complaint may
    # duplicate).
    UNSETTLED = UNANSWERED | {APPEALED}


class Capacity:
    """A role held in a relation to one case; computed by `hearline.cases.queries`."""

    INTAKE = "intake"  # agent or dispatcher registering a new case
    OWNER_AGENT = "owner_agent"  # agent who registered the case (首诉负责人)
    OWNER_TEAM = "owner_team"  # agent of the intake team the case's owner belongs to
    HANDLER = "handler"  # handler in the responsible department
    COHANDLER = "cohandler"  # handler in a co-handling department (协办)
    DISPATCHER = "dispatcher"  # dispatcher of the organisation the case sits in
    SUPERVISOR = "supervisor"  # supervisor above the responsible department
    COMPLAINANT = "complainant"  # the complainant, verified on the public page
    SYSTEM = "system"  # Hearline itself: auto-dispatch, channel and platform integrations
    COORDINATOR = "coordinator"  # emergency coordinator of the incident the case is linked to
    APPEAL_REVIEWER = "appeal_reviewer"  # supervisor where the case's appeal is decided

    ALL = (
        INTAKE,
        OWNER_AGENT,
        OWNER_TEAM,
        HANDLER,
        COHANDLER,
        DISPATCHER,
        SUPERVISOR,
        COMPLAINANT,
        SYSTEM,
        COORDINATOR,
        APPEAL_REVIEWER,
    )


# Allowed values of the enumerated fields an action may write.
FIELD_CHOICES: dict[str, frozenset[str]] = {
    "resolution_type": frozenset(
        {"explanation", "repair", "compensation", "process_change", "accountability"}
    ),
    "confirmation": frozenset({"solved", "unsolved"}),
    "satisfaction": frozenset({"satisfied", "basically_satisfied", "dissatisfied"}),
    "pending_request": frozenset({"suspension", "extension"}),
    "urgency": frozenset({"urgent", "important", "normal"}),
}

# The type each payload field must have when given (an empty value counts as not given):
# text, a reference by id or code, a time (ISO 8601 text), an amount, a structure. A value
# of another type is refused (`invalid_type`), so a number, list or object never lands on
# a case where text belongs; text longer than MAX_TEXT is `too_long`.
_TEXT = (str,)
_REF = (str, int)
_AMOUNT = (str, int, float, Decimal)
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(
        (
            "description",
            "note",
            "reason",
            "instruction",
            "reply",
            "finding",
            "responsibility",
            "resolution",
            "followup_result",
            "resolution_type",
            "reply_channel",
            "confirmation",
            "satisfaction",
            "urgency",
            "root_cause",
            "name",
            "kind",
            "rule",
            "error",
        ),
        _TEXT,
    ),  # fmt: skip
    **dict.fromkeys(("department", "category", "merged_into", "article", "template"), _REF),
    "message": (int,),
    "until": (str, datetime),
    "compensation_amount": _AMOUNT,
    "incident": (dict,),
    "step": (dict,),
    **dict.fromkeys(("public_safety", "opinion_risk"), (bool,)),
}
MAX_TEXT = 10_000

S = State
C = Capacity
_ANY_OPEN = S.OPEN
_ANY = frozenset(S.ALL)
_EVERYONE = frozenset(
    {C.OWNER_AGENT, C.HANDLER, C.COHANDLER, C.DISPATCHER, C.SUPERVISOR, C.COMPLAINANT, C.SYSTEM}
)
_HANDLING = frozenset({S.DISPATCHED, S.IN_PROGRESS})


@dataclass(frozen=True)
class RequiredIf:
    """`field` is required when the (merged) value of `when_field` equals `when_value`."""

    field: str
    when_field: str
    when_value: str


@dataclass(frozen=True)
class Transition:
    """One action of the lifecycle.

    sources       states the action may be taken from
    target        resulting state; None keeps the current state (a recorded step)
    actors        capacities allowed to take it
    requires      fields that must be non-empty, looked up in the payload, then on the case
    required_if   conditional requirements (compensation needs an amount)
    preconditions case field values that must hold before the action (a value, or a frozenset
                  of accepted values)
    writes        payload fields copied onto the case
    sets          constant values written onto the case
    clears        case fields emptied (a reopened case starts a new cycle)
    """

    action: str
    sources: frozenset[str]
    target: str | None
    actors: frozenset[str]
    requires: tuple[str, ...] = ()
    required_if: tuple[RequiredIf, ...] = ()
    preconditions: tuple[tuple[str, Any], ...] = ()
    writes: tuple[str, ...] = ()
    sets: tuple[tuple[str, Any], ...] = ()
    clears: tuple[str, ...] = ()

    def result_state(self, current: str) -> str:
        return current if self.target is None else self.target


_RESOLUTION_FIELDS = ("finding", "responsibility", "resolution_type", "resolution")
_COMPENSATION = RequiredIf("compensation_amount", "resolution_type", "compensation")
_NO_PENDING = (("pending_request", ""),)
_PENDING = ("pending_request", "pending_reason", "pending_until")

# fmt: off
T = Transition  # short name for the table rows below
_TABLE = [
    T('register', frozenset({S.NEW}), S.REGISTERED, frozenset({C.INTAKE}), requires=('description',)),
    T('close_on_spot', frozenset({S.REGISTERED}), S.REPLIED, frozenset({C.OWNER_AGENT}), requires=('reply',), writes=('reply', 'reply_channel'), sets=(('closed_on_spot', True), ('resolution_type', 'explanation'),)),
    T('dispatch', frozenset({S.REGISTERED, S.RETURNED}), S.DISPATCHED, frozenset({C.DISPATCHER, C.SYSTEM}), requires=('department',)),
    T('accept', frozenset({S.DISPATCHED}), S.IN_PROGRESS, frozenset({C.HANDLER})),
    T('return', _HANDLING, S.RETURNED, frozenset({C.HANDLER}), requires=('reason',), clears=_PENDING),
    T('transfer', _HANDLING, S.DISPATCHED, frozenset({C.DISPATCHER}), requires=('department', 'reason'), clears=_PENDING),
    T('add_cohandler', _HANDLING, None, frozenset({C.HANDLER, C.DISPATCHER}), requires=('department',)),
    T('reclassify', S.UNANSWERED, None, frozenset({C.OWNER_AGENT, C.DISPATCHER, C.SUPERVISOR}), writes=('urgency',)),
    T('accept_cohandling', S.UNANSWERED, None, frozenset({C.COHANDLER})),
    T('answer_cohandling', S.UNANSWERED, None, frozenset({C.COHANDLER}), requires=('note',)),
    T('mark_sensitive', _ANY_OPEN, None, frozenset({C.OWNER_AGENT, C.HANDLER, C.DISPATCHER, C.SUPERVISOR}), requires=('reason',), writes=('public_safety', 'opinion_risk')),
    T('complete_plan_step', _ANY_OPEN, None, frozenset({C.OWNER_AGENT, C.HANDLER, C.COHANDLER, C.DISPATCHER, C.SUPERVISOR, C.COORDINATOR}), requires=('step',)),
    T('record_contact', S.UNANSWERED, None, frozenset({C.OWNER_AGENT, C.HANDLER, C.COHANDLER}), requires=('note',)),
    T('urge', S.UNANSWERED, None, frozenset({C.SUPERVISOR}), requires=('note',), sets=(('urge_pending', True),)),
    T('acknowledge_urge', S.UNANSWERED, None, frozenset({C.HANDLER, C.COHANDLER}), preconditions=(('urge_pending', True),), clears=('urge_pending',)),
    T('record_investigation', frozenset({S.IN_PROGRESS}), None, frozenset({C.HANDLER, C.COHANDLER}), requires=('note',)),
    T('attach', _ANY_OPEN, None, frozenset({C.OWNER_AGENT, C.HANDLER, C.COHANDLER, C.SYSTEM}), requires=('file',)),
    T('propose_resolution', frozenset({S.IN_PROGRESS}), None, frozenset({C.HANDLER}), requires=('resolution_type', 'resolution'), required_if=(_COMPENSATION,), writes=(*_RESOLUTION_FIELDS, "compensation_amount")),
    T('resolve', frozenset({S.IN_PROGRESS}), S.RESOLVED, frozenset({C.HANDLER}), requires=('finding', 'resolution_type', 'resolution'), required_if=(_COMPENSATION,), preconditions=_NO_PENDING, writes=(*_RESOLUTION_FIELDS, "compensation_amount")),
    T('request_suspension', frozenset({S.IN_PROGRESS}), None, frozenset({C.HANDLER}), requires=('reason',), preconditions=_NO_PENDING, sets=(('pending_request', 'suspension'),)),
    T('request_extension', frozenset({S.IN_PROGRESS}), None, frozenset({C.HANDLER}), requires=('reason', 'until'), preconditions=_NO_PENDING, sets=(('pending_request', 'extension'),)),
    T('approve_suspension', frozenset({S.IN_PROGRESS}), S.SUSPENDED, frozenset({C.SUPERVISOR}), preconditions=(('pending_request', 'suspension'),), clears=_PENDING),
    T('approve_extension', frozenset({S.IN_PROGRESS}), None, frozenset({C.SUPERVISOR}), preconditions=(('pending_request', 'extension'),), clears=_PENDING),
    T('reject_request', frozenset({S.IN_PROGRESS}), None, frozenset({C.SUPERVISOR}), requires=('reason',), preconditions=(('pending_request', FIELD_CHOICES["pending_request"]),), clears=_PENDING),
    T('resume', frozenset({S.SUSPENDED}), S.IN_PROGRESS, frozenset({C.HANDLER, C.SUPERVISOR})),
    T('reply', frozenset({S.RESOLVED}), S.REPLIED, frozenset({C.HANDLER}), requires=('reply', 'finding', 'resolution_type', 'resolution'), writes=('reply', 'reply_channel')),
    T('record_rating', frozenset({S.REPLIED}), S.CONFIRMED, frozenset({C.OWNER_AGENT, C.SUPERVISOR, C.COMPLAINANT}), requires=('confirmation', 'satisfaction'), writes=('confirmation', 'satisfaction')),
    T('follow_up', frozenset({S.REPLIED, S.CONFIRMED}), S.FOLLOWED_UP, frozenset({C.OWNER_AGENT, C.OWNER_TEAM, C.SUPERVISOR, C.COORDINATOR}), requires=('followup_result',), writes=('followup_result', 'confirmation', 'satisfaction')),
    T('reopen', S.ANSWERED | {S.APPEALED}, S.DISPATCHED, frozenset({C.OWNER_AGENT, C.SUPERVISOR, C.COMPLAINANT}), requires=('reason',), clears=('reply', 'reply_channel', 'confirmation', 'satisfaction', 'followup_result', 'closed_on_spot')),
    T('appeal', S.ANSWERED, S.APPEALED, frozenset({C.OWNER_AGENT, C.COMPLAINANT}), requires=('reason',)),
    T('uphold_appeal', frozenset({S.APPEALED}), S.DISPATCHED, frozenset({C.APPEAL_REVIEWER}), requires=('instruction',), clears=('reply', 'reply_channel', 'confirmation', 'satisfaction', 'followup_result', 'closed_on_spot')),
    T('dismiss_appeal', frozenset({S.APPEALED}), S.FOLLOWED_UP, frozenset({C.APPEAL_REVIEWER}), requires=('reason',)),
    T('merge', frozenset({S.REGISTERED, S.DISPATCHED, S.RETURNED}), S.MERGED, frozenset({C.DISPATCHER}), requires=('merged_into',)),
    T('archive', frozenset({S.FOLLOWED_UP}), S.ARCHIVED, frozenset({C.OWNER_AGENT, C.OWNER_TEAM, C.SUPERVISOR})),
    T('archive_by_policy', S.ANSWERED, S.ARCHIVED, frozenset({C.SYSTEM})),
    T('comment', _ANY, None, _EVERYONE, requires=('note',)),
    T('tag_root_cause', _ANY, None, frozenset({C.HANDLER, C.SUPERVISOR}), requires=('root_cause',)),
    T('send_article', _ANY_OPEN, None, frozenset({C.OWNER_AGENT, C.HANDLER, C.COHANDLER}), requires=('article',)),
    T('link_incident', _ANY_OPEN, None, frozenset({C.COORDINATOR}), requires=('incident',)),
    T('unlink_incident', _ANY_OPEN, None, frozenset({C.COORDINATOR}), requires=('incident',)),
    T('incident_restored', _ANY_OPEN, None, frozenset({C.COORDINATOR}), requires=('incident',)),
    T('link_aftermath', _ANY_OPEN, None, frozenset({C.COORDINATOR}), requires=('incident',)),
    T('incident_reply', S.UNANSWERED, S.REPLIED, frozenset({C.COORDINATOR}), requires=('reply', 'finding', 'resolution_type', 'resolution'), writes=('reply', 'reply_channel', *_RESOLUTION_FIELDS)),
]
# fmt: on

TRANSITIONS: dict[str, Transition] = {t.action: t for t in _TABLE}

# Steps that change nothing a person filling in a form on the case has seen: an action
# prepared before them is not refused as a conflicting edit (see `expected_version`).
QUIET_ACTIONS = frozenset(
    {
        "comment",
        "link_incident",
        "unlink_incident",
        "incident_restored",
        "link_aftermath",
        "complete_plan_step",
        "tag_root_cause",
        "send_article",
    }
)
ACTIONS: tuple[str, ...] = tuple(TRANSITIONS)

# What a step means for the case's time limits and for what it may still become:
# the first response to the complainant (the response deadline is met) …
RESPONDING_ACTIONS = frozenset(
    {"accept", "record_contact", "close_on_spot", "reply", "incident_reply"}
)
# … the answer itself (the resolution deadline is met) …
ANSWERING_ACTIONS = frozenset({"close_on_spot", "reply", "incident_reply"})
# … and the end of the case's handling without an answer of its own (merged, archived).
ENDING_ACTIONS = frozenset({"merge", "archive", "archive_by_policy"})
# Facts on a case's timeline that are no steps of its lifecycle: a message's delivery
# report changes nothing of the case (see `hearline.cases.actions.reports`).
REPORT_ACTIONS = frozenset({"message_sent", "message_failed"})


def get_transition(action: str) -> Transition:
    """The declared transition for `action`, or UnknownAction."""
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise UnknownAction(f"unknown action {action!r}", action=action) from None


def _holds(value: Any, expected: Any) -> bool:
    """A precondition: equal to `expected`, or one of its members when it is a frozenset."""
    value = value or ""
    return value in expected if isinstance(expected, frozenset) else value == expected


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def type_errors(payload: Mapping[str, Any]) -> dict[str, str]:
    """`invalid_type` for each given payload field of the wrong type (a flag, True or False,
    is no number, only a flag), `too_long` for text over MAX_TEXT characters."""
    errors = {}
    for name, value in payload.items():
        allowed = FIELD_TYPES.get(name)
        if allowed is None or value is None or value == "":
            continue
        if (isinstance(value, bool) and bool not in allowed) or not isinstance(value, allowed):
            errors[name] = "invalid_type"
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            errors[name] = "too_long"
    return errors


def field_errors(
    transition: Transition, payload: Mapping[str, Any], case_values: Mapping[str, Any]
) -> dict[str, str]:
    """Per-field error codes for the payload, judged on payload values over case values."""

    def merged(name: str) -> Any:
        value = payload.get(name)
        return case_values.get(name) if _empty(value) else value

    errors = type_errors(payload)
    for name in transition.requires:
        if name not in errors and _empty(merged(name)):
            errors[name] = "required"
    for rule in transition.required_if:
        if merged(rule.when_field) == rule.when_value and _empty(merged(rule.field)):
            errors[rule.field] = "required"
    for name, allowed in FIELD_CHOICES.items():
        value = payload.get(name)
        if name not in errors and not _empty(value) and value not in allowed:
            errors[name] = "invalid_choice"
    amount = payload.get("compensation_amount")
    if "compensation_amount" not in errors and not _empty(amount):
        try:
            if Decimal(str(amount)) <= 0:
                errors["compensation_amount"] = "must_be_positive"
        except InvalidOperation:
            errors["compensation_amount"] = "invalid_number"
    return errors


def check(
    action: str,
    *,
    state: str,
    capacities: frozenset[str] | set[str],
    payload: Mapping[str, Any] | None = None,
    case_values: Mapping[str, Any] | None = None,
) -> Transition:
    """Return the transition if `action` is allowed now, else raise the specific error.

    Checked in this order: the action exists (UnknownAction), the actor holds an allowed
    capacity (NotAllowed), the case is in a source state (IllegalTransition), the case meets
    the preconditions (IllegalTransition), the fields are complete and valid (InvalidInput).
    """
    transition = get_transition(action)
    payload = payload or {}
    case_values = case_values or {}
    if not transition.actors & set(capacities):
        raise NotAllowed(f"not allowed to {action} this case", action=action)
    if state not in transition.sources:
        raise IllegalTransition(
            f"cannot {action} a case in state {state!r}", action=action, state=state
        )
    for name, expected in transition.preconditions:
        if not _holds(case_values.get(name), expected):
            raise IllegalTransition(
                f"cannot {action}: {name} is {case_values.get(name)!r}",
                action=action,
                state=state,
                precondition=name,
            )
    errors = field_errors(transition, payload, case_values)
    if errors:
        raise InvalidInput(f"invalid input for {action}", action=action, fields=errors)
    return transition


def available_actions(
    state: str, capacities: frozenset[str] | set[str], case_values: Mapping[str, Any]
) -> list[str]:
    """Actions the holder of `capacities` may start now (fields aside), in table order."""
    result = []
    for transition in _TABLE:
        if state not in transition.sources or not transition.actors & set(capacities):
            continue
        if all(_holds(case_values.get(n), v) for n, v in transition.preconditions):
            result.append(transition.action)
    return result
