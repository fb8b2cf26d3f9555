"""Everything shown to an agent while they type a complaint: the suggestions, the flags,
likely duplicates among open cases and the caller's earlier cases about the same matter."""

from __future__ import annotations

from hearline.cases.actions.register import normalise_phone
from hearline.cases.models import Category

from .duplicates import earlier_from_same_complainant, near_duplicates
from .service import suggest


def assist(
    text: str, *, district: str = "", category_id: int | None = None, phone: str = ""
) -> dict:
    """One dict: `suggestion` (see service.Suggestion), `duplicates` and `repeats` (lists
    of matches, best first)."""
    category_code = (
        Category.objects.filter(pk=category_id).values_list("code", flat=True).first()
        if category_id
        else None
    )
    suggestion = suggest(text, district=district, category_code=category_code)
    chosen = category_id or (suggestion.category or {}).get("id")
    return {
        "suggestion": suggestion.as_dict(),
        "duplicates": [
            m.as_dict() for m in near_duplicates(text, district=district, category_id=chosen)
        ],
        "repeats": [
            m.as_dict()
            for m in earlier_from_same_complainant(normalise_phone(phone), text, category_id=chosen)
        ],
    }
