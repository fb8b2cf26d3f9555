"""Phone numbers as stored and compared: ASCII digits, with a leading + kept.

Pure functions, no Django. Callers type numbers with spaces, dashes, full-width digits
(１３８…) or other scripts' digits; all of them must find the same complainant.
"""

import unicodedata


def phone_digits(text: str) -> str:
    """The decimal digits of `text` in order, each turned into its ASCII digit
    (`"１３８-1234"` → `"1381234"`); everything else is dropped."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text or "" if ch.isdecimal())


def normalise_phone(phone: str) -> str:
    """The stored form of a phone number: its ASCII digits, with a leading + kept."""
    phone = unicodedata.normalize("NFKC", phone or "").strip()
    return ("+" if phone.startswith("+") else "") + phone_digits(phone)
