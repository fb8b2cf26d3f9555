"""The adapters that hand a message to the outside world, one per channel, chosen in
settings.HEARLINE_MESSAGE_BACKENDS. Each `send(message, address)` returns the provider's
reference, or raises TemporaryFailure (try again later) or PermanentFailure (never will work).

Shipped: FileBackend (JSON lines under var/outbox/, for installs without a gateway),
ConsoleBackend, DjangoEmailBackend (any of Django's e-mail backends, SMTP in production) and
WebhookBackend (a signed JSON POST, for HTTP SMS gateways and upstream platforms). A real
gateway with its own API is one more class with the same `send`.
"""

from __future__ import annotations

import json
import os
import smtplib
import sys
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.module_loading import import_string

from hearline.core.signing import signed_headers

from .message_ids import message_id


class TemporaryFailure(Exception):
    """The channel could not take the message now; a later attempt may succeed."""


class PermanentFailure(Exception):
    """The message can never be delivered this way (bad address, refused content)."""


class Backend:
    def __init__(self, channel: str, **options):
        self.channel, self.options = channel, options

    def send(self, message, address: str) -> str:
        raise NotImplementedError


def _record(message, address: str) -> dict:
    return {
        "id": message.pk,
        "dedupe_key": message.dedupe_key,
        "case": message.case.tracking_number if message.case_id else "",
        "purpose": message.purpose,
        "to": address,
        "subject": message.subject,
        "body": message.body,
        "data": message.data,
        "at": timezone.now().isoformat(),
    }


class FileBackend(Backend):
    """Appends one JSON line per message to `{VAR_DIR}/outbox/{channel}.jsonl` (fsynced)."""

    def send(self, message, address: str) -> str:
        folder = settings.VAR_DIR / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(_record(message, address), ensure_ascii=False) + "\n"
        fd = os.open(folder / f"{self.channel}.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        return f"file:{message.dedupe_key}"


class MemoryBackend(Backend):
    """Keeps sent messages in `MemoryBackend.outbox` (a list of dicts), like Django's locmem
    e-mail backend: for tests and for trying settings out."""

    outbox: list[dict] = []

    def send(self, message, address: str) -> str:
        MemoryBackend.outbox.append({"channel": self.channel, **_record(message, address)})
        return f"memory:{message.dedupe_key}"


class ConsoleBackend(Backend):
    def send(self, message, address: str) -> str:
        sys.stdout.write(json.dumps(_record(message, address), ensure_ascii=False) + "\n")
        return f"console:{message.dedupe_key}"


class DjangoEmailBackend(Backend):
    """Sends through Django's configured e-mail backend (EMAIL_BACKEND, EMAIL_HOST …). An
    address Django's validator refuses, or a header Django will not write, can never be
    sent: a PermanentFailure that names neither."""

    def send(self, message, address: str) -> str:
        try:
            validate_email(address)
        except ValidationError:
            raise PermanentFailure("invalid address") from None
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"Message-ID": message_id(message)},
            connection=get_connection(fail_silently=False),
        )
        try:
            email.send()
        except ValueError:  # Django's BadHeaderError: a line break in a header
            raise PermanentFailure("invalid header") from None
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                raise PermanentFailure(f"SMTP {exc.smtp_code}") from exc
            raise TemporaryFailure(f"SMTP {exc.smtp_code}") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"SMTP recipient refused {codes}") from exc
            raise TemporaryFailure(f"SMTP recipient deferred {codes}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"SMTP {type(exc).__name__}") from exc
        return message_id(message)


class WebhookBackend(Backend):
    """POSTs the message as signed JSON to options URL with options SECRET; 2xx is accepted,
    408/429/5xx and network errors are temporary, other 4xx permanent."""

    def send(self, message, address: str) -> str:
        body = json.dumps(_record(message, address), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            **signed_headers(self.options["SECRET"], body),
        }
        request = urllib.request.Request(self.options["URL"], data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.options.get("TIMEOUT", 10)) as r:
                answer = r.read(2000).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            if exc.code in (408, 429) or exc.code >= 500:
                raise TemporaryFailure(f"HTTP {exc.code}") from exc
            raise PermanentFailure(f"HTTP {exc.code}") from exc
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise TemporaryFailure(f"{type(exc).__name__}") from exc
        try:
            return str(json.loads(answer).get("id", ""))[:200] or "accepted"
        except (ValueError, AttributeError):
            return "accepted"


def backend_for(channel: str) -> Backend:
    """The configured backend of a channel."""
    config = dict(settings.HEARLINE_MESSAGE_BACKENDS[channel])
    return import_string(config.pop("BACKEND"))(channel, **config)
