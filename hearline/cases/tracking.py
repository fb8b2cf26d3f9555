"""Tracking numbers: short, readable over the phone, unique.

Format `YYMMDD-XXXXX`: the local registration date and five characters of Crockford's
base32 (no I, L, O or U, so nothing is misheard as 1 or 0). About 33 million numbers a day.
"""

import secrets

from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_number(now=None) -> str:
    """A fresh candidate number for today (uniqueness is checked by the caller)."""
    day = timezone.localtime(now).strftime("%y%m%d")
    suffix = "".join(secrets.choice(ALPHABET) for _ in range(5))
    return f"{day}-{suffix}"


def new_public_token() -> str:
    """The secret that, with the tracking number, opens the public progress page."""
    return secrets.token_urlsafe(16)[:22]
