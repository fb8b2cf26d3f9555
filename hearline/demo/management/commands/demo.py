"""`hearline demo`: load the demo organisation and about 300 cases in every state."""

from django.core.management.base import BaseCommand

from hearline.accounts.models import Department
from hearline.demo.builder import build_demo
from hearline.demo.organisation import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Load the demo organisation, users and cases (refuses a non-empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=300, help="number of cases (default 300)")
        parser.add_argument("--seed", type=int, default=12345, help="random seed")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already has data",
        )
        parser.add_argument("--logins", action="store_true", help="only print the demo logins")

    def handle(self, *args, cases, seed, if_empty, logins, **options):
        if logins:
            for username, full_name, _, _, what in USERS:
                self.stdout.write(f"    {username:<18} {full_name:<6} {what}")
            return
        if Department.objects.exists():
            if if_empty:
                self.stdout.write("Database already has data; demo not loaded.")
                return
            self.stderr.write("The database is not empty; the demo loads only into an empty one.")
            raise SystemExit(1)
        made = build_demo(cases, seed)
        self.stdout.write(
            f"Demo loaded: {len(USERS)} users (password {DEMO_PASSWORD}), {made} cases."
        )
