"""The timeline entry and the owner's notification that go with every step on a case."""

from hearline.accounts.models import User
from hearline.notify.models import Notification

from ..models import Case, CaseEvent


def record_event(
    case: Case, *, actor: User | None, action: str, from_state: str, details: dict
) -> CaseEvent:
    """Append the event for the step just applied (seq = the case's new version) and notify
    the first-contact owner when someone else took a step that matters (not a delivery
    report)."""
    event = CaseEvent.objects.create(
        case=case,
        seq=case.version,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        details=details,
        public=from_state != case.state,
    )
    if case.owner_id != (actor.pk if actor else None) and action != "message_sent":
        Notification.objects.create(recipient_id=case.owner_id, case=case, event=event)
    return event
