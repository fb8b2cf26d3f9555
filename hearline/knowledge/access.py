"""Who may read and who may change the knowledge base."""

from __future__ import annotations

from hearline.accounts.models import Department, User
from hearline.accounts.roles import Role

EDITING_ROLES = frozenset({Role.HANDLER, Role.SUPERVISOR})
WHOLE_BASE_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
PUBLISHING_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})


def is_staff_reader(user) -> bool:
    """Every signed-in staff member with a role reads staff-only articles."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.roles))


def may_edit(user: User, owner: Department | None) -> bool:
    """Managers and administrators edit every article; handlers and supervisors the articles
    their department (or one below it) owns. `owner` None asks whether the user may write
    any article at all."""
    if user.is_superuser or user.roles & WHOLE_BASE_ROLES:
        return True
    if not user.roles & EDITING_ROLES or user.department is None:
        return False
    return owner is None or owner.is_within(user.department)


def may_publish(user: User, owner: Department | None) -> bool:
    """Publishing (and withdrawing) is for supervisors of the owner, managers, admins."""
    if not may_edit(user, owner):
        return False
    return user.is_superuser or bool(user.roles & PUBLISHING_ROLES)


def may_manage_templates(user: User) -> bool:
    """Reply templates are written by supervisors, managers and administrators."""
    return user.is_superuser or bool(user.roles & PUBLISHING_ROLES)


def editable_owners(user: User):
    """The departments whose articles the user may write."""
    if user.is_superuser or user.roles & WHOLE_BASE_ROLES:
        return Department.objects.all()
    if not user.roles & EDITING_ROLES or user.department is None:
        return Department.objects.none()
    return Department.objects.filter(path__startswith=user.department.path)
