"""The timeline entry that goes with every step on a case."""

from hearline.accounts.models import User

from ..models import Case, CaseEvent


def record_event(
    case: Case, *, actor: User | None, action: str, from_state: str, details: dict
) -> CaseEvent:
    """Append the event for the step just applied (seq = the case's new version)."""
    return CaseEvent.objects.create(
        case=case,
        seq=case.version,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        details=details,
        public=from_state != case.state,
    )
