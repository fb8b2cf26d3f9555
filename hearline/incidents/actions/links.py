"""The cases of an incident: linking, unlinking, marking those that need more."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from hearline.accounts.models import User
from hearline.accounts.roles import Role
from hearline.cases.actions import do_transition
from hearline.cases.models import Case, CaseEvent
from hearline.cases.queries import cases_visible_to
from hearline.cases.workflow import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    State,
)

from ..models import (
    AftermathProposal,
    CaseTopic,
    Incident,
    IncidentCase,
    IncidentOrganisation,
    LinkedBy,
)
from ..queries import access_incident, area_of
from ..reach import Reach, reach_of
from ..workflow import IncidentState
from .steps import apply_step, coordinated, incident_ref

log = logging.getLogger(__name__)

# --- linked cases ---------------------------------------------------------------------


def do_link_cases(incident_id: int, tracking_numbers: list[str], *, acting_user: User) -> list[str]:
    """Link open cases (by tracking number) to the incident. A case qualifies when it is
    within the incident's reach (see `reach`: upstream cases only when they are of the
    incident's kind), lies in the incident's area or the coordinator may see it, is still
    waiting for its answer and belongs to no other incident. A case out of reach is refused
    as not found. Returns the numbers linked; each gets a timeline entry."""
    incident = coordinated(acting_user, incident_id)
    area, reach = area_of(incident), reach_of(incident)
    numbers = sorted({(n or "").strip().upper() for n in tracking_numbers if n})
    cases = list(Case.objects.filter(tracking_number__in=numbers).select_related("department"))
    of_kind = set(
        CaseTopic.objects.filter(case__in=cases, kind_id=incident.kind_id).values_list(
            "case_id", flat=True
        )
    )
    visible = set(
        cases_visible_to(acting_user)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    taken = set(IncidentCase.objects.filter(case__in=cases).values_list("case_id", flat=True))
    chosen, refused = [], {}
    for case in cases:
        lat = float(case.latitude) if case.latitude is not None else None
        lng = float(case.longitude) if case.longitude is not None else None
        if not _reachable(reach, case, of_kind):
            refused[case.tracking_number] = "not_found"
        elif case.pk in taken:
            refused[case.tracking_number] = "already_linked"
        elif case.state not in State.UNANSWERED:
            refused[case.tracking_number] = "already_answered"
        elif case.pk not in visible and not area.contains(case.district, lat, lng):
            refused[case.tracking_number] = "not_found"
        else:
            chosen.append(case)
    refused.update({n: "not_found" for n in set(numbers) - {c.tracking_number for c in cases}})
    if refused:
        raise InvalidInput("some cases cannot be linked", fields={"cases": refused})

    def change(incident, details):
        IncidentCase.objects.bulk_create(
            [
                IncidentCase(incident=incident, case=c, linked_by=LinkedBy.COORDINATOR)
                for c in chosen
            ]
        )
        details["cases"] = [c.tracking_number for c in chosen]

    try:
        incident = apply_step(incident_id, "link", acting_user, change)
    except IntegrityError:
        raise Conflict("a case was linked to another incident meanwhile") from None
    if incident.state != IncidentState.PROPOSED:
        from ..tasks import mark_linked_cases  # the tasks import these actions

        ids = [c.pk for c in chosen]
        transaction.on_commit(
            lambda: mark_linked_cases(incident.pk, ids, acting_user.pk, "link_incident")
        )
    return [c.tracking_number for c in chosen]


def _reachable(reach: Reach, case: Case, of_kind: set[int]) -> bool:
    path = case.department.path
    if path.startswith(reach.subtrees):
        return True
    return reach.is_upstream(path) and case.pk in of_kind


def _linked(incident: Incident, tracking_number: str) -> IncidentCase:
    link = (
        IncidentCase.objects.select_related("case")
        .filter(incident=incident, case__tracking_number=(tracking_number or "").strip().upper())
        .first()
    )
    if link is None:
        raise InvalidInput("the case is not linked", fields={"case": "not_linked"})
    return link


def do_unlink_case(incident_id: int, tracking_number: str, *, acting_user: User, reason: str):
    """Take a case out of the incident (it was about something else): the case's timeline
    says so, and it is handled on its own."""
    incident = coordinated(acting_user, incident_id)
    if not (reason or "").strip():
        raise InvalidInput("a reason is required", fields={"reason": "required"})
    link = _linked(incident, tracking_number)

    def change(incident, details):
        if incident.state != IncidentState.PROPOSED and link.case.is_open:
            do_transition(
                link.case_id,
                "unlink_incident",
                acting_user=acting_user,
                payload={"incident": incident_ref(incident), "note": reason},
            )
        IncidentCase.objects.filter(pk=link.pk).delete()
        details.update(case=link.case.tracking_number, reason=reason.strip())

    return apply_step(incident_id, "unlink", acting_user, change)


def do_mark_own_needs(
    incident_id: int, tracking_number: str, *, acting_user: User, own_needs: bool
) -> Incident:
    """Mark a linked case as needing more than the incident's end (compensation, a damaged
    meter …): the restoration notice will not close it."""
    incident = coordinated(acting_user, incident_id)
    link = _linked(incident, tracking_number)

    def change(incident, details):
        IncidentCase.objects.filter(pk=link.pk).update(own_needs=own_needs)
        details.update(case=link.case.tracking_number, own_needs=own_needs)

    return apply_step(incident_id, "update", acting_user, change)


def do_mark_linked_cases(incident_id: int, case_ids: list[int], actor_id: int, action: str) -> int:
    """Put the incident's `action` (link_incident, unlink_incident) on the timeline of each
    case still linked, as the coordinator `actor_id`, each in its own transaction; a case
    that has the entry for this incident already is skipped, so running again adds none.
    Returns how many cases were marked."""
    actor = User.objects.get(pk=actor_id)
    incident = Incident.objects.get(pk=incident_id)
    still = set(
        IncidentCase.objects.filter(incident=incident, case_id__in=case_ids).values_list(
            "case_id", flat=True
        )
    )
    marked = set(
        CaseEvent.objects.filter(
            case_id__in=still, action=action, details__incident__id=incident_id
        ).values_list("case_id", flat=True)
    )
    done = 0
    for case_id in sorted(still - marked):
        try:
            do_transition(
                case_id, action, acting_user=actor, payload={"incident": incident_ref(incident)}
            )
            done += 1
        except (IllegalTransition, Conflict, NotAllowed) as exc:
            log.info("case %s not marked for incident %s: %s", case_id, incident_id, exc)
    return done


# --- complaints after restoration ---------------------------------------------------------


def do_decide_aftermath(
    incident_id: int, tracking_number: str, *, acting_user: User, linked: bool
) -> Incident:
    """Decide a complaint proposed as the aftermath of the restored incident (discoloured
    water after a burst main): linked, it is counted with the incident and its timeline says
    so (its own handling and time limits go on: the restoration notice went out before it
    came); unrelated, it stays as it was. Deciding a proposal twice is refused."""
    coordinated(acting_user, incident_id)
    number = (tracking_number or "").strip().upper()
    proposal = (
        AftermathProposal.objects.select_related("case")
        .filter(incident_id=incident_id, case__tracking_number=number)
        .first()
    )
    if proposal is None:
        raise InvalidInput("the case is not proposed", fields={"case": "not_proposed"})

    def change(incident, details):
        decided = AftermathProposal.objects.filter(pk=proposal.pk, decided_at__isnull=True).update(
            decided_at=timezone.now(), decided_by=acting_user, linked=linked
        )
        if not decided:
            raise Conflict("the proposal was decided meanwhile")
        if linked:
            IncidentCase.objects.create(
                incident=incident, case=proposal.case, linked_by=LinkedBy.AFTERMATH
            )
            do_transition(
                proposal.case_id,
                "link_aftermath",
                acting_user=acting_user,
                payload={"incident": incident_ref(incident)},
            )
        details.update(case=number, linked=linked)

    try:
        return apply_step(incident_id, "aftermath", acting_user, change)
    except IntegrityError:
        raise Conflict("the case was linked to another incident meanwhile") from None


# --- other organisations ----------------------------------------------------------------


def do_join_incident(incident_id: int, *, acting_user: User) -> Incident:
    """A coordinator of an organisation the incident does not reach joins it: from then on
    the organisation's cases are within the incident's reach and its coordinators co-run
    it. Joining twice changes nothing more."""
    incident = access_incident(acting_user, incident_id)
    if Role.COORDINATOR not in acting_user.roles or acting_user.organisation is None:
        raise NotAllowed("only emergency coordinators join incidents", action="join")
    organisation = acting_user.organisation
    if organisation.path.startswith(reach_of(incident).subtrees):
        raise Conflict("the incident already reaches this organisation")

    def change(incident, details):
        IncidentOrganisation.objects.create(
            incident=incident, organisation=organisation, joined_by=acting_user
        )
        details.update(organisation={"id": organisation.pk, "name": organisation.name})

    try:
        return apply_step(incident_id, "join", acting_user, change)
    except IntegrityError:
        raise Conflict("the organisation joined the incident meanwhile") from None
