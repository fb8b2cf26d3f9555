"""Everything shown to an agent while they type a complaint: the suggestions, the flags,
likely duplicates among open cases and the caller's earlier cases about the same matter."""

from __future__ import annotations

from django.utils import timezone

from hearline.accounts.models import User
from hearline.cases.models import Category
from hearline.cases.queries import intake_scope
from hearline.core.phones import normalise_phone
from hearline.incidents.detection import running_incident_for

from .duplicates import earlier_from_same_complainant, near_duplicates
from .service import suggest


def assist(
    text: str,
    *,
    acting_user: User,
    district: str = "",
    category_id: int | None = None,
    phone: str = "",
) -> dict:
    """One dict: `suggestion` (see service.Suggestion), `duplicates` and `repeats` (lists
    of matches, best first), and `incident`: the running incident the complaint would join,
    with its latest bulletin for the agent to read out (None when there is none).

    For intake staff only (NotAllowed otherwise); duplicates and the caller's earlier cases
    are looked for only among the cases the desk may find (`queries.intake_scope`)."""
    within = intake_scope(acting_user)
    category = (
        Category.objects.filter(pk=category_id).values_list("code", "path").first()
        if category_id
        else None
    )
    category_code = category[0] if category else None
    suggestion = suggest(text, district=district, category_code=category_code)
    chosen = category_id or (suggestion.category or {}).get("id")
    return {
        "suggestion": suggestion.as_dict(),
        "duplicates": [
            m.as_dict()
            for m in near_duplicates(text, district=district, category_id=chosen, within=within)
        ],
        "repeats": [
            m.as_dict()
            for m in earlier_from_same_complainant(
                normalise_phone(phone), text, category_id=chosen, within=within
            )
        ],
        "incident": running_incident_for(
            text, district, category[1] if category else None, timezone.now()
        ),
    }
