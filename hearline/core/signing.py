"""HMAC signatures for webhooks, in and out: the signed string is
`{timestamp}.{nonce}.{body}`, the signature hex HMAC-SHA256 under a shared secret, sent in the
headers X-Hearline-Timestamp (Unix seconds), X-Hearline-Nonce and X-Hearline-Signature."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

TIMESTAMP = "X-Hearline-Timestamp"
NONCE = "X-Hearline-Nonce"
SIGNATURE = "X-Hearline-Signature"


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """The three headers for a request carrying `body`, with a fresh nonce."""
    timestamp = str(int(now if now is not None else time.time()))
    nonce = secrets.token_hex(16)
    return {
        TIMESTAMP: timestamp,
        NONCE: nonce,
        SIGNATURE: signature(secret, timestamp, nonce, body),
    }


def signature_matches(secret: str, timestamp: str, nonce: str, body: bytes, given: str) -> bool:
    """Constant-time comparison of the given signature with the expected one."""
    return hmac.compare_digest(signature(secret, timestamp, nonce, body), given or "")
