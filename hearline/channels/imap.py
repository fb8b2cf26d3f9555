"""Polling an IMAP mailbox for complaints (imap-tools). Unseen messages are taken in one by
one and flagged seen only after their case is committed, so a crash mid-run loses nothing
and the next run's duplicates are recognised by sender and Message-ID."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from imap_tools import AND, MailBox, MailBoxUnencrypted, MailMessageFlags

from .email_in import UnusableEmail, ingest_email

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollResult:
    taken_in: int
    duplicates: int
    unusable: int


def poll_mailbox(limit: int = 200) -> PollResult:
    """Take in up to `limit` unseen messages of settings.HEARLINE_IMAP['FOLDER']."""
    config: Mapping[str, Any] = settings.HEARLINE_IMAP  # mixed values: strings, a port, a flag
    box_class = MailBox if config.get("SSL", True) else MailBoxUnencrypted
    taken = duplicates = unusable = 0
    with box_class(config["HOST"], port=config["PORT"]).login(
        config["USER"], config["PASSWORD"], initial_folder=config.get("FOLDER", "INBOX")
    ) as box:
        for message in box.fetch(AND(seen=False), mark_seen=False, limit=limit, bulk=True):
            try:
                result = ingest_email(message.obj.as_bytes())
            except UnusableEmail:
                unusable += 1
                log.warning("unusable e-mail uid %s left unseen", message.uid)
                continue
            assert message.uid is not None  # fetch asks for each message's UID
            box.flag(message.uid, MailMessageFlags.SEEN, True)
            if result.duplicate:
                duplicates += 1
            else:
                taken += 1
    return PollResult(taken, duplicates, unusable)
