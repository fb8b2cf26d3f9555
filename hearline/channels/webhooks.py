"""Signed webhooks in: who may call, and that no request is taken twice.

A request must carry X-Hearline-Timestamp (Unix seconds, within HEARLINE_WEBHOOK_WINDOW of
now), X-Hearline-Nonce (used once) and X-Hearline-Signature (hex HMAC-SHA256 of
`{timestamp}.{nonce}.{body}` under the source's secret, see hearline.core.signing). The nonce
is stored in the same transaction as what the request does, so a refused or failed request
leaves nothing behind, and a replayed one is refused.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearline.core.signing import NONCE, SIGNATURE, TIMESTAMP, signature_matches

from .models import WebhookNonce


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
    if not timestamp.isdigit() or not 8 <= len(nonce) <= 80:
        raise WebhookRefused(401, "signature_malformed", "bad timestamp or nonce")
    if abs(time.time() - int(timestamp)) > settings.HEARLINE_WEBHOOK_WINDOW:
        raise WebhookRefused(401, "stale_timestamp", "the timestamp is outside the window")
    if not signature_matches(secret, timestamp, nonce, request.body, given):
        raise WebhookRefused(401, "bad_signature", "the signature does not match")
    try:
        with transaction.atomic():
            WebhookNonce.objects.create(source=source, nonce=nonce)
    except IntegrityError:
        raise WebhookRefused(409, "replayed_nonce", "this nonce was used before") from None


def prune_nonces() -> int:
    """Forget nonces older than twice the window (their timestamps are refused anyway)."""
    horizon = timezone.now() - timedelta(seconds=2 * settings.HEARLINE_WEBHOOK_WINDOW)
    return WebhookNonce.objects.filter(seen_at__lt=horizon).delete()[0]
