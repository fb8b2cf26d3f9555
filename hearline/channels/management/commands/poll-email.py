"""`hearline poll-email` — take in the unseen messages of the configured IMAP mailbox
(HEARLINE_IMAP_HOST …); the Huey consumer runs the same every minute when it is set."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hearline.channels.imap import poll_mailbox


class Command(BaseCommand):
    help = "Poll the IMAP mailbox once and register or update the cases of new e-mails."

    def handle(self, *args, **options):
        if not settings.HEARLINE_IMAP.get("HOST"):
            raise CommandError("no mailbox configured: set HEARLINE_IMAP_HOST and friends")
        result = poll_mailbox()
        self.stdout.write(json.dumps(result.__dict__))
