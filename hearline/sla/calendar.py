"""Working-time arithmetic on the official Chinese calendar. Pure Python: no Django.

Counting rules (docs/time-limits.md):
- *hours* / *minutes* are natural time from the start;
- *working hours* count only the minutes inside working hours on working days, from the start;
- *working days* start on the day after the start (自受理之次日起计算) and end at the close of
  working hours on the last working day counted.

Which days are working days: an explicit override for the date wins, then the State Council
calendar from the `chinese-calendar` package; for a year the package doesn't know (and no
admin has confirmed) Monday–Friday minus the fixed-date statutory holidays is used, and the
year is reported in `missing_years`, so the deadline is flagged as provisional instead of
silently wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

UNITS = ("minutes", "hours", "working_hours", "working_days")
# Statutory days off with a fixed date (元旦, 劳动节, 国庆): kept even for a year whose
# official notice is missing. The lunar festivals and the make-up days can't be guessed.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)})
_MAX_DAYS = 3660  # no deadline is searched for further than ten years ahead


@dataclass(frozen=True)
class Duration:
    """An amount of time in one of UNITS. Working days are whole days."""

    amount: float
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; use one of {', '.join(UNITS)}")
        if not self.amount > 0:
            raise ValueError("a duration must be positive")
        if self.unit == "working_days" and self.amount != int(self.amount):
            raise ValueError("working days must be a whole number")

    _PATTERN = re.compile(
        r"^\s*(\d+(?:\.\d+)?)\s*(working\s+days?|working\s+hours?|hours?|minutes?)\s*$", re.I
    )

    @classmethod
    def parse(cls, text: str) -> Duration:
        """'5 working days', '2 working hours', '24 hours', '30 minutes' → Duration."""
        match = cls._PATTERN.match(text or "")
        if not match:
            raise ValueError(
                f"cannot read duration {text!r}: write e.g. '5 working days', "
                "'2 working hours', '24 hours' or '30 minutes'"
            )
        words = match.group(2).lower().split()
        unit = (
            {"day": "working_days", "days": "working_days"}.get(words[-1])
            if len(words) > 1
            else None
        )
        if unit is None:
            base = words[-1].rstrip("s") + "s"
            unit = f"working_{base}" if len(words) > 1 else base
        return cls(float(match.group(1)), unit)

    def __str__(self) -> str:
        amount = int(self.amount) if self.amount == int(self.amount) else self.amount
        return f"{amount} {self.unit.replace('_', ' ')}"


def parse_periods(text: str) -> tuple[tuple[time, time], ...]:
    """'08:30-12:00,13:30-17:30' → ((08:30, 12:00), (13:30, 17:30)), ordered, non-overlapping."""
    periods = []
    for part in (text or "").split(","):
        start, _, end = part.strip().partition("-")
        try:
            periods.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
        except ValueError:
            raise ValueError(
                f"cannot read working period {part.strip()!r} (use HH:MM-HH:MM)"
            ) from None
    periods.sort()
    for (_, e1), (s2, _) in zip(periods, periods[1:], strict=False):
        if s2 < e1:
            raise ValueError("working periods overlap")
    if not periods or any(s >= e for s, e in periods):
        raise ValueError("each working period must end after it starts")
    return tuple(periods)


DEFAULT_PERIODS = parse_periods("08:30-12:00,13:30-17:30")


@dataclass
class WorkingCalendar:
    """Working days and hours of one organisation, in its time zone."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS
    overrides: Mapping[date, bool] = field(default_factory=dict)
    confirmed_years: frozenset[int] = frozenset()
    missing_years: set[int] = field(default_factory=set)

    # --- days ---------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day (override, then official calendar, then Mon–Fri)."""
        if day in self.overrides:
            return self.overrides[day]
        if day.year not in self.confirmed_years:
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                self.missing_years.add(day.year)
                if (day.month, day.day) in FIXED_HOLIDAYS:
                    return False
        return day.weekday() < 5

    def year_is_covered(self, year: int) -> bool:
        """True when the official calendar (or an admin's confirmation) covers `year`."""
        if year in self.confirmed_years:
            return True
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
            return True
        except NotImplementedError:
            return False

    def _windows(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_workday(day):
            return []
        return [
            (datetime.combine(day, s, self.tz), datetime.combine(day, e, self.tz))
            for s, e in self.periods
        ]

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("datetimes must carry a time zone")
        return moment.astimezone(self.tz)

    # --- arithmetic -----------------------------------------------------------------------

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment when `minutes` of working time have passed since `start`."""
        start = self._local(start)
        remaining = timedelta(minutes=minutes)
        if remaining <= timedelta(0):
            return start
        day = start.date()
        for _ in range(_MAX_DAYS):
            for window_start, window_end in self._windows(day):
                begin = max(window_start, start)
                if begin >= window_end:
                    continue
                available = window_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += timedelta(days=1)
        raise ValueError("no working time found within ten years")

    def end_of_working_days(self, start: datetime, days: int) -> datetime:
        """Close of working hours on the `days`-th working day after the day of `start`."""
        day = self._local(start).date()
        counted = 0
        for _ in range(_MAX_DAYS):
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
                if counted == days:
                    return datetime.combine(day, self.periods[-1][1], self.tz)
        raise ValueError("no working days found within ten years")

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Minutes of working time in [start, end); 0 when end is not after start."""
        start, end = self._local(start), self._local(end)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            for window_start, window_end in self._windows(day):
                overlap = min(window_end, end) - max(window_start, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds() / 60

    def due(self, start: datetime, duration: Duration) -> datetime:
        """The deadline for `duration` counted from `start`, under the counting rules."""
        if duration.unit == "minutes":
            return self._local(start) + timedelta(minutes=duration.amount)
        if duration.unit == "hours":
            return self._local(start) + timedelta(hours=duration.amount)
        if duration.unit == "working_hours":
            return self.add_working_minutes(start, duration.amount * 60)
        return self.end_of_working_days(start, int(duration.amount))

    def in_working_time(self, duration: Duration) -> bool:
        return duration.unit in ("working_hours", "working_days")

    def elapsed(self, start: datetime, end: datetime, *, working: bool) -> float:
        """Minutes between two moments, natural or working."""
        if working:
            return self.working_minutes_between(start, end)
        return max(0.0, (end - start).total_seconds() / 60)

    def shift(self, deadline: datetime, minutes: float, *, working: bool) -> datetime:
        """A deadline moved later by `minutes` of natural or working time (a suspension)."""
        if minutes <= 0:
            return self._local(deadline)
        if working:
            return self.add_working_minutes(deadline, minutes)
        return self._local(deadline) + timedelta(minutes=minutes)

    def point(
        self, start: datetime, deadline: datetime, fraction: float, *, working: bool
    ) -> datetime:
        """The moment when `fraction` of the time from start to deadline is used (a warning)."""
        total = self.elapsed(start, deadline, working=working)
        if working:
            return min(self.add_working_minutes(start, total * fraction), self._local(deadline))
        return self._local(start) + timedelta(minutes=total * fraction)
