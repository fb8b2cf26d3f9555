"""Who is told when a deadline nears or passes, and the notices themselves."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hearline.accounts.models import Department, DepartmentKind, User
from hearline.accounts.roles import Role
from hearline.cases.models import Case
from hearline.notify.actions import notify_department
from hearline.notify.models import NotificationKind


def _with_role(role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role=role)


def handlers(case: Case) -> list[User]:
    """Handlers of the responsible department; before dispatch, the dispatchers of the
    organisation the case sits in (they are the ones who must act)."""
    found = list(_with_role(Role.HANDLER).filter(department_id=case.department_id))
    if found:
        return found
    organisation = case.department.organisation()
    candidates = _with_role(Role.DISPATCHER).filter(department__path__startswith=organisation.path)
    # Dispatchers of an organisation further down answer to that one instead.
    nested = Department.objects.filter(
        kind=DepartmentKind.ORGANISATION, path__startswith=organisation.path
    ).exclude(pk=organisation.pk)
    inner = tuple(nested.values_list("path", flat=True))
    return [
        u
        for u in candidates.select_related("department")
        if not u.department.path.startswith(inner)
    ]


def department_head(case: Case) -> User | None:
    """The head of the responsible department, or of the nearest department above it."""
    ids = case.department.ancestor_ids()
    heads = dict(
        Department.objects.filter(pk__in=ids, head__isnull=False).values_list("pk", "head_id")
    )
    for pk in reversed(ids):
        if pk in heads:
            return User.objects.filter(pk=heads[pk], is_active=True).first()
    return None


def supervisors(case: Case) -> list[User]:
    """Supervisors at the nearest level at or above the responsible department that has any."""
    return supervisors_above(case.department)


def supervisors_above(department: Department) -> list[User]:
    """Supervisors at the nearest level at or above `department` that has any."""
    ids = department.ancestor_ids()
    by_department: dict[int, list[User]] = {}
    for user in _with_role(Role.SUPERVISOR).filter(department_id__in=ids):
        by_department.setdefault(user.department_id, []).append(user)
    for pk in reversed(ids):
        if pk in by_department:
            return by_department[pk]
    return []


def notify(case: Case, kind: str, recipients, text: str) -> int:
    """One notification per distinct recipient (with its e-mail copy for staff who have an
    address); returns how many were written."""
    return len(notify_department(case, kind, recipients, text))


def urge(case: Case, *, by: User, note: str = "") -> int:
    """催办: tell the handlers and the department head that a supervisor is chasing the case."""
    text = _("%(who)s urges case %(number)s.") % {
        "who": by.full_name or by.username,
        "number": case.tracking_number,
    }
    if note:
        text = f"{text} {note}"
    return notify(case, NotificationKind.URGE, [*handlers(case), department_head(case)], text)
