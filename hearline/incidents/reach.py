"""An incident's reach: the cases its coordinators may link, read, answer and whose
households they may list.

An incident reaches the subtree of the organisation that coordinates it and of every
organisation whose coordinator joined it. Cases still held above that organisation — at
the city hotline that registered them and has not yet handed them to anyone — are
*upstream*: the detection links those of the incident's kind at intake (the burst-main
complaints a hotline receives for the water company), and a coordinator may link them by
hand only when they are of the incident's kind. Nothing else of another organisation
(the metro's, the government centre's) comes within reach until its coordinator joins.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from hearline.accounts.organisations import organisation_at, organisations_above

from .models import Incident, IncidentOrganisation


@dataclass(frozen=True)
class Reach:
    """`subtrees`: paths of the organisations reached in full; `upstream`: for each
    organisation above the coordinating one, its path and those of the organisations nested
    in it (their departments are not upstream, they belong to those organisations)."""

    subtrees: tuple[str, ...]
    upstream: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def holds(self, department_path: str) -> bool:
        """Whether a case held by the department at `department_path` is within reach."""
        return department_path.startswith(self.subtrees) or self.is_upstream(department_path)

    def is_upstream(self, department_path: str) -> bool:
        """Whether the department is held above the coordinating organisation (not inside
        any organisation nested in the one above)."""
        return any(
            department_path.startswith(path) and not department_path.startswith(nested)
            for path, nested in self.upstream
        )

    def rule(self, *, field: str = "department__path") -> Q:
        """A filter on cases (or, with `field`, on related rows) for those within reach."""
        found = Q(pk__in=[])
        for path in self.subtrees:
            found |= Q(**{f"{field}__startswith": path})
        for path, nested in self.upstream:
            above = Q(**{f"{field}__startswith": path})
            for inner in nested:
                above &= ~Q(**{f"{field}__startswith": inner})
            found |= above
        return found


def reach_of(incident: Incident) -> Reach:
    """The reach of `incident` as it stands (organisations that joined included)."""
    return reach_from(incident.department.path, joined_paths(incident))


def reach_from(department_path: str, joined: tuple[str, ...] = ()) -> Reach:
    """The reach of an incident coordinated by the department at `department_path` and
    joined by the organisations at `joined` (paths)."""
    own = organisation_at(department_path)[1]
    return Reach(subtrees=(own, *joined), upstream=organisations_above(department_path))


def joined_paths(incident: Incident) -> tuple[str, ...]:
    """Paths of the organisations that joined `incident`."""
    return tuple(
        IncidentOrganisation.objects.filter(incident=incident).values_list(
            "organisation__path", flat=True
        )
    )
