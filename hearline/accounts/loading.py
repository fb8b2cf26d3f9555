"""Loading a staff account for a request in one statement: the account, its department and
its roles. Every API request (its token's account) and every web or channel submission (its
intake desk) needs all three; composed by the ORM they took two or three statements and
ten times as long, so the statement is written out here once."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

from .models import Department, User, UserRole

_DEPARTMENT_FIELDS = Department._meta.concrete_fields


def _load(where: str, params: list, *, joins: str = "", columns: str = "") -> User | None:
    """The active account selected by `where` (one of this module's fixed conditions over
    `u`, the user, and the tables `joins` adds), with its department and its roles; the
    extra `columns` are read as attributes of the returned user."""
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
    # `held_role` is a column the statement selects beyond the model's: raw() sets it on each
    # row, which django-stubs can't express.
    user.roles = frozenset(row.held_role for row in rows if row.held_role)  # type: ignore[attr-defined]
    return user


def staff_by_username(username: str) -> User | None:
    """The active account with this user name, its department and roles loaded; or None."""
    return _load("u.username = %s", [username])


def staff_by_token(token_hash: str, stale_before) -> User | None:
    """The active service account of the unrevoked API token with this hash, its department
    and roles loaded, or None (an API token is a service account: read here, in the same
    statement). The user carries `token_id`, and `token_stale`: whether the token was last
    used before `stale_before` (a database value) or never."""
    return _load(
        "t.token_hash = %s AND t.revoked_at IS NULL",
        [stale_before, token_hash],
        joins=f"JOIN {apps.get_model('api', 'ApiToken')._meta.db_table} t ON t.user_id = u.id",
        columns="t.id AS token_id, CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s"
        " THEN 1 ELSE 0 END AS token_stale",
    )
