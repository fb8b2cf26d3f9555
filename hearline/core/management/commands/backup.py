"""`hearline backup FILE`: a consistent copy of the running database (SQLite: a database file
made with the online backup API; PostgreSQL: a pg_dump custom archive). Prints what it holds
as JSON: {"vendor": …, "cases": …, "events": …}. The system keeps serving meanwhile."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hearline.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the running database to FILE (which must not exist)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            held = backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        result = {"vendor": connection.vendor, "cases": held.cases, "events": held.events}
        self.stdout.write(json.dumps(result))
