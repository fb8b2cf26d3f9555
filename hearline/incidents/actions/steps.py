"""The one way an incident changes (`apply_step`), and what every action shares: who may
coordinate, its timeline entries and the notices to its coordinators."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearline.accounts.models import User
from hearline.cases.models import Case
from hearline.cases.workflow import (
    IllegalTransition,
    NotAllowed,
)
from hearline.notify.actions import notify_staff
from hearline.notify.models import (
    Purpose,
)

from .. import compose
from ..detection import active_incidents
from ..models import (
    Incident,
    IncidentEvent,
)
from ..queries import access_incident, coordinators_of, may_coordinate
from ..workflow import STEPS


def incident_ref(incident: Incident) -> dict:
    """How an incident is named on a case's timeline."""
    return {"id": incident.pk, "title": incident.title}


def event(incident: Incident, actor: User | None, action: str, from_state: str, details: dict):
    """Append the timeline entry of the step just applied (seq = the incident's version)."""
    return IncidentEvent.objects.create(
        incident=incident,
        seq=incident.version,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=incident.state,
        details=details,
        created_at=timezone.now(),
    )


def apply_step(
    incident_id: int,
    action: str,
    actor: User | None,
    change: Callable[[Incident, dict], None] | None = None,
    details: dict | None = None,
) -> Incident:
    """Apply one row of the incident workflow: lock the incident, check its state, let
    `change` modify it (and add event details), move it to the step's target state, bump
    the version and append the event. Raises IllegalTransition and changes nothing when
    the step does not start from the current state."""
    step = STEPS[action]
    details = dict(details or {})
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        if incident.state not in step.sources:
            raise IllegalTransition(
                f"cannot {action} an incident in state {incident.state!r}",
                action=action,
                state=incident.state,
            )
        from_state = incident.state
        if change:
            change(incident, details)
        if step.target:
            incident.state = step.target
        incident.version += 1
        incident.save()
        event(incident, actor, action, from_state, details)
    active_incidents.clear()
    return incident


def coordinated(user: User, incident_id: int) -> Incident:
    """The incident if `user` runs it (NotFound if they may not see it, else NotAllowed)."""
    incident = access_incident(user, incident_id)
    if not may_coordinate(user, incident):
        raise NotAllowed("only the incident's coordinators may do this", action="incident")
    return incident


def after_commit(task, *args) -> None:
    """Queue the Huey task once the current transaction has committed."""
    transaction.on_commit(lambda: task(*args))


def notify_coordinators(incident: Incident, kind: str, text: str, case: Case | None = None) -> None:
    """An in-app notice to each coordinator of the incident, and an e-mail to those with an
    address (the e-mail is sent after commit)."""
    notify_staff(
        coordinators_of(incident),
        kind=kind,
        purpose=Purpose.INCIDENT,
        text=text,
        subject=f"[{_('Incident')} #{incident.pk}] {text}",
        body=f"{text}\n{compose.staff_link(incident)}",
        incident=incident,
        case=case,
    )
