"""`hearline sla due --from 2026-02-13T16:00 --duration "5 working days"`

Prints the deadline under the default organisation's working calendar as one ISO 8601
timestamp with its offset. `--from` is local time (the organisation's time zone) unless it
carries an offset; it defaults to now. Exit status 2 with a message on bad input.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hearline.sla.calendar import Duration
from hearline.sla.calendars import default_calendar


class Command(BaseCommand):
    help = "Time-limit tools: `due` computes a deadline on the working calendar."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        due = sub.add_parser("due", help="print the deadline for a duration from a moment")
        due.add_argument("--from", dest="start", help="start, ISO 8601 (local unless offset)")
        due.add_argument(
            "--duration",
            required=True,
            help='"5 working days", "2 working hours", "24 hours", "30 minutes"',
        )

    def handle(self, *args, subcommand, start=None, duration=None, **options):
        calendar = default_calendar()
        try:
            length = Duration.parse(duration)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if start:
            try:
                moment = datetime.fromisoformat(start)
            except ValueError:
                raise CommandError(
                    f"cannot read --from {start!r}: use ISO 8601, e.g. 2026-02-13T16:00",
                    returncode=2,
                ) from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=calendar.tz)
        else:
            moment = timezone.now()
        deadline = calendar.due(moment, length)
        if calendar.missing_years:
            years = ", ".join(str(y) for y in sorted(calendar.missing_years))
            self.stderr.write(
                f"warning: no official holiday calendar for {years}; assumed Monday–Friday "
                "without the fixed-date holidays (enter the official notice as overrides)"
            )
        self.stdout.write(deadline.isoformat())
