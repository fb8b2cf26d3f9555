"""`hearline apikey create --name NAME --role ROLE [--department CODE]` and `hearline apikey
revoke --name NAME`. The new token is printed once, on its own line."""

from django.core.management.base import BaseCommand, CommandError

from hearline.api.actions import do_create_api_token, do_revoke_api_token
from hearline.api.models import ApiToken


class Command(BaseCommand):
    help = "Create or revoke integration tokens (also usable as Open311 api_key)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create")
        create.add_argument("--name", required=True)
        create.add_argument("--role", required=True)
        create.add_argument("--department")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("--name", required=True)

    def handle(self, *args, subcommand, name, role=None, department=None, **options):
        if subcommand == "create":
            try:
                _token, raw = do_create_api_token(name=name, role=role, department_code=department)
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from None
            self.stdout.write(raw)
            return
        token = ApiToken.objects.filter(name=name, revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"no active token named {name!r}", returncode=2)
        do_revoke_api_token(token)
        self.stdout.write(f"revoked {name}")
