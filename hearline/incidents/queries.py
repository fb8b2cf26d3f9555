"""Reads of incidents, scoped to what the acting user may see."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from hearline.accounts.models import Department, User, UserRole
from hearline.accounts.roles import Role
from hearline.cases.workflow import NotFound
from hearline.notify.models import MessageStatus

from .areas import Area
from .models import Bulletin, Incident, IncidentCase, IncidentOrganisation
from .reach import joined_paths
from .workflow import ACTIVE

# Roles that see incidents (coordinators act on them; the others follow them).
FOLLOWING_ROLES = frozenset(
    {Role.COORDINATOR, Role.SUPERVISOR, Role.DISPATCHER, Role.AGENT, Role.MANAGER}
)


def area_of(incident: Incident) -> Area:
    """The incident's area as a value that answers `contains`."""
    centre = None
    if incident.centre_lat is not None and incident.centre_lng is not None:
        centre = (incident.centre_lat, incident.centre_lng)
    return Area(
        districts=tuple(incident.districts or ()),
        centre=centre,
        radius_m=incident.radius_m,
        polygon=tuple(tuple(p) for p in incident.polygon or ()),
    )


def latest_bulletin(incident: Incident) -> Bulletin | None:
    """The incident's most recent bulletin, or None before the first."""
    return incident.bulletins.order_by("-seq").first()


def _within(department: Department | None) -> Q:
    if department is None:
        return Q(pk__in=[])
    path = department.path
    above = [path[: i + 1] for i in range(1, len(path) - 1) if path[i] == "/"]
    return Q(department__path__startswith=path) | Q(department__path__in=above)


def incidents_visible_to(user: User) -> QuerySet[Incident]:
    """Incidents the user may see: administrators all; coordinators, supervisors and
    managers those coordinated at, above or below their department; agents and
    dispatchers those of their organisation (they take the calls about them). Coordinators
    also see the incidents their organisation joined and every active incident of their
    tree, so that they can join one that reaches their organisation."""
    if not user.is_authenticated or not user.is_active:
        return Incident.objects.none()
    roles = user.roles
    if user.is_superuser or Role.ADMIN in roles:
        return Incident.objects.all()
    if not roles & FOLLOWING_ROLES or user.department is None:
        return Incident.objects.none()
    scope: Department | None = user.department
    if roles & {Role.AGENT, Role.DISPATCHER} and not roles & {Role.COORDINATOR}:
        scope = user.organisation
    rule = _within(scope)
    if Role.COORDINATOR in roles:
        root = f"/{user.department.ancestor_ids()[0]}/"
        rule |= coordinated_incidents(user.department)
        rule |= Q(state__in=ACTIVE, department__path__startswith=root)
    return Incident.objects.filter(rule)


def may_coordinate(user: User, incident: Incident) -> bool:
    """Coordinators at or above the incident's coordinating department run it, and so do
    the coordinators of an organisation that joined it."""
    if not user.is_authenticated or Role.COORDINATOR not in user.roles:
        return False
    if user.department is None:
        return False
    if incident.department.path.startswith(user.department.path):
        return True
    joined = joined_paths(incident)
    return bool(joined) and user.department.path.startswith(joined)


def coordinators_of(incident: Incident) -> list[User]:
    """The coordinators who run this incident (see `may_coordinate`)."""
    held = UserRole.objects.filter(role=Role.COORDINATOR, user__is_active=True).select_related(
        "user__department"
    )
    joined = joined_paths(incident)
    return [
        r.user
        for r in held
        if r.user.department is not None
        and (
            incident.department.path.startswith(r.user.department.path)
            or (joined and r.user.department.path.startswith(joined))
        )
    ]


def coordinated_incidents(department: Department) -> Q:
    """Incidents that coordinators of `department` run: coordinated at or below it, or
    joined by an organisation at or above it."""
    joined = IncidentOrganisation.objects.filter(organisation_id__in=department.ancestor_ids())
    return Q(department__path__startswith=department.path) | Q(pk__in=joined.values("incident_id"))


def coordinated_case_ids(department: Department):
    """Ids of the cases linked to the incidents coordinators of `department` run (a
    subquery)."""
    incidents = Incident.objects.filter(coordinated_incidents(department))
    return IncidentCase.objects.filter(incident__in=incidents.values("pk")).values("case_id")


def access_incident(user: User, incident_id: int) -> Incident:
    """The incident if the user may see it, else NotFound."""
    incident = (
        incidents_visible_to(user)
        .select_related("kind", "department", "coordinator")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise NotFound("no such incident", incident_id=incident_id)
    return incident


def incident_of(case, states=None) -> Incident | None:
    """The incident the case is linked to (restricted to `states` when given), or None."""
    incidents = Incident.objects.filter(links__case_id=case.pk)
    if states is not None:
        incidents = incidents.filter(state__in=states)
    return incidents.first()


# The incident lists: proposals first (someone must decide), then running, then finished.
STATE_ORDER = ("proposed", "open", "stabilising", "resolved", "reviewed", "dismissed")


def proposed_and_running_first(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """`incidents` ordered by `STATE_ORDER`, then newest first."""
    rank = Case(
        *[When(state=s, then=Value(i)) for i, s in enumerate(STATE_ORDER)],
        output_field=IntegerField(),
    )
    return incidents.annotate(rank=rank).order_by("rank", "-started_at", "-id")


def delivery_counts(bulletins: QuerySet[Bulletin]) -> dict[int, dict]:
    """Per bulletin id: people it is for, and how many messages were sent, are pending,
    failed, or could not be made (no address)."""
    rows = bulletins.annotate(
        people=Count("deliveries"),
        sent=Count("deliveries", filter=Q(deliveries__message__status=MessageStatus.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__message__status=MessageStatus.FAILED)),
        unreachable=Count("deliveries", filter=Q(deliveries__message__isnull=True)),
    ).values("pk", "people", "sent", "failed", "unreachable")
    return {
        r["pk"]: {**r, "pending": r["people"] - r["sent"] - r["failed"] - r["unreachable"]}
        for r in rows
    }
