"""Knowledge-base work in the Huey consumer."""

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from .review import do_notify_stale_articles
from .search import reindex_all
from .segment import synonym_groups


@db_task()
@lock_task("knowledge-reindex")
def reindex_articles() -> int:
    """Re-index every article (after the synonyms changed)."""
    synonym_groups.clear()
    with transaction.atomic():
        return reindex_all()


@db_periodic_task(crontab(hour="7", minute="30"))
@lock_task("knowledge-stale")
def flag_stale_articles() -> int:
    """Every morning at 07:30, the owners of articles past their review date are told."""
    return do_notify_stale_articles()
