"""Deadlines on the official 2025 and 2026 calendars (no database)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hearline.sla.calendar import Duration, WorkingCalendar, parse_periods

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def due(start: datetime, text: str) -> datetime:
    return WorkingCalendar().due(start, Duration.parse(text))


def test_friday_before_spring_festival_2026():
    start = local(2026, 2, 13, 16, 0)  # Friday; 15–23 Feb off, Saturday 14 Feb is a working day
    assert due(start, "5 working days") == local(2026, 2, 27, 17, 30)
    assert due(start, "2 working hours") == local(2026, 2, 14, 9, 0)
    assert due(start, "24 hours") == local(2026, 2, 14, 16, 0)


def test_registered_on_a_make_up_working_sunday():
    start = local(2026, 1, 4, 10, 0)  # Sunday 4 Jan 2026 is a working day (元旦调休)
    assert CAL.is_workday(start.date())
    assert due(start, "2 working hours") == local(2026, 1, 4, 12, 0)
    assert due(start, "5 working days") == local(2026, 1, 9, 17, 30)


def test_spanning_national_day_2025():
    start = local(2025, 9, 28, 15, 0)  # make-up Sunday before 1–8 Oct; Sat 11 Oct works
    assert due(start, "5 working days") == local(2025, 10, 11, 17, 30)
    assert due(local(2025, 9, 30, 16, 0), "2 working hours") == local(2025, 10, 9, 9, 0)


def test_urgent_case_at_ten_to_midnight_on_a_holiday_counts_natural_time():
    start = local(2026, 10, 1, 23, 50)
    assert not CAL.is_workday(start.date())
    assert due(start, "30 minutes") == local(2026, 10, 2, 0, 20)
    assert due(start, "24 hours") == local(2026, 10, 2, 23, 50)


def test_suspension_across_a_weekend_moves_the_deadline_by_the_working_time_lost():
    deadline = due(local(2026, 3, 6, 10, 0), "5 working days")
    assert deadline == local(2026, 3, 13, 17, 30)
    paused = CAL.working_minutes_between(local(2026, 3, 6, 16, 0), local(2026, 3, 9, 10, 0))
    assert paused == 180  # Friday 16:00–17:30 and Monday 08:30–10:00; the weekend is free
    assert CAL.shift(deadline, paused, working=True) == local(2026, 3, 16, 11, 30)


def test_working_hours_skip_the_lunch_break_and_nights():
    assert due(local(2026, 3, 10, 11, 0), "2 working hours") == local(2026, 3, 10, 14, 30)
    assert due(local(2026, 3, 10, 20, 0), "1 working hours") == local(2026, 3, 11, 9, 30)


def test_overrides_win_over_the_official_calendar():
    typhoon = date(2026, 3, 11)
    cal = WorkingCalendar(overrides={typhoon: False})
    assert cal.due(local(2026, 3, 10, 17, 0), Duration.parse("1 working hours")) == local(
        2026, 3, 12, 9, 0
    )


def test_a_year_without_the_official_notice_is_reported_and_keeps_fixed_holidays():
    cal = WorkingCalendar()
    deadline = cal.due(local(2026, 12, 30, 10, 0), Duration.parse("3 working days"))
    assert cal.missing_years == {2027}
    assert deadline == local(2027, 1, 5, 17, 30)  # 31 Dec, (1 Jan off), 4 Jan, 5 Jan
    assert not cal.year_is_covered(2027) and cal.year_is_covered(2026)
    assert WorkingCalendar(confirmed_years=frozenset({2027})).year_is_covered(2027)


@pytest.mark.parametrize(
    "text, unit, amount",
    [
        ("5 working days", "working_days", 5),
        ("1 working day", "working_days", 1),
        ("2 working hours", "working_hours", 2),
        ("24 hours", "hours", 24),
        ("30 minutes", "minutes", 30),
        ("0.5 hours", "hours", 0.5),
    ],
)
def test_duration_parsing(text, unit, amount):
    assert Duration.parse(text) == Duration(amount, unit)


@pytest.mark.parametrize("text", ["", "5", "five days", "2.5 working days", "-1 hours", "0 hours"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError):
        Duration.parse(text)


def test_working_periods_are_validated():
    assert parse_periods("13:30-17:30, 08:30-12:00")[0] == (time(8, 30), time(12, 0))
    for bad in ["", "8-12", "12:00-08:00", "08:00-12:00,11:00-13:00"]:
        with pytest.raises(ValueError):
            parse_periods(bad)


# --- properties -----------------------------------------------------------------------------

starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 30)).map(
    lambda d: d.replace(tzinfo=TZ)
)
units = st.sampled_from(["minutes", "hours", "working_hours", "working_days"])


@settings(max_examples=300, deadline=None)
@given(start=starts, unit=units, a=st.integers(1, 60), b=st.integers(1, 60))
def test_adding_time_never_moves_a_deadline_earlier(start, unit, a, b):
    small, large = sorted((a, b))
    assert CAL.due(start, Duration(small, unit)) <= CAL.due(start, Duration(large, unit))
    assert CAL.due(start, Duration(small, unit)) >= start


@settings(max_examples=300, deadline=None)
@given(start=starts, unit=units, amount=st.integers(1, 30), pause=st.integers(0, 20_000))
def test_a_suspension_never_shortens_a_deadline(start, unit, amount, pause):
    deadline = CAL.due(start, Duration(amount, unit))
    working = unit in ("working_hours", "working_days")
    assert CAL.shift(deadline, pause, working=working) >= deadline


@settings(max_examples=300, deadline=None)
@given(
    start=starts, unit=st.sampled_from(["working_hours", "working_days"]), amount=st.integers(1, 40)
)
def test_a_deadline_in_working_time_falls_inside_working_hours(start, unit, amount):
    deadline = CAL.due(start, Duration(amount, unit)).astimezone(TZ)
    assert CAL.is_workday(deadline.date())
    assert any(s <= deadline.time() <= e for s, e in CAL.periods)
    paused = CAL.shift(deadline, amount * 37, working=True).astimezone(TZ)
    assert any(s <= paused.time() <= e for s, e in CAL.periods)


@settings(max_examples=200, deadline=None)
@given(start=starts, minutes=st.integers(1, 5000))
def test_working_minutes_round_trip(start, minutes):
    deadline = CAL.add_working_minutes(start, minutes)
    assert CAL.working_minutes_between(start, deadline) == pytest.approx(minutes)
    assert deadline - start >= timedelta(minutes=minutes)
