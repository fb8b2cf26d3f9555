"""Who is calling the API: a bearer token (integrations) or the browser's session."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from hearline.accounts.models import Department, User, UserRole

from .actions import hash_token
from .models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=1)

_DEPARTMENT_FIELDS = Department._meta.concrete_fields
# The token's service account with everything a request reads of it, in one statement: a
# row per role it holds, each carrying its department's columns (as dept_<column>), the
# token's id and whether its last use is older than the resolution. Written out rather
# than composed by the ORM, which took four times as long for it on every API request.
_TOKEN_SQL = (
    "SELECT u.*, r.role AS held_role, t.id AS token_id, "
    "CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END AS token_stale, "
    + ", ".join(f"d.{f.column} AS dept_{f.column}" for f in _DEPARTMENT_FIELDS)
    + f" FROM {ApiToken._meta.db_table} t"
    f" JOIN {User._meta.db_table} u ON u.id = t.user_id"
    f" LEFT JOIN {Department._meta.db_table} d ON d.id = u.department_id"
    f" LEFT JOIN {UserRole._meta.db_table} r ON r.user_id = u.id"
    " WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active = %s"
)


def user_for_token(raw: str) -> User | None:
    """The service account of an active token, with its department and its roles loaded,
    or None (unknown or revoked token, deactivated account). Records the token's use at
    most once a minute: not a second durable write per request."""
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_RESOLUTION)
    rows = list(User.objects.raw(_TOKEN_SQL, [stale_before, hash_token(raw or ""), True]))
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
    if user.token_stale:
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [TokenAuth(), SessionAuth()]
