"""Triage in the REST API: the suggestions the intake panel shows for a complaint text."""

from ninja import Router

from hearline.cases.models import Category
from hearline.cases.workflow import InvalidInput
from hearline.triage.assist import assist

from .auth import API_AUTH
from .schemas import ERRORS, SuggestIn

router = Router(tags=["triage"], auth=API_AUTH)


@router.post(
    "/triage/suggest",
    response={200: dict, **ERRORS},
    summary="Suggestions for a complaint text (category, department, flags, duplicates)",
    # The id it was published under in endpoints.py: clients generated from the schema use it.
    operation_id="hearline_api_endpoints_triage_suggest",
)
def triage_suggest(request, body: SuggestIn):
    """What the intake panel shows: the models' top three for category and department with
    confidences, the routing rule that applies, lexicon flags, likely duplicates among open
    cases and the caller's earlier cases about the same matter. For intake roles (403
    otherwise); cases are looked for within the caller's organisation, as on the web."""
    category_id = None
    if body.category:
        category_id = (
            Category.objects.filter(code=body.category).values_list("pk", flat=True).first()
        )
        if category_id is None:
            raise InvalidInput("unknown category", fields={"category": "unknown_category"})
    return assist(
        body.text,
        acting_user=request.user,
        district=body.district,
        category_id=category_id,
        phone=body.phone,
    )
