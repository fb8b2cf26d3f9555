"""Logging filter that keeps complainants' phone and ID numbers, e-mail addresses and house
numbers out of application logs."""

import logging

from .privacy import redact_text

_FORMATTER = logging.Formatter()


class RedactPIIFilter(logging.Filter):
    """Rewrites each record's message, and the traceback and stack it carries, with personal
    data masked by `redact_text`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True
