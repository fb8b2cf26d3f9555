"""The complainant's view in the REST API: a case's progress, asked for without an account
by its tracking number with the complainant's phone or the case's secret token."""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Header, Router
from ninja.errors import HttpError

from hearline.cases.complainant_lookup import look_up_for_complainant
from hearline.cases.queries import timeline
from hearline.cases.workflow import InvalidInput
from hearline.core.throttle import Throttled, client_address
from hearline.sla.promise import open_deadlines

from .schemas import ERRORS, Problem, PublicCaseOut

router = Router(tags=["public"])


@router.get(
    "/public/cases/{number}",
    response={200: PublicCaseOut, 429: Problem, **ERRORS},
    summary="Progress for the complainant",
    # The id it was published under in endpoints.py: clients generated from the schema use it.
    operation_id="hearline_api_endpoints_public_case",
)
def public_case(
    request,
    number: str,
    token: str = "",
    phone_header: str = Header(
        "", alias="X-Complainant-Phone", description="the complainant's phone number"
    ),
    token_header: str = Header(
        "", alias="X-Tracking-Token", description="the secret token of the acknowledgement link"
    ),
):
    """The public view: the tracking number with the complainant's phone (in the
    `X-Complainant-Phone` header, never in the URL, which logs keep) or the case's secret
    token. Wrong phones are counted with the portal's /track/: past the limit, 429."""
    if "phone" in request.GET:
        raise InvalidInput(
            "send the phone number in the X-Complainant-Phone header, never in the URL",
            fields={"phone": "not_allowed_in_url"},
        )
    try:
        case = look_up_for_complainant(
            number, phone=phone_header, token=token_header or token, client=client_address(request)
        )
    except Throttled:
        raise HttpError(429, "too many failed look-ups; try again in 15 minutes") from None
    if case is None:
        raise Http404
    return {
        "tracking_number": case.tracking_number,
        "state": case.state,
        "department_name": case.department.name,
        "reply": case.reply,
        "deadlines": _local_deadlines(open_deadlines(case)),
        "timeline": [
            {"to_state": e.to_state, "at": e.created_at} for e in timeline(case, public_only=True)
        ],
    }


def _local_deadlines(deadlines: dict | None) -> dict | None:
    """The promise's moments (kept in UTC) in Hearline's local time, with its offset."""
    if deadlines is None:
        return None
    local = {
        k: timezone.localtime(datetime.fromisoformat(deadlines[k])) if deadlines[k] else None
        for k in ("response_due", "resolution_due")
    }
    return local | {k: deadlines[k] for k in ("paused", "follows_incident")}
