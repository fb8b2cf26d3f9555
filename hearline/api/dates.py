"""Dates and times in API requests: `Day` and `Moment`, refused outside Hearline's range
(422, field code `out_of_range`); a `Moment` without an offset is read in Hearline's time
zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from hearline.core.dates import EARLIEST, LATEST, aware, within_range


def _within_range(value: date | datetime) -> date | datetime:
    if not within_range(value):
        raise PydanticCustomError(
            "out_of_range",
            "a date from {earliest} to {latest}",
            {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )
    return value


Day = Annotated[date, AfterValidator(_within_range)]
Moment = Annotated[datetime, AfterValidator(_within_range), AfterValidator(aware)]
