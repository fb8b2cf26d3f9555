"""Cases and events as the API shows them (complainant data masked)."""

from hearline.cases.actions import masked_complainant
from hearline.cases.models import Case
from hearline.sla.models import CaseClock


def case_out(case: Case) -> dict:
    try:
        clock = case.clock
    except CaseClock.DoesNotExist:
        clock = None
    return {
        "tracking_number": case.tracking_number,
        "state": case.state,
        "version": case.version,
        "channel": case.channel,
        "title": case.title,
        "description": case.description,
        "request": case.request,
        "address": case.address,
        "district": case.district,
        "category": case.category.code if case.category is not None else None,
        "attributes": case.attributes,
        "media_url": case.media_url,
        "urgency": case.urgency,
        "public_safety": case.public_safety,
        "opinion_risk": case.opinion_risk,
        "department": case.department.code,
        "department_name": case.department.name,
        "registered_at": case.registered_at,
        "updated_at": case.updated_at,
        "reply": case.reply,
        "confirmation": case.confirmation,
        "satisfaction": case.satisfaction,
        "deadlines": {
            "response_due": clock.response_due,
            "resolution_due": clock.resolution_due,
            "response_level": clock.response_level,
            "resolution_level": clock.resolution_level,
        }
        if clock
        else None,
        "complainant": masked_complainant(case),
    }


def event_out(event) -> dict:
    return {
        "seq": event.seq,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": event.actor.username if event.actor_id else None,
        "at": event.created_at,
        "details": event.details,
    }
