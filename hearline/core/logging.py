"""Logging filter that keeps complainants' phone and ID numbers out of application logs."""

import logging

from .privacy import redact_text


class RedactPIIFilter(logging.Filter):
    """Rewrites each record's message with phone and ID numbers masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
