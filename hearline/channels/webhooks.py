"""Signed webhooks in: who may call, that no request is taken twice, and what a message
may look like (a JSON object, not nested deeply).

A request must carry X-Hearline-Timestamp (Unix seconds, within HEARLINE_WEBHOOK_WINDOW of
now), X-Hearline-Nonce (used once) and X-Hearline-Signature (hex HMAC-SHA256 of
`{timestamp}.{nonce}.{body}` under the source's secret, see hearline.core.signing). The nonce
is stored in the same transaction as what the request does, so a refused or failed request
leaves nothing behind, and a replayed one is refused.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearline.core.signing import NONCE, SIGNATURE, TIMESTAMP, signature_matches

from .models import WebhookNonce

# Unix seconds: ASCII digits only (str.isdigit also takes "²" and "١"), at most 12 of them
# (ten until the year 2286), so that nothing longer ever reaches int() or the clock.
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")
# A message is an object of text and numbers with the complainant as an object inside;
# a platform's own extras may nest a little more, but nothing deeper than this is walked.
MAX_DEPTH = 32


class WebhookRefused(Exception):
    """`status` and machine-readable `code` for the problem+json answer."""

    def __init__(self, status: int, code: str, detail: str):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def verify(source: str, request) -> None:
    """Raise WebhookRefused unless the request is signed by `source` and fresh. Call inside
    the transaction that does the work: the nonce is consumed there."""
    secret = settings.HEARLINE_WEBHOOK_SECRETS.get(source, "")
    if not secret:
        raise WebhookRefused(503, "webhook_not_configured", f"no secret set for {source}")
    timestamp = request.headers.get(TIMESTAMP, "")
    nonce = request.headers.get(NONCE, "")
    given = request.headers.get(SIGNATURE, "")
    if not (timestamp and nonce and given):
        raise WebhookRefused(401, "signature_missing", "timestamp, nonce and signature required")
    if not _UNIX_SECONDS.fullmatch(timestamp) or not 8 <= len(nonce) <= 80:
        raise WebhookRefused(
            401,
            "signature_malformed",
            "the timestamp must be Unix seconds in ASCII digits, the nonce 8 to 80 characters",
        )
    if abs(time.time() - int(timestamp)) > settings.HEARLINE_WEBHOOK_WINDOW:
        raise WebhookRefused(401, "stale_timestamp", "the timestamp is outside the window")
    if not signature_matches(secret, timestamp, nonce, request.body, given):
        raise WebhookRefused(401, "bad_signature", "the signature does not match")
    try:
        with transaction.atomic():
            WebhookNonce.objects.create(source=source, nonce=nonce)
    except IntegrityError:
        raise WebhookRefused(409, "replayed_nonce", "this nonce was used before") from None


def _depth(value) -> int:
    """How deeply lists and objects nest in `value` (0 for text or a number), counted
    without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, level + 1) for child in children)
    return deepest


def read_message(body: bytes) -> dict:
    """The signed body as a JSON object; WebhookRefused 400 for anything else (not JSON,
    not an object, or nested too deeply to read or to walk)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRefused(400, "malformed_request", "the body is not JSON") from None
    except RecursionError:
        raise WebhookRefused(400, "malformed_request", "the body is nested too deeply") from None
    if not isinstance(data, dict):
        raise WebhookRefused(400, "malformed_request", "the body is not a JSON object")
    if _depth(data) > MAX_DEPTH:
        raise WebhookRefused(400, "malformed_request", "the body is nested too deeply")
    return data


def prune_nonces() -> int:
    """Forget nonces older than twice the window (their timestamps are refused anyway)."""
    horizon = timezone.now() - timedelta(seconds=2 * settings.HEARLINE_WEBHOOK_WINDOW)
    return WebhookNonce.objects.filter(seen_at__lt=horizon).delete()[0]
