"""`hearline sla due` prints one ISO 8601 deadline with its offset."""

import pytest
from django.core.management import CommandError, call_command


def _due(capsys, *args):
    call_command("sla", "due", *args)
    return capsys.readouterr()


@pytest.mark.parametrize(
    "start, duration, expected",
    [
        ("2026-02-13T16:00", "5 working days", "2026-02-27T17:30:00+08:00"),
        ("2026-02-13T16:00", "2 working hours", "2026-02-14T09:00:00+08:00"),
        ("2026-02-13T16:00", "24 hours", "2026-02-14T16:00:00+08:00"),
        ("2026-02-13T08:00:00+00:00", "2 working hours", "2026-02-14T09:00:00+08:00"),
    ],
)
def test_due(db, capsys, start, duration, expected):
    assert _due(capsys, "--from", start, "--duration", duration).out == expected + "\n"


def test_missing_calendar_year_is_warned_on_stderr(db, capsys):
    out = _due(capsys, "--from", "2026-12-30T10:00", "--duration", "3 working days")
    assert out.out == "2027-01-05T17:30:00+08:00\n" and "2027" in out.err


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "yesterday", "--duration", "1 hours"),
        ("--from", "2026-02-13T16:00", "--duration", "5 fortnights"),
    ],
)
def test_bad_input_is_a_clear_error(db, args):
    with pytest.raises(CommandError) as exc:
        call_command("sla", "due", *args)
    assert exc.value.returncode == 2
