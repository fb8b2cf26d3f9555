"""Complainant personal data: masked for everyone, revealed (and logged) for those who need it."""

from django.db import transaction

from hearline.accounts.models import User
from hearline.core.privacy import (
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_social_account,
)

from .. import queries
from ..models import Case, ComplainantAccess
from ..workflow import Capacity, NotAllowed

PII_FIELDS = ("name", "phone", "email", "social_account", "id_number", "address")
_MASKS = {
    "name": mask_name,
    "phone": mask_phone,
    "email": lambda v: (v[:1] + "****" + v[v.index("@") :]) if "@" in v else mask_name(v),
    "social_account": mask_social_account,
    "id_number": mask_id_number,
    "address": mask_address,
}
# The owner's intake team (an answered case: it calls the complainant back) included.
_MAY_REVEAL = frozenset(
    {
        Capacity.OWNER_AGENT,
        Capacity.OWNER_TEAM,
        Capacity.HANDLER,
        Capacity.COHANDLER,
        Capacity.SUPERVISOR,
    }
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
    """The complainant's data unmasked, for the owner (and, once answered, the owner's intake
    team, to call back), the handlers and supervisors of the case only. Every call is logged
    (who, when, which case, which fields) before it returns."""
    case = queries.access_case(acting_user, case_id)
    if not may_reveal_complainant(acting_user, case):
        raise NotAllowed("not allowed to see this complainant's personal data")
    person = case.complainant
    with transaction.atomic():
        ComplainantAccess.objects.create(
            user=acting_user, case=case, fields=list(PII_FIELDS), reason=reason[:200]
        )
    return masked_complainant(case) | {name: getattr(person, name) for name in PII_FIELDS}


# A phone search finds at most this many cases to log; more is no longer a look-up of one
# person, and the search shows a page of them at a time anyway.
PHONE_SEARCH_LOGGED = 200


def do_log_phone_search(cases, *, acting_user: User) -> int:
    """Log a search by a full phone number as an access to the phone of every complainant
    it found (up to PHONE_SEARCH_LOGGED cases) whose data this user may not reveal: that the
    search matched tells the number in full. Returns how many entries were written."""
    found = cases.select_related("department", "owner")[:PHONE_SEARCH_LOGGED]
    entries = [
        ComplainantAccess(
            user=acting_user, case=case, fields=["phone"], reason="search by phone number"
        )
        for case in found
        if not may_reveal_complainant(acting_user, case)
    ]
    with transaction.atomic():
        ComplainantAccess.objects.bulk_create(entries)
    return len(entries)
