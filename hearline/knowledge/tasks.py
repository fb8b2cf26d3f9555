"""Knowledge-base work in the Huey consumer."""

from django.db import transaction
from huey.contrib.djhuey import db_task, lock_task


@db_task()
@lock_task("knowledge-reindex")
def reindex_articles() -> int:
    """Re-index every article (after the synonyms changed)."""
    from .search import reindex_all
    from .segment import synonym_groups

    synonym_groups.clear()
    with transaction.atomic():
        return reindex_all()
