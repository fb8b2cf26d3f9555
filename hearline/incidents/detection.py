"""Incidents at intake: whether a new complaint belongs to an active incident, or completes
a burst that should propose one. Reads only: `plan` runs before the registration's write
lock; `hearline.incidents.actions.intake.record_registration` writes what it decided inside
the registration's transaction. A burst is `threshold` open, unlinked cases of the same kind in
one district (or within the kind's radius when the cases have coordinates) registered within
the kind's time window. One urgent complaint with an incident-worthy word (爆管, 燃气泄漏 …)
is a burst of one. At most one active incident exists per kind and place (a database
constraint), so two simultaneous registrations cannot propose it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, OuterRef, Subquery

from hearline.accounts.models import Department
from hearline.accounts.organisations import organisation_at
from hearline.cases.models import Case, Urgency
from hearline.cases.workflow import State
from hearline.core.cache import memo
from hearline.triage.models import LexiconKind

from .areas import degrees_box
from .models import (
    Bulletin,
    CaseTopic,
    DetectedBy,
    Incident,
    IncidentCase,
    IncidentOrganisation,
)
from .queries import area_of, latest_bulletin
from .reach import Reach, reach_from, reach_of
from .topics import KindRule, kind_rules, topic_of
from .workflow import ACTIVE, IncidentState

MAX_PROPOSED_CASES = 500
FALLBACK_KIND = "other"


@dataclass
class IncidentPlan:
    """What intake decided about incidents for one new case."""

    kind: KindRule | None = None
    incident_id: int | None = None
    notice: dict | None = None
    propose: bool = False
    detected_by: str = ""
    area_key: str = ""
    burst_case_ids: list[int] = field(default_factory=list)
    aftermath_id: int | None = None  # a restored incident this complaint may follow


def coordinate(value) -> float | None:
    """A latitude or longitude (a Decimal from the case) as a float; None stays None."""
    return None if value is None else float(value)


def area_key(kind: KindRule, case: Case) -> str:
    """The place a detected incident is about: its district, else a ~1 km grid cell."""
    if case.district:
        return f"{kind.code}:{case.district}"
    # Without a district, `plan` asks only for a case with both coordinates.
    assert case.latitude is not None and case.longitude is not None
    return f"{kind.code}:{float(case.latitude):.2f},{float(case.longitude):.2f}"


@memo(1)
def active_incidents(kind_id: int) -> tuple[tuple[Incident, Reach], ...]:
    """The active incidents of a kind with their latest bulletin and link (annotations),
    each with its reach, newest first. Read at most once a second per process: intake during a
    burst asks this for every complaint. A write in this process clears it at once
    (`apply_step`); another process's write is seen within a second, and `record` re-checks
    the state it links to."""
    latest = Bulletin.objects.filter(incident=OuterRef("pk")).order_by("-seq")
    last_link = IncidentCase.objects.filter(incident=OuterRef("pk")).order_by("-linked_at")
    incidents = tuple(
        Incident.objects.filter(state__in=ACTIVE, kind_id=kind_id)
        .select_related("department")
        .annotate(
            bulletin_text=Subquery(latest.values("text")[:1]),
            bulletin_at=Subquery(latest.values("published_at")[:1]),
            last_linked_at=Subquery(last_link.values("linked_at")[:1]),
        )
        .order_by("-started_at")
    )
    joined: dict[int, list[str]] = {}
    if incidents:
        for incident_id, path in IncidentOrganisation.objects.filter(
            incident_id__in=[i.pk for i in incidents]
        ).values_list("incident_id", "organisation__path"):
            joined.setdefault(incident_id, []).append(path)
    return tuple(
        (incident, reach_from(incident.department.path, tuple(joined.get(incident.pk, ()))))
        for incident in incidents
    )


def matching_incident(
    kind: KindRule,
    district: str,
    lat,
    lng,
    now: datetime,
    department: Department | None = None,
) -> Incident | None:
    """The active incident of this kind whose area holds the place (and whose reach holds
    a case held by `department`, when given): a running one before a proposal, the most
    recent first. A proposal nobody confirmed and no complaint joined within the kind's
    window is stale (the sweep dismisses it) and matches nothing."""
    soon = now + timedelta(minutes=kind.window_minutes)
    found = [
        i
        for i, reach in active_incidents(kind.id)
        if i.started_at <= soon
        and area_of(i).contains(district, coordinate(lat), coordinate(lng))
        and (department is None or reach.holds(department.path))
    ]
    found.sort(key=lambda i: i.state == IncidentState.PROPOSED)
    for incident in found:
        if incident.state != IncidentState.PROPOSED or not is_stale(incident, kind, now):
            return incident
    return None


def is_stale(proposal: Incident, kind: KindRule, now: datetime) -> bool:
    """No complaint joined the proposal within the kind's window."""
    if hasattr(proposal, "last_linked_at"):
        last = proposal.last_linked_at
    else:
        last = proposal.links.aggregate(last=Max("linked_at"))["last"]
    return (last or proposal.created_at) < now - timedelta(minutes=kind.window_minutes)


def notice_for(incident: Incident) -> dict:
    """What the agent reads to the caller: the incident and its latest bulletin (from the
    annotations of `matching_incident` when present)."""
    if hasattr(incident, "bulletin_text") and hasattr(incident, "bulletin_at"):
        text, at = incident.bulletin_text or "", incident.bulletin_at
    else:
        bulletin = latest_bulletin(incident)
        text, at = (bulletin.text, bulletin.published_at) if bulletin else ("", None)
    return {
        "id": incident.pk,
        "title": incident.title,
        "state": incident.state,
        "expected_restoration_at": incident.expected_restoration_at,
        "measures": incident.measures,
        "bulletin": text,
        "bulletin_at": at,
    }


def running_incident_for(
    text: str, district: str, category_path: str | None, now: datetime
) -> dict | None:
    """While the agent types: the confirmed incident this complaint would join, with its
    latest bulletin (see `notice_for`), or None. Reads only."""
    if not settings.HEARLINE_INCIDENT_MATCHING or not district:
        return None
    kind = topic_of(text, category_path)
    incident = matching_incident(kind, district, None, None, now) if kind else None
    if incident is None or incident.state == IncidentState.PROPOSED:
        return None
    return notice_for(incident)


def _burst_candidates(kind: KindRule, case: Case, now: datetime, reach: Reach) -> list[int]:
    since = now - timedelta(minutes=kind.window_minutes)
    topics = CaseTopic.objects.filter(kind_id=kind.id, registered_at__range=(since, now))
    if case.district:
        topics = topics.filter(district=case.district)
    else:
        # Without a district, `plan` asks only for a case with both coordinates.
        assert case.latitude is not None and case.longitude is not None
        lat, lng = float(case.latitude), float(case.longitude)
        dlat, dlng = degrees_box(lat, kind.radius_m)
        topics = topics.filter(
            latitude__range=(lat - dlat, lat + dlat), longitude__range=(lng - dlng, lng + dlng)
        )
    linked = IncidentCase.objects.filter(case_id__in=topics.values("case_id")).values("case_id")
    return list(
        Case.objects.filter(
            reach.rule(), pk__in=topics.values("case_id"), state__in=State.UNANSWERED
        )
        .exclude(pk__in=linked)
        .order_by("registered_at")
        .values_list("pk", flat=True)[:MAX_PROPOSED_CASES]
    )


def _held_by_running_incident(key: str) -> bool:
    """A confirmed incident was detected for this kind and place but (its area or start
    since changed) does not cover this complaint: no second incident for the same place."""
    return Incident.objects.filter(
        area_key=key, state__in=(IncidentState.OPEN, IncidentState.STABILISING)
    ).exists()


def _recently_dismissed(key: str, kind: KindRule, now: datetime) -> bool:
    since = now - timedelta(minutes=kind.window_minutes)
    return Incident.objects.filter(
        area_key=key, state=IncidentState.DISMISSED, created_at__gte=since
    ).exists()


def plan(case: Case, flags: dict, now: datetime) -> IncidentPlan:
    """Decide, without writing, what the unsaved `case` means for incidents."""
    if not settings.HEARLINE_INCIDENT_MATCHING:
        return IncidentPlan()
    text = f"{case.title}\n{case.description}\n{case.request}"
    kind = topic_of(text, case.category.path if case.category else None)
    worthy = LexiconKind.INCIDENT in flags and case.urgency == Urgency.URGENT
    if kind is None and worthy:
        kind = next((k for k in kind_rules() if k.code == FALLBACK_KIND), None)
    if kind is None:
        return IncidentPlan()
    decided = IncidentPlan(kind=kind)
    placed = bool(case.district) or (case.latitude is not None and case.longitude is not None)
    if not placed:
        return decided
    incident = matching_incident(
        kind, case.district, case.latitude, case.longitude, now, case.department
    )
    if incident is not None:
        decided.incident_id = incident.pk
        if incident.state != IncidentState.PROPOSED:
            decided.notice = notice_for(incident)
        return decided
    decided.aftermath_id = restored_incident_for(kind, case, now)
    key = area_key(kind, case)
    if _recently_dismissed(key, kind, now) or _held_by_running_incident(key):
        return decided
    reach = reach_from(coordinating_department(kind, case)[1])
    if not reach.holds(case.department.path):
        return decided  # another organisation's matter: its own coordinators decide
    candidates = _burst_candidates(kind, case, now, reach)
    if worthy or len(candidates) + 1 >= kind.threshold:
        decided.propose = True
        decided.detected_by = DetectedBy.INCIDENT_WORTHY if worthy else DetectedBy.BURST
        decided.area_key = key
        decided.burst_case_ids = candidates
    return decided


def restored_incident_for(kind: KindRule, case: Case, now: datetime) -> int | None:
    """The id of the most recently restored incident this complaint may be the aftermath of:
    of the kind `kind` follows, restored within its hours, whose area holds the place and
    whose reach holds the case; None when there is none."""
    if kind.aftermath_of_id is None:
        return None
    restored = Incident.objects.filter(
        kind_id=kind.aftermath_of_id,
        state__in=(IncidentState.RESOLVED, IncidentState.REVIEWED),
        resolved_at__gte=now - timedelta(hours=kind.aftermath_hours),
        resolved_at__lte=now,
    ).select_related("department")
    lat, lng = coordinate(case.latitude), coordinate(case.longitude)
    for incident in restored.order_by("-resolved_at"):
        if area_of(incident).contains(case.district, lat, lng) and reach_of(incident).holds(
            case.department.path
        ):
            return incident.pk
    return None


def coordinating_department(kind: KindRule, case: Case) -> tuple[int, str]:
    """(id, path) of who coordinates an incident proposed for `case`: the kind's department,
    else the organisation the case sits in."""
    if kind.department_id:
        return kind.department_id, kind.department_path
    return organisation_at(case.department.path)
