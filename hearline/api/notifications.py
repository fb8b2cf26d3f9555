"""The caller's own notices in the REST API: list them (unread only, one kind, a page at a
time, newest unread first) and mark one read. A notice is only ever its recipient's: another
user's is 404, as if it did not exist."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Query, Router, Schema

from hearline.cases.workflow import InvalidInput
from hearline.notify.actions import do_mark_notification_read
from hearline.notify.inbox import inbox
from hearline.notify.models import Notification, NotificationKind

from .auth import API_AUTH
from .schemas import ERRORS

router = Router(tags=["notifications"], auth=API_AUTH)


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    case: str | None = Field(description="tracking number of the case it is about")
    incident: int | None = Field(description="id of the incident it is about")
    step: str | None = Field(description="the case step it reports, for a step notice")
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_offset: int | None


class NotificationFilters(Schema):
    unread: bool = False
    kind: str = ""
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


def _out(notice: Notification) -> dict:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "kind_label": str(notice.get_kind_display()),
        "text": notice.text,
        "case": notice.case.tracking_number if notice.case is not None else None,
        "incident": notice.incident_id,
        "step": notice.event.action if notice.event is not None else None,
        "created_at": notice.created_at,
        "read_at": notice.read_at,
    }


@router.get(
    "/notifications",
    response={200: NotificationPage, **ERRORS},
    summary="The caller's notices",
)
def list_notifications(request, filters: Query[NotificationFilters]):
    """The caller's notices, unread first, each group newest first; `unread=true` only the
    unread ones, `kind` only one kind (422 for a kind that does not exist)."""
    if filters.kind and filters.kind not in NotificationKind.values:
        raise InvalidInput("unknown kind", fields={"kind": "invalid_choice"})
    found = inbox(request.user, unread=filters.unread, kind=filters.kind)
    window = list(found[filters.offset : filters.offset + filters.limit + 1])
    more = len(window) > filters.limit
    return {
        "items": [_out(n) for n in window[: filters.limit]],
        "next_offset": filters.offset + filters.limit if more else None,
    }


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="Mark a notice read",
)
def read_notification(request, notification_id: int):
    """Mark one of the caller's notices read (again: no change, the first time is kept)."""
    return _out(do_mark_notification_read(notification_id, acting_user=request.user))
