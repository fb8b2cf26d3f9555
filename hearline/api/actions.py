"""Creating and revoking integration tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from hearline.accounts.models import Department, User, UserRole
from hearline.accounts.roles import Role

from .models import ApiToken

TOKEN_PREFIX = "hl_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def do_create_api_token(
    *, name: str, role: str, department_code: str | None
) -> tuple[ApiToken, str]:
    """Create a token with its service account; returns the token row and the raw token,
    which is not stored and can't be shown again. Raises ValueError on a bad role,
    department or a name already used."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; one of: {', '.join(Role.values)}")
    department = None
    if department_code:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            raise ValueError(f"unknown department {department_code!r}")
    if ApiToken.objects.filter(name=name).exists():
        raise ValueError(f"a token named {name!r} exists already")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        user = User.objects.create(
            username=f"api:{name}"[:150], full_name=name, department=department, is_active=True
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        UserRole.objects.create(user=user, role=role)
        token = ApiToken.objects.create(
            name=name, user=user, token_hash=hash_token(raw), prefix=raw[:8]
        )
    return token, raw


def do_revoke_api_token(token: ApiToken) -> None:
    """Revoke at once: the token and its service account stop working."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        User.objects.filter(pk=token.user_id).update(is_active=False)
