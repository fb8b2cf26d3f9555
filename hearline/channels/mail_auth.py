"""Whether our own mail server authenticated the sender of an incoming e-mail.

`From:` is easily forged. A mail server that checks SPF, DKIM and DMARC writes what it found
in an `Authentication-Results` header (RFC 8601) on top of the message, naming itself by its
authserv-id. Only the topmost such header is read, and only when it carries the authserv-id
in HEARLINE_MAIL_AUTHSERV_ID (the server must also remove headers with its own authserv-id
arriving from outside, RFC 8601 §5). The sender is authenticated when that header says, for
exactly the domain of the From address, dmarc=pass (header.from), dkim=pass (header.d) or
spf=pass (smtp.mailfrom).
"""

from __future__ import annotations

import re
from email.message import Message

from django.conf import settings

_COMMENT = re.compile(r"\([^()]*\)")
_PROPERTY = re.compile(r'([a-z]+\.[a-z0-9-]+)=("[^"]*"|[^\s;]+)', re.I)
# The property that names the authenticated domain, by method.
_IDENTITY = {"dmarc": "header.from", "dkim": "header.d", "spf": "smtp.mailfrom"}


def _results(header: str) -> tuple[str, list[tuple[str, str, dict[str, str]]]]:
    """(authserv-id, [(method, result, properties)]) of one Authentication-Results value."""
    head, *parts = _COMMENT.sub(" ", header).split(";")
    authserv_id = (head.split() or [""])[0].lower()
    results = []
    for part in parts:
        words = part.split()
        if not words or "=" not in words[0]:
            continue
        method, _, result = words[0].partition("=")
        properties = {
            name.lower(): value.strip('"').lower() for name, value in _PROPERTY.findall(part)
        }
        results.append((method.partition("/")[0].lower(), result.lower(), properties))
    return authserv_id, results


def _domain(identity: str) -> str:
    return identity.rpartition("@")[2]


def sender_authenticated(message: Message, address: str) -> bool:
    """True when the topmost Authentication-Results header is our mail server's and says a
    method passed for the domain of `address`; False otherwise, and always when
    HEARLINE_MAIL_AUTHSERV_ID is not set."""
    trusted = settings.HEARLINE_MAIL_AUTHSERV_ID.strip().lower()
    headers = message.get_all("Authentication-Results") or []
    if not trusted or not headers:
        return False
    authserv_id, results = _results(str(headers[0]))
    if authserv_id != trusted:
        return False
    domain = _domain(address.lower())
    return any(
        result == "pass" and _domain(properties.get(_IDENTITY.get(method, ""), "")) == domain
        for method, result, properties in results
    )
