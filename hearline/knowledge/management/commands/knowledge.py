"""`hearline knowledge reindex` and `hearline knowledge search TEXT [--public] [--limit N]`

`reindex` rebuilds the search index of every article (after a bulk import or restoring a
database; saving a synonym group does it in the task queue). `search` prints what search
finds for a text, best first: id, audience and title, one per line.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from hearline.knowledge.search import reindex_all, search


class Command(BaseCommand):
    help = "Knowledge base: `reindex` rebuilds the search index, `search` tries a query."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("reindex", help="rebuild the search index of every article")
        find = sub.add_parser("search", help="print the articles a text finds")
        find.add_argument("text")
        find.add_argument("--public", action="store_true", help="as the public sees it")
        find.add_argument("--limit", type=int, default=10)

    def handle(self, *args, subcommand, **options):
        if subcommand == "reindex":
            with transaction.atomic():
                count = reindex_all()
            self.stdout.write(f"indexed {count} articles")
            return
        for article in search(
            options["text"], public_only=options["public"], limit=options["limit"]
        ):
            self.stdout.write(f"{article.pk}\t{article.audience}\t{article.title}")
