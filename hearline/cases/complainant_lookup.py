"""The complainant's own look-up of a case, shared by the portal's /track/ and
`GET /api/v1/public/cases/{number}`: one set of counters for both doors, so neither can be
used to guess what the other refuses.

A wrong phone counts against the client, against the client with that number, and against
the number from anywhere; past any limit, look-ups by phone are refused (`Throttled`) until
the failures age. The secret token of the acknowledgement link is never refused: it cannot
be guessed, so whoever holds it is the complainant, however busy others are guessing.
"""

from __future__ import annotations

from hearline.core.throttle import (
    LOOKUP_PER_ADDRESS,
    LOOKUP_PER_CLIENT_AND_NUMBER,
    PHONE_GUESSES_PER_NUMBER,
    Throttled,
    blocked,
    record_failure,
)

from .models import Case
from .queries import lookup_public
from .tracking import canonical_tracking_number


def look_up_for_complainant(
    number: str, *, phone: str = "", token: str = "", client: str
) -> Case | None:
    """The case that `number` with `phone` or `token` opens, else None (which part was wrong
    is not told). `client` is the caller's address. Raises Throttled when phone look-ups from
    this client, or for this number, have failed too often; a right token always opens."""
    number = canonical_tracking_number(number)
    if not number:
        return None
    if token:
        case = lookup_public(number, token=token)
        if case is not None:
            return case
        record_failure((LOOKUP_PER_ADDRESS, client))
    if not phone:
        return None
    checks = (
        (LOOKUP_PER_ADDRESS, client),
        (LOOKUP_PER_CLIENT_AND_NUMBER, f"{client} {number}"),
        (PHONE_GUESSES_PER_NUMBER, number),
    )
    if blocked(*checks):
        raise Throttled
    case = lookup_public(number, phone=phone)
    if case is None:
        record_failure(*checks)
    return case
