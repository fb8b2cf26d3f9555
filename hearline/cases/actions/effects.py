"""What each action does beyond the table's writes, sets and clears.

Each effect receives (acting user, locked case, payload, changes, details), may add case field
changes and event details, and raises InvalidInput for a bad value. Runs inside the
transition's transaction.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.core.files.base import File
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hearline.accounts.models import Department, User
from hearline.accounts.organisations import appeals_department_for
from hearline.core.dates import aware, within_range
from hearline.core.ids import by_ref

from .. import queries
from ..files import CheckedFile, check_upload
from ..models import Attachment, Case, CaseEvent, Category
from ..workflow import Conflict, InvalidInput, StorageUnavailable


def dept_ref(department: Department) -> dict:
    return {"id": department.pk, "code": department.code, "name": department.name}


def _resolve_department(
    user: User | None, value: Any, case: Case, field: str = "department"
) -> Department:
    """A department inside the acting user's organisation (for Hearline itself: the
    organisation the case sits in), given as id, code or object."""
    department: Department | None
    if isinstance(value, Department):
        department = value
    else:
        department = Department.objects.filter(**by_ref(value, "code")).first()
    scope = user.organisation if user is not None else case.department.organisation()
    if department is None or scope is None or not department.is_within(scope):
        raise InvalidInput("unknown department", fields={field: "unknown_department"})
    return department


def _parse_datetime(value: Any, field: str) -> datetime:
    """`value` as an aware datetime (naive: Hearline's time zone); InvalidInput when it is
    not a real date and time (`invalid_datetime`) or outside Hearline's range
    (`out_of_range`)."""
    try:
        parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    except ValueError:  # well formed but not a real date, or an offset of a day or more
        parsed = None
    if parsed is None:
        raise InvalidInput("invalid date", fields={field: "invalid_datetime"})
    if not within_range(parsed):
        raise InvalidInput("date out of range", fields={field: "out_of_range"})
    return aware(parsed)


# Effects beyond the table's writes/sets/clears: each receives (user, case, payload, changes,
# details) and may add case field changes and event details. Run inside the transaction.
MAX_EXTENSION = timedelta(days=366)

Effect = Callable[[User | None, Case, dict, dict, dict], None]


def _set_department(user, case, payload, changes, details):
    department = _resolve_department(user, payload["department"], case)
    if payload.get("reason"):
        details["reason"] = payload["reason"]
    if payload.get("rule"):
        details["rule"] = str(payload["rule"])[:80]
    details["from_department"] = dept_ref(case.department)
    details["department"] = dept_ref(department)
    changes["department"] = department
    case.co_departments.remove(department)


def _add_cohandler(user, case, payload, changes, details):
    department = _resolve_department(user, payload["department"], case)
    if department.pk == case.department_id:
        raise InvalidInput("already responsible", fields={"department": "already_responsible"})
    case.co_departments.add(department)
    details["department"] = dept_ref(department)


def _cohandling_part(user, case, payload, changes, details):
    """The co-handling department's own part (协办): accepted once, answered once."""
    action = "answer_cohandling" if "note" in payload else "accept_cohandling"
    done = CaseEvent.objects.filter(
        case=case, action=action, details__department__id=user.department_id
    )
    if done.exists():
        raise Conflict("the department did this part already", action=action)
    details["department"] = dept_ref(user.department)
    if "note" in payload:
        details["note"] = payload["note"]


def _reclassify(user, case, payload, changes, details):
    if "category" not in payload and "urgency" not in payload:
        raise InvalidInput("nothing to change", fields={"category": "required"})
    if "category" in payload:
        ref = payload["category"]
        category = Category.objects.filter(is_active=True, **by_ref(ref, "code")).first()
        if category is None:
            raise InvalidInput("unknown category", fields={"category": "unknown_category"})
        changes["category"] = category
        details["category"] = {
            "from": case.category.name if case.category_id else None,
            "to": category.name,
        }
    if "urgency" in payload:
        details["urgency"] = {"from": case.urgency, "to": payload["urgency"]}


def _mark_sensitive(user, case, payload, changes, details):
    """Which of the two flags change, from what to what; refused when neither does."""
    flags = ("public_safety", "opinion_risk")
    for flag in flags:
        if flag in payload and payload[flag] != getattr(case, flag):
            details[flag] = {"from": getattr(case, flag), "to": payload[flag]}
        else:
            changes.pop(flag, None)
    if not any(flag in details for flag in flags):
        raise InvalidInput("nothing to change", fields={"public_safety": "unchanged"})
    details["reason"] = payload["reason"]


def _plan_step(user, case, payload, changes, details):
    details["step"] = payload["step"]
    if payload.get("note"):
        details["note"] = payload["note"]


def _optional_note(user, case, payload, changes, details):
    if payload.get("note"):
        details["note"] = payload["note"]


def _note(user, case, payload, changes, details):
    details["note"] = payload["note"]


def _comment(user, case, payload, changes, details):
    details["note"] = payload["note"]
    for name in ("channel", "source", "reference"):
        if payload.get(name):
            details[name] = str(payload[name])[:200]
    if user is None and "verified" in payload:
        # A channel's word on whether the sender is who they say (e-mail: From: can be forged).
        details["verified"] = payload["verified"] is True


def _check_attachment(payload: dict) -> dict:
    """The payload with its file checked (hearline.cases.files: type, size, photos written
    again without metadata); a file checked already (a CheckedFile) is taken as it is."""
    upload = payload.get("file")
    if upload is None or isinstance(upload, CheckedFile):
        return payload
    name = payload.get("name") or getattr(upload, "name", "") or "file"
    checked, error = check_upload(name, upload)
    if error:
        raise InvalidInput("attachment refused", fields={"file": error})
    return payload | {"file": checked}


def _attach(user, case, payload, changes, details):
    checked: CheckedFile = payload["file"]
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
    _store(attachment, checked.name, checked.content)
    attachment.save()
    details["attachment"] = {"id": attachment.pk, "name": checked.name, "kind": kind}


def _store(attachment: Attachment, name: str, content: File) -> None:
    """Write the file to the attachment store under a random name of its own (the uploaded
    name is kept in `original_name`, so no name from outside reaches the file system). When
    the store refuses (disk full), the part already written is removed and
    StorageUnavailable raised: the transaction rolls back, nothing refers to a lost file."""
    field, storage = attachment.file.field, attachment.file.storage
    path = field.generate_filename(attachment, uuid.uuid4().hex + PurePath(name).suffix.lower())
    try:
        attachment.file.name = storage.save(path, content, field.max_length)
    except OSError as exc:
        with contextlib.suppress(OSError):  # the store may refuse the clean-up too
            storage.delete(path)
        raise StorageUnavailable(
            "the attachment store is unavailable", fields={"file": "storage_unavailable"}
        ) from exc


def _pending(user, case, payload, changes, details):
    changes["pending_reason"] = payload["reason"]
    details["reason"] = payload["reason"]
    if "until" in payload and payload["until"]:
        until = _parse_datetime(payload["until"], "until")
        if until <= timezone.now():
            raise InvalidInput(
                "the new deadline must be in the future", fields={"until": "in_past"}
            )
        if until > timezone.now() + MAX_EXTENSION:
            raise InvalidInput("an extension is at most a year", fields={"until": "too_far"})
        changes["pending_until"] = until
        details["until"] = until.isoformat()


def _approve_extension(user, case, payload, changes, details):
    changes["extended_until"] = case.pending_until
    details["until"] = case.pending_until.isoformat() if case.pending_until else None
    details["reason"] = case.pending_reason  # what the complainant is told with the new date


def _approve_suspension(user, case, payload, changes, details):
    details["reason"] = case.pending_reason  # what the complainant is told of the pause


def _replied(user, case, payload, changes, details):
    changes["replied_at"] = timezone.now()
    changes.setdefault(
        "reply_channel", payload.get("reply_channel") or case.complainant.preferred_channel
    )


def _followed_up(user, case, payload, changes, details):
    changes["followed_up_at"] = timezone.now()


def _reopened(user, case, payload, changes, details):
    """A new cycle: the answer of the last one is cleared, the reason it was not enough is
    kept on the timeline."""
    details["reason"] = payload["reason"]
    _handled_again(case, changes, details)


def _handled_again(case, changes, details):
    """重办: a new cycle; the complainant's rating of the answer being redone is kept."""
    rating = {"confirmation": case.confirmation, "satisfaction": case.satisfaction}
    if any(rating.values()):
        details["rating"] = rating
    changes["reopen_count"] = case.reopen_count + 1
    changes["replied_at"] = None
    changes["followed_up_at"] = None


def _appealed(user, case, payload, changes, details):
    """The appeal goes to the level above the handling organisation (`appeals_to`)."""
    details["reason"] = payload["reason"]
    target = appeals_department_for(case.department)
    changes["appeal_department"] = target
    details["appeal_to"] = dept_ref(target)


def _upheld(user, case, payload, changes, details):
    """申诉成立: handled again, with the reviewer's instruction."""
    details["instruction"] = payload["instruction"]
    _handled_again(case, changes, details)


def _merge(user, case, payload, changes, details):
    target_ref = payload["merged_into"]
    target = queries.cases_visible_to(user).filter(**by_ref(target_ref, "tracking_number")).first()
    if target is None or target.pk == case.pk or not target.is_open:
        raise InvalidInput("cannot merge into that case", fields={"merged_into": "invalid_target"})
    changes["merged_into"] = target
    details["merged_into"] = target.tracking_number


def _incident(user, case, payload, changes, details):
    details["incident"] = payload["incident"]


def _incident_reply(user, case, payload, changes, details):
    _replied(user, case, payload, changes, details)
    details["incident"] = payload.get("incident")


def _archived(user, case, payload, changes, details):
    changes["archived_at"] = timezone.now()


def _reason(user, case, payload, changes, details):
    details["reason"] = payload["reason"]


# Work on an action's payload done before the case is locked, because it needs no lock and
# may take a while: each returns the payload to apply, or raises InvalidInput.
PREPARATIONS: dict[str, Callable[[dict], dict]] = {"attach": _check_attachment}

EFFECTS: dict[str, Effect] = {
    "dispatch": _set_department,
    "transfer": _set_department,
    "add_cohandler": _add_cohandler,
    "record_investigation": _note,
    "record_contact": _note,
    "comment": _comment,
    "reclassify": _reclassify,
    "accept_cohandling": _cohandling_part,
    "answer_cohandling": _cohandling_part,
    "mark_sensitive": _mark_sensitive,
    "complete_plan_step": _plan_step,
    "urge": _note,
    "acknowledge_urge": _optional_note,
    "attach": _attach,
    "request_suspension": _pending,
    "request_extension": _pending,
    "approve_extension": _approve_extension,
    "approve_suspension": _approve_suspension,
    "close_on_spot": _replied,
    "reply": _replied,
    "incident_reply": _incident_reply,
    "link_incident": _incident,
    "unlink_incident": _incident,
    "incident_restored": _incident,
    "link_aftermath": _incident,
    "follow_up": _followed_up,
    "reopen": _reopened,
    "merge": _merge,
    "archive": _archived,
    "archive_by_policy": _archived,
    "return": _reason,
    "reject_request": _reason,
    "appeal": _appealed,
    "uphold_appeal": _upheld,
    "dismiss_appeal": _reason,
}
