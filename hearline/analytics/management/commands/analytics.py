"""`hearline analytics rebuild [--if-missing] [--since YYYY-MM-DD]`, `hearline analytics check`
and `hearline analytics report [--month YYYY-MM] [--out FILE]`

`rebuild` recomputes the rollups the figures are read from (needed once for cases registered
before the rollups existed; `--if-missing` does it only when some case has no facts yet).
`check` compares the rollups with a recomputation from the cases and exits 1 on a difference.
`report` generates and archives a month's report (the schedule does it on the 1st).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from hearline.analytics.models import CaseFacts
from hearline.analytics.monthly import do_archive_monthly_report, last_month
from hearline.analytics.recompute import kept, projections_differing, recomputed
from hearline.analytics.rollup import rebuild
from hearline.cases.models import Case


class Command(BaseCommand):
    help = "Analytics rollups: `rebuild` recomputes them, `check` verifies them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        again = sub.add_parser("rebuild", help="recompute the rollups from the cases")
        again.add_argument("--since", type=date.fromisoformat, help="first registration day")
        again.add_argument(
            "--if-missing", action="store_true", help="only when some case has no facts yet"
        )
        sub.add_parser("check", help="compare the rollups with a recomputation")
        report = sub.add_parser("report", help="generate and archive a monthly report")
        report.add_argument(
            "--month", type=_month, help="YYYY-MM (default: last month)", default=None
        )
        report.add_argument("--out", help="also write the PDF to this file")

    def handle(self, *args, subcommand, **options):
        if subcommand == "report":
            archived = do_archive_monthly_report(options["month"] or last_month())
            if options["out"]:
                with open(options["out"], "wb") as out:
                    out.write(bytes(archived.pdf))
            self.stdout.write(f"archived the report of {archived.month:%Y-%m}")
            return
        if subcommand == "check":
            differing = _differences()
            if differing:
                raise CommandError(f"{differing} slice(s) differ from the cases", returncode=1)
            self.stdout.write("rollups match the cases")
            return
        if options["if_missing"] and CaseFacts.objects.count() == Case.objects.count():
            return
        count = rebuild(since=options["since"])
        self.stdout.write(f"rebuilt the rollups of {count} cases")


def _month(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


def _differences() -> int:
    have, want = kept(), recomputed()
    differing = sum(1 for key in have.keys() | want.keys() if have.get(key) != want.get(key))
    return differing + projections_differing()
