"""Tracking numbers: short, readable over the phone, unique.

Format `YYMMDD-XXXXX`: the local registration date and five characters of Crockford's
base32 (no I, L, O or U, so nothing is misheard as 1 or 0). The first character of the
suffix keeps two number spaces apart: 0–F for cases registered at once, G–Z for complaints
received for registration in the background (their number is given before the case
exists, so it must not be one a case registered meanwhile could draw). About 16 million
numbers a day in each.
"""

import re
import secrets
import unicodedata

from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_REGISTERED_FIRST = ALPHABET[:16]
_RECEIVED_FIRST = ALPHABET[16:]


_FORMAT = re.compile(r"^[0-9]{6}-[0-9A-Z]{5}$")


def canonical_tracking_number(text: str) -> str:
    """The tracking number `text` stands for, as stored (`" 251103-a1b2c "` →
    `"251103-A1B2C"`, full-width characters folded), or "" when it cannot be one. Every
    spelling of a number maps to the same string, so counters keyed on it can't be dodged."""
    number = unicodedata.normalize("NFKC", text or "").strip().upper()
    return number if _FORMAT.match(number) else ""


def _number(first: str, now) -> str:
    day = timezone.localtime(now).strftime("%y%m%d")
    rest = "".join(secrets.choice(ALPHABET) for _ in range(4))
    return f"{day}-{secrets.choice(first)}{rest}"


def new_tracking_number(now=None) -> str:
    """A fresh candidate number for a case registered now (uniqueness is checked by the
    caller)."""
    return _number(_REGISTERED_FIRST, now)


def new_receipt_number(now=None) -> str:
    """A fresh candidate number for a complaint received for background registration; never
    one `new_tracking_number` gives (uniqueness among receipts is checked by the caller)."""
    return _number(_RECEIVED_FIRST, now)


def new_public_token() -> str:
    """The secret that, with the tracking number, opens the public progress page."""
    return secrets.token_urlsafe(16)[:22]
