"""`hearline ingest-email < message.eml` — take in one e-mail from standard input.

For an MTA pipe (Postfix: `complaints: "|/opt/hearline/.venv/bin/hearline ingest-email"`).
Prints one JSON object: {"tracking_number", "created", "duplicate", "refused_attachments"}.
Exit status 0 when taken in (or already taken in), 65 (EX_DATAERR) for a message with
nothing in it, 75 (EX_TEMPFAIL, the MTA retries later) when the e-mail desk is missing.
"""

import json
import sys

from django.core.management.base import BaseCommand

from hearline.channels.desks import DeskMissing
from hearline.channels.email_in import UnusableEmail, ingest_email

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Read one RFC 822 e-mail from standard input and register or update its case."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read()
        try:
            result = ingest_email(raw)
        except UnusableEmail as exc:
            self.stderr.write(str(exc))
            sys.exit(EX_DATAERR)
        except DeskMissing as exc:
            self.stderr.write(str(exc))
            sys.exit(EX_TEMPFAIL)
        body = {
            "tracking_number": result.case.tracking_number,
            "created": result.created,
            "duplicate": result.duplicate,
            "refused_attachments": list(result.refused_attachments),
        }
        self.stdout.write(json.dumps(body, ensure_ascii=False))
