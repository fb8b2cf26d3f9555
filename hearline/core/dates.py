"""The dates Hearline accepts from outside: filters, periods, months and the times that
integrations and forms give, all from EARLIEST to LATEST.

A date far outside that range is a slip or a probe. Refusing it keeps date arithmetic and
time-zone conversion away from the ends of the calendar (year 1, year 9999), where they
overflow, and keeps the databases out of it (PostgreSQL refuses timestamps before year 1
that SQLite takes)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def within_range(value: date | datetime) -> bool:
    """True when the day of `value` lies from EARLIEST to LATEST: a datetime's own day as
    written, before any time-zone conversion (which is what could overflow)."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def validate_within_range(value: date | datetime) -> None:
    """A form field validator: ValidationError (code `out_of_range`, the range in words)
    unless `within_range(value)`."""
    if not within_range(value):
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s."),
            code="out_of_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


def aware(value: datetime) -> datetime:
    """`value` with its offset; a naive one is read in Hearline's time zone
    (HEARLINE_TIME_ZONE, the TIME_ZONE setting), which is what an integration sending local
    time without an offset means."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value
