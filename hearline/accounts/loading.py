"""Loading a staff account for a request in one statement: the account, its department and
its roles. Every API request (its token's account) and every web or channel submission (its
intake desk) needs all three; composed by the ORM they took two or three statements and
ten times as long, so the statement is written out here once."""

from __future__ import annotations

from django.db import connection

from .models import Department, User, UserRole

_DEPARTMENT_FIELDS = Department._meta.concrete_fields


def load_staff(where: str, params: list, *, joins: str = "", columns: str = "") -> User | None:
    """The active account selected by `where` (SQL over `u`, the user, and the tables
    `joins` adds; it must select one account at most, by a unique key), with its department
    and its roles loaded; None if there is none. The extra `columns` (SQL, each with an
    alias) are read as attributes of the returned user; `params` fill the placeholders of
    `columns`, `joins` and `where`, in that order."""
    sql = (
        "SELECT u.*, r.role AS held_role, "
        + ", ".join(f"d.{f.column} AS dept_{f.column}" for f in _DEPARTMENT_FIELDS)
        + (f", {columns}" if columns else "")
        + f" FROM {User._meta.db_table} u {joins}"
        + f" LEFT JOIN {Department._meta.db_table} d ON d.id = u.department_id"
        + f" LEFT JOIN {UserRole._meta.db_table} r ON r.user_id = u.id"
        + f" WHERE u.is_active = TRUE AND ({where})"
    )
    rows = list(User.objects.raw(sql, params))
    if not rows:
        return None
    user = rows[0]
    if user.department_id is not None:
        user.department = Department.from_db(
            connection.alias,
            [f.attname for f in _DEPARTMENT_FIELDS],
            [getattr(user, f"dept_{f.column}") for f in _DEPARTMENT_FIELDS],
        )
    user.roles = frozenset(row.held_role for row in rows if row.held_role)
    return user
