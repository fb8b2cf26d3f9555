"""Open311 GeoReport v2 at /open311/v2/ (https://wiki.open311.org/GeoReport_v2), JSON and XML.

Reads are public; `POST requests` needs an `api_key`, which is a Hearline API token (see
`hearline apikey create`). Which cases the public lists show is set by
HEARLINE_OPEN311_LISTED_CHANNELS: by default only reports that came in through Open311,
because a hotline caller never agreed to have their complaint published.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from hearline.api.auth import user_for_token
from hearline.api.idempotency import KeyReused, case_key, idempotency_key, run_once
from hearline.cases.actions import do_register_case
from hearline.cases.models import Case, Category, Channel
from hearline.cases.submission import ComplainantData, IntakeSubmission
from hearline.cases.workflow import WorkflowError
from hearline.core.dates import EARLIEST, LATEST, aware, within_range

from . import formats
from .formats import Open311Error
from .intake import contact_name, form_attributes, parse_coordinate
from .mapping import CLOSED_STATES, service, service_definition, service_request
from .models import RequestToken

MAX_ROWS = 1000
DEFAULT_SPAN = timedelta(days=90)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def _view(methods):
    """Wrap a view taking (request, fmt, ...): unknown formats are 404, Open311Error becomes
    the specification's error body in the requested format."""

    def decorate(view):
        @csrf_exempt
        @require_http_methods(methods)
        def wrapper(request, fmt, *args, **kwargs):
            try:
                return view(request, fmt, *args, **kwargs)
            except Open311Error as exc:
                return formats.error(fmt, exc.status, exc.description)

        return wrapper

    return decorate


@require_GET
def discovery(request, fmt):
    """Where the endpoint is and what it speaks."""
    base = request.build_absolute_uri(reverse("open311:discovery", args=["json"]))
    base = base.rsplit("/discovery.json", 1)[0] + "/"
    changeset = formats.w3c_datetime(
        timezone.localtime(timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    body = {
        "changeset": changeset,
        "contact": settings.HEARLINE_OPEN311_CONTACT,
        "key_service": settings.HEARLINE_OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return formats.render(fmt, "discovery", body)


def _active_categories():
    return Category.objects.filter(is_active=True).order_by("path")


@_view(["GET"])
def services(request, fmt):
    """Every active category, grouped under its top-level category."""
    categories = list(_active_categories())
    names = {c.path: c.name for c in categories}
    body = [service(c, names.get(_root_path(c.path), c.name)) for c in categories]
    return formats.render(fmt, "services", body)


def _root_path(path: str) -> str:
    return "/" + path.strip("/").split("/")[0] + "/"


def _category(code: str) -> Category:
    category = _active_categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"service_code {code} not found")
    return category


@_view(["GET"])
def service_detail(request, fmt, code):
    """The service definition: the category's extra fields as attributes."""
    return formats.render(fmt, "service_definition", service_definition(_category(code)))


def _listed():
    """The cases the public lists may show: those of the listed channels, and of an
    `open311` case only one posted here (it has its request token), so that a case whose
    channel another door once let a caller claim is never published."""
    posted_here = Exists(RequestToken.objects.filter(case=OuterRef("pk")))
    return (
        Case.objects.filter(channel__in=settings.HEARLINE_OPEN311_LISTED_CHANNELS)
        .exclude(Q(channel=Channel.OPEN311) & ~posted_here)
        .select_related("department", "category", "clock")
    )


def _parse_moment(request, name):
    """The query's W3C datetime `name` (None when absent), aware (naive: Hearline's time
    zone); Open311Error 400 unless it is a real date and time within Hearline's range."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:  # well formed but not a real date, or an offset of a day or more
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} must be a W3C datetime such as 2026-01-01T00:00:00Z")
    if not within_range(moment):
        raise Open311Error(
            400, f"{name} must be from {EARLIEST.isoformat()} to {LATEST.isoformat()}"
        )
    return aware(moment)


def _listing(request):
    ids = [i.strip().upper() for i in request.GET.get("service_request_id", "").split(",")]
    ids = [i for i in ids if i]
    if ids:
        return _listed().filter(tracking_number__in=ids[:MAX_ROWS]).order_by("-registered_at")
    start, end = _parse_moment(request, "start_date"), _parse_moment(request, "end_date")
    if start and end and end < start:
        raise Open311Error(400, "end_date is before start_date")
    if start and end and end - start > DEFAULT_SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    end = end or (start + DEFAULT_SPAN if start else timezone.now())
    start = start or end - DEFAULT_SPAN
    qs = _listed().filter(registered_at__gte=start, registered_at__lte=end)
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed")
    if statuses == {"open"}:
        qs = qs.exclude(state__in=CLOSED_STATES)
    elif statuses == {"closed"}:
        qs = qs.filter(state__in=CLOSED_STATES)
    return qs.order_by("-registered_at", "-id")


@_view(["GET", "POST"])
def requests(request, fmt):
    """GET: requests of the last 90 days (or the given range, ids, codes, status), at most
    1000, newest first. POST: create one."""
    if request.method == "POST":
        return _create(request, fmt)
    body = [service_request(case) for case in _listing(request)[:MAX_ROWS]]
    return formats.render(fmt, "service_requests", body)


@_view(["GET"])
def request_detail(request, fmt, service_request_id):
    case = _listed().filter(tracking_number=service_request_id.upper()).first()
    if case is None:
        raise Open311Error(404, f"service_request_id {service_request_id} not found")
    return formats.render(fmt, "service_requests", [service_request(case)])


@_view(["GET"])
def token_detail(request, fmt, token):
    found = RequestToken.objects.filter(token=token).select_related("case").first()
    if found is None:
        raise Open311Error(404, f"token {token} not found")
    body = [{"service_request_id": found.case.tracking_number, "token": token}]
    return formats.render(fmt, "service_requests", body)


def _create(request, fmt):
    data = request.POST
    user = user_for_token(data.get("api_key", "").strip())
    if user is None:
        raise Open311Error(403, "api_key is missing or not valid")
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code is required")
    category = _category(code)
    latitude = parse_coordinate(data, "lat", 90)
    longitude = parse_coordinate(data, "long", 180)
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, "lat and long must be given together")
    if latitude is None and not address:
        raise Open311Error(400, "a location is required: lat and long, or address_string")
    description = data.get("description", "").strip()
    if len(description) > 4000:
        raise Open311Error(400, "description may not exceed 4000 characters")
    try:
        header_key = idempotency_key(request)
    except WorkflowError as exc:
        raise Open311Error(400, "Idempotency-Key is too long") from exc
    key = case_key("open311", user.pk, header_key or uuid.uuid4().hex)
    submission = IntakeSubmission(
        channel=Channel.OPEN311,
        description=description or f"{category.name}：{address or '（见坐标）'}",
        complainant=ComplainantData(
            name=contact_name(data.get("first_name", ""), data.get("last_name", "")),
            phone=data.get("phone", "").strip(),
            email=data.get("email", "").strip(),
            preferred_channel="email" if data.get("email") else "portal",
        ),
        address=address,
        latitude=latitude,
        longitude=longitude,
        category_id=category.pk,
        attributes=form_attributes(data),
        media_url=data.get("media_url", "").strip(),
        idempotency_key=key,
    )

    def run():
        body = _register(submission, user)
        return 201, body, formats.render(fmt, "service_requests", body, status=201)

    if not header_key:
        return run()[2]
    try:
        stored, response = run_once(request, header_key, run, user=user)
    except KeyReused as exc:
        raise Open311Error(422, exc.message) from exc
    if stored:
        return formats.render(fmt, "service_requests", stored.body, status=stored.status)
    return response


def _register(submission: IntakeSubmission, user) -> list[dict]:
    """Register the request; its GeoReport answer (tracking number, token, notice)."""
    try:
        registration = do_register_case(submission, acting_user=user)
    except WorkflowError as exc:
        fields = exc.details.get("fields") or {}
        detail = "; ".join(f"{name}: {code}" for name, code in fields.items()) or exc.message
        raise Open311Error(403 if exc.status == 403 else 400, detail) from exc
    case = registration.case
    token = RequestToken.objects.get(case=case)  # written with the case (observers.py)
    return [
        {
            "service_request_id": case.tracking_number,
            "token": token.token,
            "service_notice": registration.acknowledgement,
            "account_id": None,
        }
    ]
