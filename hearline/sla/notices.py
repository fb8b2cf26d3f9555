"""Who is told when a deadline nears or passes, and the notices themselves."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from hearline.accounts.models import Department, User, UserRole
from hearline.accounts.organisations import organisation_paths
from hearline.accounts.roles import Role
from hearline.cases.models import Case
from hearline.notify.actions import notify_department
from hearline.notify.models import NotificationKind

# Every urgent registration runs this look-up: written out, as the ORM took three to five
# times as long to compose it as the database to answer. A row per (user, role held), each
# annotated with the role (`held`) and its department's path.
_URGENT_STAFF_SQL = (
    "SELECT u.*, r.role AS held, d.path AS department_path"
    f" FROM {User._meta.db_table} u"
    f" JOIN {UserRole._meta.db_table} r ON r.user_id = u.id"
    f" JOIN {Department._meta.db_table} d ON d.id = u.department_id"
    " WHERE u.is_active = TRUE AND ((r.role = %s AND u.department_id IN ({ancestors}))"
    " OR (r.role = %s AND u.department_id = %s) OR (r.role = %s AND d.path LIKE %s))"
)


def _with_role(role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role=role)


def _own_dispatchers(users, nested: tuple[str, ...]) -> list[User]:
    """Dispatchers among `users` (each annotated with its `department_path`), less those of
    organisations nested in the case's (they answer to that one instead)."""
    return [u for u in users if not u.department_path.startswith(nested)]


def handlers(case: Case) -> list[User]:
    """Handlers of the responsible department; before dispatch, the dispatchers of the
    organisation the case sits in (they are the ones who must act)."""
    found = list(_with_role(Role.HANDLER).filter(department_id=case.department_id))
    if found:
        return found
    own, nested = organisation_paths(case.department)
    candidates = _with_role(Role.DISPATCHER).filter(department__path__startswith=own)
    return _own_dispatchers(candidates.annotate(department_path=F("department__path")), nested)


def owner_team(case: Case) -> list[User]:
    """The agents of the intake team the case's owner belongs to (the team that follows the
    case up, whichever of its members registered it or whichever desk it came in by)."""
    team = User.objects.filter(pk=case.owner_id).values("department_id")
    return list(_with_role(Role.AGENT).filter(department_id__in=team))


def cohandlers(case: Case, department_id: int | None = None) -> list[User]:
    """Handlers of the departments co-handling the case (协办), or of the one `department_id`."""
    departments = (
        [department_id]
        if department_id is not None
        else list(case.co_departments.values_list("pk", flat=True))
    )
    return list(_with_role(Role.HANDLER).filter(department_id__in=departments))


def urgent_recipients(case: Case) -> list[User]:
    """Whom an urgent case's registration tells: the supervisors at the nearest level at or
    above the responsible department that has any, and whoever must act first (`handlers`):
    the same people as those two functions, in one query (two when the organisations'
    memo has expired) instead of five."""
    department = case.department
    ancestors = department.ancestor_ids()
    own, nested = organisation_paths(department)
    marks = ", ".join(["%s"] * len(ancestors))
    staff = User.objects.raw(
        _URGENT_STAFF_SQL.format(ancestors=marks),
        [Role.SUPERVISOR, *ancestors, Role.HANDLER, department.pk, Role.DISPATCHER, f"{own}%"],
    )
    by_role: dict[str, list[User]] = {}
    for user in staff:
        # `held` is a column the statement selects beyond the model's: raw() sets it on each
        # user, which django-stubs can't express.
        by_role.setdefault(user.held, []).append(user)  # type: ignore[attr-defined]
    acting = by_role.get(Role.HANDLER) or _own_dispatchers(by_role.get(Role.DISPATCHER, []), nested)
    return [*_nearest_level(by_role.get(Role.SUPERVISOR, []), ancestors), *acting]


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
    return _nearest_level(_with_role(Role.SUPERVISOR).filter(department_id__in=ids), ids)


def _nearest_level(users, ids: list[int]) -> list[User]:
    """Those of `users` in the last of the departments `ids` (root first) that has any."""
    by_department: dict[int, list[User]] = {}
    for user in users:
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
    """催办: tell the handlers, the co-handling departments' handlers and the department head
    that a supervisor is chasing the case."""
    text = _("%(who)s urges case %(number)s.") % {
        "who": by.full_name or by.username,
        "number": case.tracking_number,
    }
    if note:
        text = f"{text} {note}"
    recipients = [*handlers(case), *cohandlers(case), department_head(case)]
    return notify(case, NotificationKind.URGE, recipients, text)
