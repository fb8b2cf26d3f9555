"""Who is calling the API: a bearer token (integrations) or the browser's session."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from hearline.accounts.loading import staff_by_token
from hearline.accounts.models import User

from .actions import hash_token
from .models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_for_token(raw: str) -> User | None:
    """The service account of an active token, with its department and its roles loaded,
    or None (unknown or revoked token, deactivated account). Records the token's use at
    most once a minute: not a second durable write per request."""
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_RESOLUTION)
    user = staff_by_token(hash_token(raw or ""), stale_before)
    # `token_stale` and `token_id` are columns staff_by_token's raw() statement sets on the
    # user beyond the model's fields, which django-stubs can't express.
    if user is not None and user.token_stale:  # type: ignore[attr-defined]
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)  # type: ignore[attr-defined]
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [TokenAuth(), SessionAuth()]
