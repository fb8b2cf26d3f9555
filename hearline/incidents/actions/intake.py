"""What a new complaint means for incidents, written inside its registration's transaction
(decided beforehand, reads only, by `hearline.incidents.detection.plan`)."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from hearline.cases.models import Case

from ..detection import IncidentPlan, coordinate, is_stale
from ..models import AftermathProposal, CaseTopic, Incident, IncidentCase, LinkedBy
from ..topics import KindRule
from ..workflow import ACTIVE, IncidentState
from .lifecycle import expire_proposal, propose_incident

# The re-check of the incident a complaint joins, inside every such registration's
# transaction: written out, as the ORM took fifteen times as long to compose it as the
# database to answer.
_STILL_ACTIVE_SQL = (
    f"SELECT id, title, state FROM {Incident._meta.db_table}"
    f" WHERE id = %s AND state IN ({', '.join(['%s'] * len(ACTIVE))})"
)


def record_registration(case: Case, decided: IncidentPlan) -> dict | None:
    """Write the case's topic and incident link, proposing the incident when the case
    completes a burst and proposing the case to a restored incident it may follow (inside
    the registration transaction). Returns the details for the
    registration's timeline entry, or None when the case is not linked."""
    kind = decided.kind
    if kind is None:
        return None
    CaseTopic.objects.create(
        case=case,
        kind_id=kind.id,
        district=case.district,
        latitude=coordinate(case.latitude),
        longitude=coordinate(case.longitude),
        registered_at=case.registered_at,
    )
    if decided.aftermath_id is not None:
        AftermathProposal.objects.create(
            incident_id=decided.aftermath_id, case=case, proposed_at=case.registered_at
        )
    if decided.incident_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(_STILL_ACTIVE_SQL, [decided.incident_id, *ACTIVE])
            found = cursor.fetchone()
        if found is None:
            return None  # closed or dismissed in the meantime
        IncidentCase.objects.create(incident_id=found[0], case=case, linked_by=LinkedBy.INTAKE)
        return dict(zip(("id", "title", "state"), found, strict=True))
    if not decided.propose:
        return None
    incident = _propose(case, decided, kind)
    return {"id": incident.pk, "title": incident.title, "state": incident.state}


def _propose(case: Case, decided: IncidentPlan, kind: KindRule) -> Incident:
    for proposal in Incident.objects.filter(
        area_key=decided.area_key, state=IncidentState.PROPOSED
    ):
        if not is_stale(proposal, kind, case.registered_at):
            # Proposed by another process within the last second (`active_incidents`).
            IncidentCase.objects.create(incident=proposal, case=case, linked_by=LinkedBy.INTAKE)
            return proposal
        expire_proposal(proposal.pk)  # nobody joined it for a whole window
    try:
        with transaction.atomic():
            return propose_incident(case, decided)
    except IntegrityError:
        # Another registration proposed it a moment ago: join that one.
        incident = Incident.objects.get(area_key=decided.area_key, state__in=ACTIVE)
        IncidentCase.objects.create(incident=incident, case=case, linked_by=LinkedBy.INTAKE)
        return incident
