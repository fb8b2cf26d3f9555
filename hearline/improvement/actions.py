"""Writing corrective actions (整改): created from an analysis or an incident review, then
tracked to completion. Every change is an append-only `CorrectiveActionEvent`."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from hearline.accounts.models import User
from hearline.accounts.roles import Role
from hearline.cases.workflow import InvalidInput, NotAllowed, NotFound

from .models import ActionStatus, CorrectiveAction, CorrectiveActionEvent

MANAGING_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})
FIELDS = ("what", "owner", "department", "start_date", "due_date", "status", "done_on", "notes")
TARGETS = ("categories", "target_departments", "root_causes")


def may_manage(user: User) -> bool:
    """Managers, supervisors and administrators create and change corrective actions."""
    return user.is_superuser or bool(user.roles & MANAGING_ROLES)


def _plain(value):
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _check(values: dict) -> None:
    errors = {}
    if "what" in values and not (values["what"] or "").strip():
        errors["what"] = "required"
    start, due = values.get("start_date"), values.get("due_date")
    if start and due and due < start:
        errors["due_date"] = "before_start"
    if values.get("status") and values["status"] not in ActionStatus.values:
        errors["status"] = "invalid_choice"
    if errors:
        raise InvalidInput("invalid corrective action", fields=errors)


def create_action(actor: User | None, *, incident=None, **values) -> CorrectiveAction:
    """Record a corrective action and its `created` event (in the caller's transaction,
    after the caller checked access): `values` are model fields, `districts` a list, and
    the targets (categories, departments, root causes) lists of objects."""
    _check(values)
    targets = {name: values.pop(name, []) for name in TARGETS}
    values["districts"] = [d for d in values.get("districts") or [] if d]
    values["what"] = values["what"].strip()[:300]
    action = CorrectiveAction.objects.create(created_by=actor, incident=incident, **values)
    for name, items in targets.items():
        getattr(action, name).set(items)
    CorrectiveActionEvent.objects.create(
        action=action,
        actor=actor,
        kind="created",
        details={k: _plain(v) for k, v in values.items() if v not in (None, "", [])},
    )
    return action


def do_create_corrective_action(*, acting_user: User, **values) -> CorrectiveAction:
    """Create a corrective action (managers, supervisors, administrators); InvalidInput
    names the wrong fields and nothing is written."""
    if not may_manage(acting_user):
        raise NotAllowed("corrective actions are created by managers and supervisors")
    with transaction.atomic():
        return create_action(acting_user, **values)


def do_update_corrective_action(
    action_id: int, *, acting_user: User, **changes
) -> CorrectiveAction:
    """Change a corrective action (its managers or its owner): the fields given in
    `changes` are written under a row lock and the event lists each change as [old, new].
    Marking it done without a completion date dates it today."""
    with transaction.atomic():
        action = CorrectiveAction.objects.select_for_update().filter(pk=action_id).first()
        if action is None:
            raise NotFound("no such corrective action", action_id=action_id)
        if not (may_manage(acting_user) or action.owner_id == acting_user.pk):
            raise NotAllowed("only managers and the owner change a corrective action")
        _check(changes)
        if changes.get("status") == ActionStatus.DONE and not changes.get("done_on"):
            changes["done_on"] = action.done_on or timezone.localdate()
        changed = {}
        for name in (*FIELDS, "districts"):
            if name in changes and getattr(action, name) != changes[name]:
                changed[name] = [_plain(getattr(action, name)), _plain(changes[name])]
                setattr(action, name, changes[name])
        for name in TARGETS:
            if name in changes:
                before = sorted(str(x) for x in getattr(action, name).all())
                after = sorted(str(x) for x in changes[name])
                if before != after:
                    getattr(action, name).set(changes[name])
                    changed[name] = [before, after]
        if changed:
            action.save()
            CorrectiveActionEvent.objects.create(
                action=action, actor=acting_user, kind="updated", details=changed
            )
        return action
