"""Complaints by e-mail: one RFC 822 message in, a case registered or a reply added.

A message is added to a case's timeline as the complainant's comment only when it continues
our thread with them — its In-Reply-To or References carries the Message-ID of an e-mail we
sent the complainant about that case (unguessable, see hearline.notify.message_ids) — *and*
comes from the complainant's address. Anything else, a case number in the subject from the
complainant's address included, registers a new case as the e-mail desk (and the
acknowledgement with the tracking number goes back by e-mail). `From:` can be forged: the
comment records `verified: true` only when our own mail server authenticated the sender
(hearline.channels.mail_auth), else `verified: false`, shown on the staff timeline.
Attachments become evidence.
The sender's address and the Message-ID make it idempotent: the same message taken in twice
changes nothing, while another sender's message reusing the Message-ID is taken in as its own.
Control characters are left out of headers and text (a mailer cannot be asked to resend), and
a message whose sender address is not a valid e-mail address cannot be answered: it is
refused as unusable.
Chinese mail comes in GB2312, GBK, GB18030 or UTF-8, in bodies and in encoded-word headers;
the GB family is decoded as GB18030, the superset, because mailers label GBK text GB2312.
"""

from __future__ import annotations

import email
import hashlib
import html
import re
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message
from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from hearline.cases.actions import (
    do_complainant_transition,
    do_register_case,
    do_system_transition,
)
from hearline.cases.models import Case, Channel
from hearline.cases.submission import ComplainantData, IntakeSubmission
from hearline.cases.workflow import InvalidInput
from hearline.core.characters import strip_invalid_characters
from hearline.notify.message_ids import case_of_thread

from .desks import desk_for
from .mail_auth import sender_authenticated
from .models import InboundMessage

_GB = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "euc-cn", "cp936", "gb18030"}
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,300}>")
_THREAD_LENGTH = 50  # the Message-IDs of a thread looked at, the most recent first
_QUOTE_START = re.compile(
    r"^(>|-{2,}\s*(原始邮件|Original Message)|在.{0,60}写道[:：]|On .{0,80} wrote:)", re.M
)


class UnusableEmail(Exception):
    """The message has nothing to register (no text, no subject) or no address to answer."""


@dataclass
class Parsed:
    message_id: str
    sender_name: str
    sender_address: str
    subject: str
    text: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    thread: tuple[str, ...] = ()  # In-Reply-To, then References from the most recent
    verified: bool = False  # our mail server authenticated the sender's domain


@dataclass(frozen=True)
class Ingested:
    case: Case
    created: bool  # a new case was registered
    duplicate: bool  # the message had been taken in before
    refused_attachments: tuple[str, ...] = ()


def _charset(name: str | None) -> str:
    name = (name or "utf-8").lower()
    return "gb18030" if name in _GB else name


def _decode_bytes(data: bytes, charset: str | None) -> str:
    try:
        return data.decode(_charset(charset), errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def decode_header_value(raw: str | None) -> str:
    """A header with encoded words (=?GB2312?B?…?=) as text, without control characters."""
    if not raw:
        return ""
    parts = []
    for value, charset in decode_header(str(raw)):
        parts.append(_decode_bytes(value, charset) if isinstance(value, bytes) else value)
    return strip_invalid_characters(re.sub(r"\s+", " ", "".join(parts))).strip()


def _html_to_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style).*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _without_quoted_reply(text: str) -> str:
    match = _QUOTE_START.search(text)
    return (text[: match.start()] if match else text).strip()


def _thread(message: Message) -> tuple[str, ...]:
    replied_to = _MESSAGE_ID.findall(str(message.get("In-Reply-To") or ""))
    references = _MESSAGE_ID.findall(str(message.get("References") or ""))
    return tuple(replied_to + references[::-1])[:_THREAD_LENGTH]


def parse(raw: bytes) -> Parsed:
    """The parts of a message Hearline uses."""
    message: Message = email.message_from_bytes(raw)
    name, address = parseaddr(decode_header_value(message.get("From")))
    message_id = strip_invalid_characters(str(message.get("Message-ID") or "")).strip()
    if not message_id:
        message_id = "<sha256:" + hashlib.sha256(raw).hexdigest() + ">"
    plain, markup, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = decode_header_value(part.get_filename())
        disposition = (part.get("Content-Disposition") or "").lower()
        # A part that is not multipart decodes to its bytes (None when it has no body).
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        if filename or disposition.startswith("attachment"):
            attachments.append((filename or "attachment", payload))
        elif part.get_content_type() == "text/plain":
            plain.append(_decode_bytes(payload, part.get_content_charset()))
        elif part.get_content_type() == "text/html":
            markup.append(_html_to_text(_decode_bytes(payload, part.get_content_charset())))
    text = strip_invalid_characters("\n".join(plain) if plain else "\n".join(markup))
    sender_address = address.strip().lower()
    return Parsed(
        message_id=message_id[:300],
        sender_name=name.strip()[:60],
        sender_address=sender_address,
        subject=decode_header_value(message.get("Subject"))[:200],
        text=_without_quoted_reply(text.replace("\r\n", "\n")),
        attachments=attachments,
        thread=_thread(message),
        verified=sender_authenticated(message, sender_address),
    )


def _inbound_key(parsed: Parsed) -> str:
    """What makes a message the same message: its sender and its Message-ID."""
    return hashlib.sha256(f"{parsed.sender_address}\n{parsed.message_id}".encode()).hexdigest()


def _case_replied_to(parsed: Parsed) -> Case | None:
    """The case whose thread the message continues, when the sender is its complainant."""
    case = case_of_thread(parsed.thread)
    if case is None or case.complainant.email.strip().lower() != parsed.sender_address:
        return None
    return case


def _attach_all(case: Case, attachments, source: str) -> tuple[str, ...]:
    refused = []
    for name, content in attachments:
        try:
            do_system_transition(
                case.pk, "attach", payload={"file": content, "name": name, "kind": "evidence"}
            )
        except InvalidInput as exc:
            refused.append(f"{name}（{', '.join(exc.details.get('fields', {}).values())}）")
    if refused:
        do_system_transition(
            case.pk,
            "comment",
            payload={"note": "未接收的附件：" + "；".join(refused), "channel": source},
        )
    return tuple(refused)


def ingest_email(raw: bytes) -> Ingested:
    """Take in one message; see the module docstring. All of it is one transaction."""
    parsed = parse(raw)
    if not parsed.text and not parsed.subject:
        raise UnusableEmail("the message has neither text nor subject")
    try:
        validate_email(parsed.sender_address)
    except ValidationError:
        raise UnusableEmail("the sender's address is not a valid e-mail address") from None
    key = _inbound_key(parsed)
    seen = InboundMessage.objects.filter(channel=Channel.EMAIL, external_id=key).select_related(
        "case"
    )
    if seen.exists():
        return Ingested(seen.get().case, created=False, duplicate=True)
    try:
        with transaction.atomic():
            case = _case_replied_to(parsed)
            created = case is None
            if case is None:
                case = _register(parsed)
            else:
                do_complainant_transition(
                    case,
                    "comment",
                    payload={
                        "note": parsed.text or parsed.subject,
                        "channel": "email",
                        "reference": parsed.message_id,
                        "verified": parsed.verified,
                    },
                )
            refused = _attach_all(case, parsed.attachments, "email")
            InboundMessage.objects.create(
                channel=Channel.EMAIL,
                external_id=key,
                case=case,
                created_case=created,
            )
    except IntegrityError:
        # Taken in by a concurrent run a moment ago.
        return Ingested(
            InboundMessage.objects.get(channel=Channel.EMAIL, external_id=key).case,
            created=False,
            duplicate=True,
        )
    return Ingested(case, created=created, duplicate=False, refused_attachments=refused)


def _register(parsed: Parsed) -> Case:
    description = parsed.text or parsed.subject
    submission = IntakeSubmission(
        channel=Channel.EMAIL,
        title=parsed.subject[:120],
        description=description[:10_000],
        complainant=ComplainantData(
            name=parsed.sender_name,
            email=parsed.sender_address,
            preferred_channel="email",
        ),
        idempotency_key="email:" + _inbound_key(parsed)[:48],
    )
    return do_register_case(submission, acting_user=desk_for(Channel.EMAIL)).case
