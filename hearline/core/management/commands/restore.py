"""`hearline restore FILE --to DATABASE_URL`: restore a backup made by `hearline backup` into
an empty database of the same engine (a new SQLite file, or a PostgreSQL database with no
tables), in one transaction. Prints what the restored database holds as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from config.settings.base import database_from_url
from hearline.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore FILE into the empty database at --to (a DATABASE_URL)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--to", required=True, help="the empty target, as a DATABASE_URL")

    def handle(self, *args, file, to, **options):
        try:
            held = restore(file, database_from_url(to))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"cases": held.cases, "events": held.events}))
