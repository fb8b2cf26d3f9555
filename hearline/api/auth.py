"""Who is calling the API: a bearer token (integrations) or the browser's session."""

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .actions import hash_token
from .models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_for_token(raw: str):
    """The service account of an active token, or None."""
    token = (
        ApiToken.objects.select_related("user__department")
        .filter(token_hash=hash_token(raw or ""), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # At most one write a minute per token: not a second durable write per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [TokenAuth(), SessionAuth()]
