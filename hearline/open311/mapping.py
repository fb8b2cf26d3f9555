"""How Hearline's categories and cases look to an Open311 client."""

from __future__ import annotations

from hearline.cases.models import Case, Category
from hearline.cases.workflow import State
from hearline.core.privacy import redact_text

from .formats import w3c_datetime

# A request is "closed" for Open311 once the complainant has been answered.
CLOSED_STATES = frozenset(
    {State.REPLIED, State.CONFIRMED, State.FOLLOWED_UP, State.MERGED, State.ARCHIVED}
)


def open311_status(state: str) -> str:
    return "closed" if state in CLOSED_STATES else "open"


def service(category: Category, group: str) -> dict:
    """One entry of GET services."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(category.extra_fields),
        "type": "realtime",
        "keywords": [],
        "group": group,
    }


def service_definition(category: Category) -> dict:
    """GET services/{code}: the category's extra fields as Open311 attributes."""
    attributes = []
    for order, field in enumerate(category.extra_fields, start=1):
        attribute = {
            "variable": True,
            "code": field["code"],
            "datatype": field.get("datatype", "string"),
            "required": bool(field.get("required")),
            "datatype_description": field.get("datatype_description", ""),
            "order": order,
            "description": field.get("description", field["code"]),
        }
        if field.get("values"):
            attribute["values"] = [
                {"key": str(v["key"]), "name": v.get("name", str(v["key"]))}
                for v in field["values"]
            ]
        attributes.append(attribute)
    return {"service_code": category.code, "attributes": attributes}


def service_request(case: Case) -> dict:
    """One entry of GET requests. Personal numbers in the text are masked: this list is
    public, and the complainant's identity is never part of it."""
    clock = getattr(case, "clock", None)
    category = case.category
    return {
        "service_request_id": case.tracking_number,
        "status": open311_status(case.state),
        "status_notes": redact_text(case.reply) if case.reply else None,
        "service_name": category.name if category else None,
        "service_code": category.code if category else None,
        "description": redact_text(case.description),
        "agency_responsible": case.department.name,
        "service_notice": None,
        "requested_datetime": w3c_datetime(case.registered_at),
        "updated_datetime": w3c_datetime(case.updated_at),
        "expected_datetime": w3c_datetime(clock.resolution_due if clock else None),
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        "media_url": case.media_url or None,
    }
