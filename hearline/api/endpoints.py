"""The REST API at /api/v1/: register, read, list, act on cases; attachments; timelines.
The routers of the other topics (public view, triage, incidents, …) are mounted here."""

import base64
from datetime import datetime

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import File, Header, Query, Router, Schema, UploadedFile
from ninja.responses import Status

from hearline.cases.actions import do_receive_case, do_register_case, do_transition
from hearline.cases.models import Case, CaseEvent, Category, IntakeReceipt, ReceiptState
from hearline.cases.queries import (
    cases_visible_to,
    timeline,
    visible_case,
    visible_case_id,
)
from hearline.cases.submission import ComplainantData, IntakeSubmission
from hearline.cases.workflow import ACTIONS, InvalidInput, NotFound, State
from hearline.core.dates import within_range

from . import errors
from .analytics import router as analytics_router
from .auth import API_AUTH
from .dates import Day
from .docs import LocalSwagger
from .idempotency import case_key, idempotent
from .incidents import router as incidents_router
from .intake_channel import api_channel
from .knowledge import router as knowledge_router
from .notifications import router as notifications_router
from .public import router as public_router
from .schemas import (
    ERRORS,
    ActionIn,
    CaseIn,
    CaseOut,
    CasePage,
    CommentIn,
    CommentOut,
    EventOut,
    Problem,
    ReceiptOut,
    RegistrationOut,
)
from .serialise import case_out, event_out
from .triage import router as triage_router

api = errors.HearlineAPI(
    title="Hearline API",
    version="1",
    urls_namespace="api",
    description="Complaint cases: register, follow, handle. Errors are application/problem+json.",
    docs=LocalSwagger(),
)
errors.install(api)
cases = Router(tags=["cases"], auth=API_AUTH)


def _fresh(case_id: int) -> Case:
    return Case.objects.select_related("department", "category", "complainant", "clock").get(
        pk=case_id
    )


# Steps with an endpoint of their own (registration, attachments), never taken through
# `POST /cases/{number}/actions/{action}`.
# Steps with endpoints of their own, and steps only the incident and plan actions write (they
# stand for an incident's link or a plan's step, which these actions check and keep): never
# through the generic action endpoint.
OWN_ENDPOINT_ACTIONS = frozenset(
    {
        "register",
        "attach",
        "link_incident",
        "unlink_incident",
        "incident_restored",
        "link_aftermath",
        "complete_plan_step",
    }
)


def _case(user, number: str) -> Case:
    case = visible_case(user, tracking_number=number.upper())
    if case is None:
        raise NotFound("no such case", tracking_number=number)
    return case


def _case_id(user, number: str) -> int:
    case_id = visible_case_id(user, tracking_number=number.upper())
    if case_id is None:
        raise NotFound("no such case", tracking_number=number)
    return case_id


def _prefers_async(prefer: str | None) -> bool:
    """The client sent `Prefer: respond-async` (RFC 7240)."""
    preferences = (prefer or "").replace(";", ",").split(",")
    return any(p.strip().lower() == "respond-async" for p in preferences)


def _receipt_out(receipt: IntakeReceipt) -> dict:
    case_url = None
    if receipt.state == ReceiptState.REGISTERED:
        assert receipt.case is not None  # a receipt is marked registered with its case
        # The receipt's number, except for a receipt whose idempotency key a case registered
        # at once had already taken: it stands for that case.
        case_url = f"/api/v1/cases/{receipt.case.tracking_number}"
    return {
        "tracking_number": receipt.tracking_number,
        "state": receipt.state,
        "received_at": receipt.received_at,
        "case_url": case_url,
        "error": receipt.error or None,
    }


@cases.post(
    "/cases",
    response={201: RegistrationOut, 202: ReceiptOut, **ERRORS},
    summary="Register a complaint",
)
@idempotent
def register(
    request,
    body: CaseIn,
    response: HttpResponse,
    prefer: str | None = Header(
        None, alias="Prefer", description="respond-async: 202 at once, registered after"
    ),
):
    """Registers a case owned by the caller's account. With an Idempotency-Key, a retry
    returns the first case and creates nothing.

    With `Prefer: respond-async` the complaint is checked as for registration, stored and
    answered 202 at once with the tracking number its case will carry; the task queue
    registers the case moments later (deadlines count from receipt). `Location` names the
    receipt, `GET /api/v1/receipts/{number}`, which says when the case exists.

    The channel follows from this door: `app`, or a staff-intake channel for an intake
    agent; any other is refused (`channel: not_allowed`) and nothing is kept."""
    channel = api_channel(body.channel, request.user)
    category_id = None
    if body.category:
        category_id = (
            Category.objects.filter(code=body.category, is_active=True)
            .values_list("pk", flat=True)
            .first()
        )
        if category_id is None:
            raise InvalidInput("unknown category", fields={"category": "unknown_category"})
    key = request.headers.get("Idempotency-Key", "").strip()
    submission = IntakeSubmission(
        channel=channel,
        description=body.description,
        complainant=ComplainantData(**body.complainant.dict()),
        title=body.title,
        request=body.request,
        address=body.address,
        district=body.district,
        occurred_at=body.occurred_at,
        latitude=body.latitude,
        longitude=body.longitude,
        category_id=category_id,
        urgency=body.urgency,
        public_safety=body.public_safety,
        opinion_risk=body.opinion_risk,
        attributes=body.attributes,
        media_url=body.media_url,
        idempotency_key=case_key("api", request.user.pk, key) if key else None,
    )
    if _prefers_async(prefer):
        receipt = do_receive_case(submission, acting_user=request.user)
        response["Preference-Applied"] = "respond-async"
        response["Location"] = f"/api/v1/receipts/{receipt.tracking_number}"
        return Status(202, _receipt_out(receipt))
    registration = do_register_case(submission, acting_user=request.user)
    # A new case is answered from the objects just written (no re-read); a replay re-reads.
    case = registration.case if registration.created else _fresh(registration.case.pk)
    return Status(
        201,
        case_out(case)
        | {
            "readback": registration.readback,
            "acknowledgement": registration.acknowledgement,
            "incident": registration.incident,
        },
    )


@cases.get(
    "/receipts/{number}",
    response={200: ReceiptOut, **ERRORS},
    summary="Follow a complaint received for background registration",
)
def read_receipt(request, number: str):
    """A receipt is shown to the account that submitted it."""
    receipt = (
        IntakeReceipt.objects.select_related("case")
        .filter(tracking_number=number.upper(), submitted_by=request.user)
        .first()
    )
    if receipt is None:
        raise NotFound("no such receipt", tracking_number=number)
    return _receipt_out(receipt)


@cases.get("/cases/{number}", response={200: CaseOut, **ERRORS}, summary="Read one case")
def read(request, number: str):
    return case_out(_case(request.user, number))


class CaseFilters(Schema):
    state: str | None = None
    category: str | None = None
    department: str | None = None
    registered_from: Day | None = None
    registered_to: Day | None = None
    q: str | None = None
    limit: int = 25
    cursor: str | None = None


def _encode_cursor(case: Case) -> str:
    return base64.urlsafe_b64encode(f"{case.registered_at.isoformat()}|{case.pk}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The position `_encode_cursor` wrote; InvalidInput for anything else (a time without
    its offset or outside Hearline's range included)."""
    try:
        moment, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        position = datetime.fromisoformat(moment), int(pk)
    except (ValueError, UnicodeDecodeError):
        position = None
    if position is None or timezone.is_naive(position[0]) or not within_range(position[0]):
        raise InvalidInput("bad cursor", fields={"cursor": "invalid"})
    return position


@cases.get(
    "/cases", response={200: CasePage, **ERRORS}, summary="List and filter cases (newest first)"
)
def list_cases(request, filters: Query[CaseFilters]):
    qs = cases_visible_to(request.user).select_related(
        "department", "category", "complainant", "clock"
    )
    if filters.state:
        if filters.state not in State.ALL:
            raise InvalidInput("unknown state", fields={"state": "invalid_choice"})
        qs = qs.filter(state=filters.state)
    if filters.category:
        qs = qs.filter(
            category__path__startswith=Category.objects.filter(code=filters.category)
            .values_list("path", flat=True)
            .first()
            or "-"
        )
    if filters.department:
        qs = qs.filter(department__code=filters.department)
    if filters.registered_from:
        qs = qs.filter(registered_at__date__gte=filters.registered_from)
    if filters.registered_to:
        qs = qs.filter(registered_at__date__lte=filters.registered_to)
    if filters.q:
        qs = qs.filter(search_text__contains=filters.q.lower())
    limit = max(1, min(filters.limit, 100))
    if filters.cursor:
        moment, pk = _decode_cursor(filters.cursor)
        qs = qs.filter(Q(registered_at__lt=moment) | Q(registered_at=moment, pk__lt=pk))
    items = list(qs.order_by("-registered_at", "-id")[: limit + 1])
    next_cursor = _encode_cursor(items[limit - 1]) if len(items) > limit else None
    return {"items": [case_out(c) for c in items[:limit]], "next_cursor": next_cursor}


@cases.post(
    "/cases/{number}/actions/{action}",
    response={200: CaseOut, **ERRORS},
    summary="Take a lifecycle action",
)
@idempotent
def act(request, number: str, action: str, body: ActionIn):
    """One step of the lifecycle (dispatch, accept, return, reply, …) with its fields in
    `payload`. 403 when the caller may not, 409 when the state (or `version`) doesn't allow
    it, 422 with per-field codes when fields are missing or wrong."""
    if action not in ACTIONS or action in OWN_ENDPOINT_ACTIONS:
        raise Http404
    updated = do_transition(
        _case_id(request.user, number),
        action,
        acting_user=request.user,
        payload=body.payload,
        expected_version=body.version,
    )
    return Status(200, case_out(_fresh(updated.pk)))


@cases.post(
    "/cases/{number}/attachments",
    response={201: CaseOut, 413: Problem, 507: Problem, **ERRORS},
    summary="Attach evidence (413 for a request past the size cap, 507 when the attachment "
    "store is full; nothing is saved)",
)
@idempotent
def attach(request, number: str, file: File[UploadedFile], kind: str = "evidence"):
    case_id = _case_id(request.user, number)
    do_transition(
        case_id,
        "attach",
        acting_user=request.user,
        payload={"file": file, "name": file.name, "kind": kind},
    )
    return Status(201, case_out(_fresh(case_id)))


@cases.get(
    "/cases/{number}/timeline",
    response={200: list[EventOut], **ERRORS},
    summary="The full timeline",
)
def case_timeline(request, number: str):
    return [event_out(e) for e in timeline(_case(request.user, number))]


@cases.get(
    "/cases/{number}/comments",
    response={200: list[CommentOut], **ERRORS},
    summary="Comments on a case, oldest first",
)
def comments(request, number: str):
    """Notes written by staff, the complainant (by e-mail or SMS) and upstream platforms."""
    events = timeline(_case(request.user, number)).filter(action="comment")
    return [
        {
            "seq": e.seq,
            "note": e.details.get("note", ""),
            "author": e.actor.username if e.actor_id else None,
            "by": e.details.get("by"),
            "channel": e.details.get("channel") or e.details.get("source"),
            "at": e.created_at,
        }
        for e in events
    ]


@cases.post(
    "/cases/{number}/comments", response={201: CommentOut, **ERRORS}, summary="Comment on a case"
)
@idempotent
def add_comment(request, number: str, body: CommentIn):
    case = _case(request.user, number)
    updated = do_transition(
        case.pk, "comment", acting_user=request.user, payload={"note": body.note}
    )
    # This step's event: the step made the case's version its `seq`. (The timeline's last
    # comment may be someone else's, taken a moment later.)
    event = CaseEvent.objects.steps().get(case=updated, seq=updated.version)
    return Status(
        201,
        {
            "seq": event.seq,
            "note": body.note,
            "author": request.user.username,
            "by": None,
            "channel": None,
            "at": event.created_at,
        },
    )


api.add_router("/", cases)
api.add_router("/", public_router)
api.add_router("/", triage_router)
api.add_router("/", incidents_router)
api.add_router("/", analytics_router)
api.add_router("/", knowledge_router)
api.add_router("/", notifications_router)
