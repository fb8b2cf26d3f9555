"""Every write to a case. Each `do_*` function is atomic, takes the acting user, checks access,
writes the timeline event and the owner's notification in the same transaction.

`do_transition` is the single function through which a case changes state; it applies the
row of `workflow.TRANSITIONS` for the action and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hearline.accounts.models import Department, User
from hearline.core.privacy import mask_address, mask_id_number, mask_name, mask_phone
from hearline.notify.models import Notification

from . import queries, workflow
from .files import check_upload
from .models import Attachment, Case, CaseEvent, Complainant, ComplainantAccess
from .readback import acknowledgement_text, readback_text
from .submission import IntakeSubmission
from .tracking import new_public_token, new_tracking_number
from .workflow import Capacity, Conflict, InvalidInput, NotAllowed, State


@dataclass(frozen=True)
class Registration:
    """The result of registering: the case, the read-back for the agent, the
    acknowledgement for the complainant, and whether this call created the case."""

    case: Case
    readback: str
    acknowledgement: str
    created: bool


def _registration(case: Case, created: bool) -> Registration:
    return Registration(case, readback_text(case), acknowledgement_text(case), created)


def _record_event(
    case: Case, *, actor: User | None, action: str, from_state: str, details: dict
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        seq=case.version,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        details=details,
        public=from_state != case.state,
    )
    if case.owner_id != (actor.pk if actor else None):
        Notification.objects.create(recipient_id=case.owner_id, case=case, event=event)
    return event


def _find_or_create_complainant(submission: IntakeSubmission) -> Complainant:
    data = submission.complainant
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    if data.phone:
        existing = Complainant.objects.filter(phone=data.phone.strip(), name=data.name).first()
        if existing:
            return existing
    return Complainant.objects.create(**values)


def do_register_case(submission: IntakeSubmission, *, acting_user: User) -> Registration:
    """Register a complaint (受理). The case is committed before this returns, owned by the
    acting user (首诉负责人) and held by their department until dispatched. A submission with
    an `idempotency_key` already used returns that first case and creates nothing."""
    if submission.idempotency_key:
        existing = Case.objects.filter(idempotency_key=submission.idempotency_key).first()
        if existing:
            return _registration(existing, created=False)
    workflow.check(
        "register",
        state=State.NEW,
        capacities=queries.capacities(acting_user, None),
        payload={"description": submission.description},
    )
    if acting_user.department_id is None:
        raise NotAllowed("a user without a department cannot register cases")
    errors = submission.errors()
    if errors:
        raise InvalidInput("invalid complaint", action="register", fields=errors)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                tracking_number=_unused_tracking_number(),
                public_token=new_public_token(),
                idempotency_key=submission.idempotency_key or None,
                channel=submission.channel,
                complainant=_find_or_create_complainant(submission),
                title=submission.derived_title(),
                description=submission.description.strip(),
                occurred_at=submission.occurred_at,
                address=submission.address,
                district=submission.district,
                latitude=submission.latitude,
                longitude=submission.longitude,
                request=submission.request,
                category_id=submission.category_id,
                urgency=submission.urgency,
                public_safety=submission.public_safety,
                opinion_risk=submission.opinion_risk,
                owner=acting_user,
                department_id=acting_user.department_id,
                state=State.REGISTERED,
                version=1,
            )
            _record_event(
                case,
                actor=acting_user,
                action="register",
                from_state=State.NEW,
                details={"channel": case.channel, "department": _dept_ref(acting_user.department)},
            )
    except IntegrityError:
        if submission.idempotency_key:
            existing = Case.objects.filter(idempotency_key=submission.idempotency_key).first()
            if existing:
                return _registration(existing, created=False)
        raise
    return _registration(case, created=True)


def _unused_tracking_number() -> str:
    for _ in range(10):
        number = new_tracking_number()
        if not Case.objects.filter(tracking_number=number).exists():
            return number
    raise RuntimeError("could not find an unused tracking number")


def _dept_ref(department: Department) -> dict:
    return {"id": department.pk, "code": department.code, "name": department.name}


def _resolve_department(user: User, value: Any, field: str = "department") -> Department:
    """A department inside the acting user's organisation, given as id, code or object."""
    if isinstance(value, Department):
        department = value
    else:
        lookup = {"pk": value} if str(value).isdigit() else {"code": value}
        department = Department.objects.filter(**lookup).first()
    scope = user.organisation
    if department is None or scope is None or not department.is_within(scope):
        raise InvalidInput("unknown department", fields={field: "unknown_department"})
    return department


def _parse_datetime(value: Any, field: str) -> datetime:
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    if parsed is None:
        raise InvalidInput("invalid date", fields={field: "invalid_datetime"})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


# Effects beyond the table's writes/sets/clears: each receives (user, case, payload, changes,
# details) and may add case field changes and event details. Run inside the transaction.
Effect = Callable[[User, Case, dict, dict, dict], None]


def _set_department(user, case, payload, changes, details):
    department = _resolve_department(user, payload["department"])
    if payload.get("reason"):
        details["reason"] = payload["reason"]
    details["from_department"] = _dept_ref(case.department)
    details["department"] = _dept_ref(department)
    changes["department"] = department
    case.co_departments.remove(department)


def _add_cohandler(user, case, payload, changes, details):
    department = _resolve_department(user, payload["department"])
    if department.pk == case.department_id:
        raise InvalidInput("already responsible", fields={"department": "already_responsible"})
    case.co_departments.add(department)
    details["department"] = _dept_ref(department)


def _note(user, case, payload, changes, details):
    details["note"] = payload["note"]


def _attach(user, case, payload, changes, details):
    upload = payload["file"]
    name = payload.get("name") or getattr(upload, "name", "") or "file"
    content = upload if isinstance(upload, bytes) else upload.read()
    checked, error = check_upload(name, content)
    if error:
        raise InvalidInput("attachment refused", fields={"file": error})
    kind = payload.get("kind") or "evidence"
    if kind not in {c for c, _ in Attachment._meta.get_field("kind").choices}:
        raise InvalidInput("attachment refused", fields={"kind": "invalid_choice"})
    attachment = Attachment(
        case=case,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    attachment.file.save(checked.name, ContentFile(content), save=False)
    attachment.save()
    details["attachment"] = {"id": attachment.pk, "name": checked.name, "kind": kind}


def _pending(user, case, payload, changes, details):
    changes["pending_reason"] = payload["reason"]
    details["reason"] = payload["reason"]
    if "until" in payload and payload["until"]:
        until = _parse_datetime(payload["until"], "until")
        if until <= timezone.now():
            raise InvalidInput("the new deadline must be in the future", fields={"until": "in_past"})
        changes["pending_until"] = until
        details["until"] = until.isoformat()


def _approve_extension(user, case, payload, changes, details):
    changes["extended_until"] = case.pending_until
    details["until"] = case.pending_until.isoformat() if case.pending_until else None


def _replied(user, case, payload, changes, details):
    changes["replied_at"] = timezone.now()
    changes.setdefault("reply_channel", payload.get("reply_channel") or case.complainant.preferred_channel)


def _followed_up(user, case, payload, changes, details):
    changes["followed_up_at"] = timezone.now()


def _reopened(user, case, payload, changes, details):
    changes["reopen_count"] = case.reopen_count + 1
    changes["replied_at"] = None
    changes["followed_up_at"] = None


def _merge(user, case, payload, changes, details):
    target_ref = payload["merged_into"]
    target = (
        queries.cases_visible_to(user)
        .filter(**({"pk": target_ref} if str(target_ref).isdigit() else {"tracking_number": target_ref}))
        .first()
    )
    if target is None or target.pk == case.pk or not target.is_open:
        raise InvalidInput("cannot merge into that case", fields={"merged_into": "invalid_target"})
    changes["merged_into"] = target
    details["merged_into"] = target.tracking_number


def _archived(user, case, payload, changes, details):
    changes["archived_at"] = timezone.now()


def _reason(user, case, payload, changes, details):
    details["reason"] = payload["reason"]


_EFFECTS: dict[str, Effect] = {
    "dispatch": _set_department,
    "transfer": _set_department,
    "add_cohandler": _add_cohandler,
    "record_investigation": _note,
    "attach": _attach,
    "request_suspension": _pending,
    "request_extension": _pending,
    "approve_extension": _approve_extension,
    "close_on_spot": _replied,
    "reply": _replied,
    "follow_up": _followed_up,
    "reopen": _reopened,
    "merge": _merge,
    "archive": _archived,
    "return": _reason,
    "reject_request": _reason,
    "appeal": _reason,
    "dismiss_appeal": _reason,
}


def _clean_payload(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if not (isinstance(v, str) and not v.strip())}


def _json_value(value: Any) -> Any:
    if isinstance(value, (Decimal, datetime)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, Department):
        return _dept_ref(value)
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
    changes with a compare-and-set on `version`, append the timeline event and notify the
    owner. Two simultaneous actions can't both win: the loser gets IllegalTransition or
    Conflict. Returns the updated case.
    """
    payload = _clean_payload(payload or {})
    queries.access_case(acting_user, case_id)
    with transaction.atomic():
        # Lock the bare row: a join here could make PostgreSQL skip a row that another
        # transaction just re-pointed (a dispatch changes the department).
        case = Case.objects.select_for_update().get(pk=case_id)
        if expected_version is not None and case.version != expected_version:
            raise Conflict(
                "the case was changed by someone else", version=case.version, action=action
            )
        transition = workflow.check(
            action,
            state=case.state,
            capacities=queries.capacities(acting_user, case),
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
            changes[name] = Case._meta.get_field(name).get_default()
        effect = _EFFECTS.get(action)
        if effect:
            effect(acting_user, case, payload, changes, details)
        details.update({k: _json_value(v) for k, v in changes.items() if k in transition.writes})

        from_state = case.state
        new_state = transition.result_state(from_state)
        updated = Case.objects.filter(pk=case.pk, version=case.version).update(
            **changes, state=new_state, version=case.version + 1, updated_at=timezone.now()
        )
        if updated != 1:
            raise Conflict("the case was changed by someone else", action=action)
        case.refresh_from_db()
        _record_event(
            case, actor=acting_user, action=action, from_state=from_state, details=details
        )
    return case


PII_FIELDS = ("name", "phone", "email", "id_number", "address")
_MASKS = {
    "name": mask_name,
    "phone": mask_phone,
    "email": lambda v: (v[:1] + "****" + v[v.index("@"):]) if "@" in v else mask_name(v),
    "id_number": mask_id_number,
    "address": mask_address,
}
_MAY_REVEAL = frozenset(
    {Capacity.OWNER_AGENT, Capacity.HANDLER, Capacity.COHANDLER, Capacity.SUPERVISOR}
)


def masked_complainant(case: Case) -> dict:
    """The complainant's personal data as every staff role sees it by default: masked."""
    person = case.complainant
    data = {name: _MASKS[name](getattr(person, name)) for name in PII_FIELDS}
    data.update(
        preferred_channel=person.preferred_channel,
        is_elderly=person.is_elderly,
        is_disabled=person.is_disabled,
        is_ill=person.is_ill,
    )
    return data


def may_reveal_complainant(user: User, case: Case) -> bool:
    """Whether this user's work on this case needs the complainant's data in full."""
    return bool(queries.capacities(user, case) & _MAY_REVEAL)


def do_reveal_complainant(case_id: int, *, acting_user: User, reason: str = "") -> dict:
    """The complainant's data unmasked, for the owner, the handlers and supervisors of the
    case only. Every call is logged (who, when, which case, which fields) before it returns."""
    case = queries.access_case(acting_user, case_id)
    if not may_reveal_complainant(acting_user, case):
        raise NotAllowed("not allowed to see this complainant's personal data")
    person = case.complainant
    with transaction.atomic():
        ComplainantAccess.objects.create(
            user=acting_user, case=case, fields=list(PII_FIELDS), reason=reason[:200]
        )
    return masked_complainant(case) | {name: getattr(person, name) for name in PII_FIELDS}
