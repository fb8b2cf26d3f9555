"""The Message-IDs of the e-mails Hearline sends, and the case a reply's thread points at.

`<hearline.{message}.{case number}.{tag}@{HEARLINE_MAIL_DOMAIN}>`: fixed per message, so a
receiving server can drop a duplicate should a send be repeated after a crash. `tag` is a
keyed hash (SECRET_KEY) of the rest, so only who received the e-mail knows its Message-ID: a
reply carrying it in In-Reply-To or References continues our thread with that person, which
an address in `From:`, easily forged, never shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from hearline.cases.models import Case

from .models import Audience, MessageChannel, OutboundMessage

_SALT = "hearline.notify.message_ids"
_OURS = re.compile(r"<hearline\.(\d{1,18})\.([0-9A-Z-]{1,20})\.([0-9a-f]{20})@[^<>@\s]+>")


def _tag(pk: int | str, number: str, secret: str | bytes) -> str:
    text = f"{pk}.{number}"
    return salted_hmac(_SALT, text, secret=secret, algorithm="sha256").hexdigest()[:20]


def message_id(message: OutboundMessage) -> str:
    """The RFC 5322 Message-ID of an outbound e-mail: the same on every attempt, and
    unguessable without SECRET_KEY."""
    number = message.case.tracking_number if message.case is not None else "incident"
    tag = _tag(message.pk, number, settings.SECRET_KEY)
    return f"<hearline.{message.pk}.{number}.{tag}@{settings.HEARLINE_MAIL_DOMAIN}>"


def _ours(value: str) -> tuple[int, str] | None:
    """(message id, case number) of a Message-ID Hearline made, its tag checked against
    SECRET_KEY and SECRET_KEY_FALLBACKS (a reply may come after the key was rotated)."""
    match = _OURS.fullmatch(value.strip())
    if not match:
        return None
    pk, number, tag = match.groups()
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if any(constant_time_compare(tag, _tag(pk, number, key)) for key in keys):
        return int(pk), number
    return None


def case_of_thread(message_ids: Iterable[str]) -> Case | None:
    """The case (with its complainant) of the first of `message_ids` that is an e-mail
    Hearline sent to a case's complainant; None when none is (a Message-ID of someone
    else's, one whose tag does not check out, a staff notice)."""
    for value in message_ids:
        ours = _ours(value)
        if ours is None:
            continue
        pk, number = ours
        sent = (
            OutboundMessage.objects.filter(
                pk=pk,
                case__tracking_number=number,
                audience=Audience.COMPLAINANT,
                channel=MessageChannel.EMAIL,
            )
            .select_related("case__complainant")
            .first()
        )
        if sent is not None:
            return sent.case
    return None
