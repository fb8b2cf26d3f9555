"""Throttling of guessable secrets: staff sign-in (per user name and per client address) and
the public progress look-up (per client address, per client and tracking number, and per
tracking number for phone guesses from anywhere).

Failures are rows in the database, so every gunicorn worker sees the same count. A key is
blocked while it has `attempts` failures within the last `window`; it unblocks by itself as
they age. Keys are stored as keyed hashes (no user names, addresses or numbers at rest).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import FailedAttempt


@dataclass(frozen=True)
class Limit:
    scope: str
    attempts: int
    window: timedelta


class Throttled(Exception):
    """Too many failures for one of the keys checked: refuse until they age."""


WINDOW = timedelta(minutes=15)
SIGN_IN_PER_USER = Limit("login-user", 5, WINDOW)
SIGN_IN_PER_ADDRESS = Limit("login-address", 20, WINDOW)
LOOKUP_PER_ADDRESS = Limit("track-address", 10, WINDOW)
LOOKUP_PER_CLIENT_AND_NUMBER = Limit("track-pair", 5, WINDOW)
# Phone guesses for one number from any number of clients: a backstop against guessing from
# many addresses. It stops look-ups by phone only; the secret link still opens the case.
PHONE_GUESSES_PER_NUMBER = Limit("track-number", 20, timedelta(days=1))
LIMITS = (
    SIGN_IN_PER_USER,
    SIGN_IN_PER_ADDRESS,
    LOOKUP_PER_ADDRESS,
    LOOKUP_PER_CLIENT_AND_NUMBER,
    PHONE_GUESSES_PER_NUMBER,
)


def _digest(limit: Limit, key: str) -> str:
    message = f"{limit.scope}\x00{key.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _trusted(address: str, proxies) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request) -> str:
    """The client's address. REMOTE_ADDR, unless it is one of HEARLINE_TRUSTED_PROXIES:
    then X-Forwarded-For is read from the right, past the trusted proxies, and the first
    address not among them is the client's. The entries left of it were written by the
    client and are never believed (anyone can send the header), so a client cannot pick
    the address its failures are counted against."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.HEARLINE_TRUSTED_PROXIES
    if not proxies or not _trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _trusted(hop, proxies):
            return hop
    return remote


def blocked(*checks: tuple[Limit, str]) -> bool:
    """True when any (limit, key) pair has used up its attempts within its window."""
    now = timezone.now()
    return any(
        FailedAttempt.objects.filter(
            scope=limit.scope, key=_digest(limit, key), at__gte=now - limit.window
        )[: limit.attempts].count()
        >= limit.attempts
        for limit, key in checks
    )


def record_failure(*checks: tuple[Limit, str]) -> None:
    """Count one failure against each (limit, key) pair."""
    FailedAttempt.objects.bulk_create(
        [FailedAttempt(scope=limit.scope, key=_digest(limit, key)) for limit, key in checks]
    )


def forget(limit: Limit, key: str) -> None:
    """Clear a key's failures (a user who signs in correctly starts again from zero)."""
    FailedAttempt.objects.filter(scope=limit.scope, key=_digest(limit, key)).delete()


def purge_expired() -> int:
    """Delete failures older than their limit's window; returns how many went."""
    now = timezone.now()
    return sum(
        FailedAttempt.objects.filter(scope=limit.scope, at__lt=now - limit.window).delete()[0]
        for limit in LIMITS
    )
