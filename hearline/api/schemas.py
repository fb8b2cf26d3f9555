"""What the API reads and writes."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from .dates import Moment


class ComplainantIn(Schema):
    name: str = Field("", max_length=60)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=255)
    preferred_channel: str = "phone"
    is_elderly: bool = False
    is_disabled: bool = False
    is_ill: bool = False


class CaseIn(Schema):
    channel: str = Field(
        "app",
        description="app; an intake agent's token may also register a hotline, onsite or "
        "letter complaint. Other channels are other doors' and are refused (not_allowed).",
    )
    description: str = Field(..., max_length=10000)
    title: str = Field("", max_length=120)
    request: str = Field("", max_length=5000)
    address: str = Field("", max_length=255)
    district: str = Field("", max_length=60)
    occurred_at: Moment | None = Field(
        None, description="ISO 8601; without an offset, Hearline's local time"
    )
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    category: str | None = Field(None, description="category code")
    urgency: str = "normal"
    public_safety: bool = False
    opinion_risk: bool = False
    attributes: dict[str, str | list[str]] = Field(
        default_factory=dict, description="answers to the category's extra fields, by code"
    )
    media_url: str = Field("", max_length=500)
    complainant: ComplainantIn


class Deadlines(Schema):
    response_due: datetime | None
    resolution_due: datetime | None
    response_level: str
    resolution_level: str


class CaseOut(Schema):
    tracking_number: str
    state: str
    version: int
    channel: str
    title: str
    description: str
    request: str
    address: str
    district: str
    category: str | None
    attributes: dict
    media_url: str
    urgency: str
    public_safety: bool
    opinion_risk: bool
    department: str
    department_name: str
    registered_at: datetime
    updated_at: datetime
    reply: str
    confirmation: str
    satisfaction: str
    deadlines: Deadlines | None
    complainant: dict


class IncidentNoticeOut(Schema):
    """The running incident a new case was linked to, to tell the caller at once."""

    id: int
    title: str
    state: str
    expected_restoration_at: datetime | None
    measures: str
    bulletin: str
    bulletin_at: datetime | None


class RegistrationOut(CaseOut):
    readback: str
    acknowledgement: str
    incident: IncidentNoticeOut | None = None


class ReceiptOut(Schema):
    """A complaint received for registration in the background (`Prefer: respond-async`)."""

    tracking_number: str = Field(description="the number its case will carry")
    state: str = Field(description="received, registered (the case exists) or refused")
    received_at: datetime
    case_url: str | None = Field(description="the case, once registered")
    error: dict | None = Field(description="why it could not be registered, when refused")


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class EventOut(Schema):
    seq: int
    action: str
    from_state: str
    to_state: str
    actor: str | None
    at: datetime
    details: dict


class PublicEventOut(Schema):
    to_state: str
    at: datetime


class PromiseOut(Schema):
    response_due: datetime | None = Field(description="when we will be in touch; null once we were")
    resolution_due: datetime | None = Field(description="when the complainant has the answer")
    paused: bool = Field(description="handling is suspended: the time limit stands still")
    follows_incident: bool = Field(
        description=(
            "the case is handled with a confirmed incident: its bulletins keep the complainant "
            "informed and its restoration notice answers the case (resolution_due is null)"
        )
    )


class PublicCaseOut(Schema):
    tracking_number: str
    state: str
    department_name: str
    reply: str
    deadlines: PromiseOut | None = Field(
        description="the time limits still ahead, in Hearline's local time; null once answered"
    )
    timeline: list[PublicEventOut]


class SuggestIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)
    district: str = Field("", max_length=60)
    category: str | None = Field(None, description="category code, if already chosen")
    phone: str = Field("", max_length=30, description="the caller's phone, for repeats")


class CommentIn(Schema):
    note: str = Field(..., min_length=1, max_length=5000)


class CommentOut(Schema):
    seq: int
    note: str
    author: str | None = Field(description="staff username; null for the complainant or a channel")
    by: str | None = Field(description="complainant or system when no staff member wrote it")
    channel: str | None
    at: datetime


class ActionIn(Schema):
    version: int | None = Field(None, description="the version you saw; a newer one is a 409")
    payload: dict = Field(default_factory=dict)


class Problem(Schema):
    """An error, as application/problem+json (RFC 9457)."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    fields: dict | None = None
    state: str | None = None
    action: str | None = None
    version: int | None = None


ERRORS = {code: Problem for code in (400, 401, 403, 404, 409, 422)}
