"""The single function through which a case changes: one row of the workflow table, applied."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from hearline.accounts.models import Department, User

from .. import queries, workflow
from ..models import Case, CaseEvent
from ..steps import Step, publish
from ..workflow import Capacity, Conflict
from .effects import EFFECTS, PREPARATIONS, dept_ref
from .timeline import record_event


def _clean_payload(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if not (isinstance(v, str) and not v.strip())}


def _json_value(value: Any) -> Any:
    if isinstance(value, (Decimal, datetime)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, Department):
        return dept_ref(value)
    if isinstance(value, Case):
        return value.tracking_number
    return value


def do_transition(
    case_id: int,
    action: str,
    *,
    acting_user: User,
    payload: dict | None = None,
    expected_version: int | None = None,
) -> Case:
    """Take `action` on the case as `acting_user`, or raise and change nothing.

    In one transaction: lock the case, check the version (Conflict), the user's capacity
    (NotAllowed), the state (IllegalTransition) and the fields (InvalidInput); write the
    changes with a compare-and-set on `version`, publish the step to its observers
    (`hearline.cases.steps`: the clock, the owner's notice, messages, rollups …) and append
    the timeline event. Two simultaneous actions can't both win: the loser gets
    IllegalTransition or Conflict. Returns the updated case.
    """
    queries.check_access(acting_user, case_id)
    return _apply(
        case_id,
        action,
        acting_user,
        lambda case: queries.capacities(acting_user, case),
        payload,
        expected_version,
    )


def do_complainant_transition(case: Case, action: str, *, payload: dict | None = None) -> Case:
    """Take `action` as the complainant (rate, reopen, appeal from the public page). The
    caller must have verified the complainant (tracking number with phone or token, see
    `queries.lookup_public`). The event has no staff actor; everything else is as
    `do_transition`."""
    return _apply(
        case.pk,
        action,
        None,
        lambda _case: frozenset({Capacity.COMPLAINANT}),
        payload,
        None,
        by="complainant",
    )


def do_system_transition(case_id: int, action: str, *, payload: dict | None = None) -> Case:
    """Take `action` as Hearline itself (a message delivered, a platform's comment). Only
    actions whose actors include SYSTEM pass; the event has no staff actor and says
    `by: system`; everything else is as `do_transition`."""
    return _apply(
        case_id,
        action,
        None,
        lambda _case: frozenset({Capacity.SYSTEM}),
        payload,
        None,
        by="system",
    )


def _changed_since(case: Case, version: int) -> bool:
    """Whether a step other than the quiet ones happened after `version`."""
    return (
        CaseEvent.objects.steps()
        .filter(case=case, seq__gt=version)
        .exclude(action__in=workflow.QUIET_ACTIONS | workflow.REPORT_ACTIONS)
        .exists()
    )


def _apply(case_id, action, actor, capacities_of, payload, expected_version, by=None) -> Case:
    payload = _clean_payload(payload or {})
    if action in PREPARATIONS:
        payload = PREPARATIONS[action](payload)
    now = timezone.now()
    with transaction.atomic():
        # Lock the bare row: a join here could make PostgreSQL skip a row that another
        # transaction just re-pointed (a dispatch changes the department).
        case = Case.objects.select_for_update().get(pk=case_id)
        if (
            expected_version is not None
            and case.version != expected_version
            and (expected_version > case.version or _changed_since(case, expected_version))
        ):
            raise Conflict(
                "the case was changed by someone else", version=case.version, action=action
            )
        transition = workflow.check(
            action,
            state=case.state,
            capacities=capacities_of(case),
            payload=payload,
            case_values=queries.case_values(case),
        )
        changes: dict[str, Any] = {}
        details: dict[str, Any] = {}
        for name in transition.writes:
            if name in payload:
                changes[name] = payload[name]
        for name, value in transition.sets:
            changes[name] = value
        for name in transition.clears:
            column = Case._meta.get_field(name)
            assert isinstance(column, Field), name  # the table clears the case's own columns
            changes[name] = column.get_default()
        effect = EFFECTS.get(action)
        if effect:
            effect(actor, case, payload, changes, details)
        for name, value in changes.items():
            if name in transition.writes:
                details.setdefault(name, _json_value(value))
        if by:
            details["by"] = by

        from_state = case.state
        new_state = transition.result_state(from_state)
        updated = Case.objects.filter(pk=case.pk, version=case.version).update(
            **changes, state=new_state, version=case.version + 1, updated_at=now
        )
        if updated != 1:
            raise Conflict("the case was changed by someone else", action=action)
        case.refresh_from_db()
        step = Step(
            case=case,
            action=action,
            actor=actor,
            at=now,
            payload=payload,
            details=details,
            from_state=from_state,
        )
        publish("record", step)
        step.event = record_event(
            case, actor=actor, action=action, from_state=from_state, details=details
        )
        publish("react", step)
    return case
