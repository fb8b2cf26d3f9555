"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), which can be told to defer or
refuse the next messages."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class RecordingHandler:
    def __init__(self):
        self.received = []  # email.message.EmailMessage objects
        self.answers = []  # queued SMTP answers for the next DATA commands

    async def handle_DATA(self, server, session, envelope):
        if self.answers:
            return self.answers.pop(0)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.received.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """`with SmtpServer() as smtp:` serves on smtp.port; smtp.handler.received holds mail."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.handler = RecordingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
