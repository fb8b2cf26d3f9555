"""Stale articles: the owner department is told once when an article's review date passes."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hearline.accounts.models import User
from hearline.accounts.roles import Role
from hearline.notify.actions import notify_staff
from hearline.notify.models import (
    NotificationKind,
    Purpose,
)
from hearline.sla.notices import supervisors_above

from .models import Article, StaleNotice
from .stats import stale


def reviewers(article: Article) -> list[User]:
    """Who keeps the article up to date: the supervisors at the nearest level at or above
    the owner department that has any, else the owner department's handlers."""
    return supervisors_above(article.owner) or list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.HANDLER, department=article.owner
        )
    )


def _text(article: Article) -> str:
    return _(
        "The article “%(title)s” was due for review on %(date)s: check it, then set a new "
        "review date or withdraw it."
    ) % {"title": article.title, "date": article.review_by.isoformat()}


def _notify(article: Article) -> int:
    people = reviewers(article)
    StaleNotice.objects.create(article=article, review_by=article.review_by, recipients=len(people))
    text = _text(article)
    link = f"{settings.HEARLINE_PUBLIC_URL.rstrip('/')}/staff/kb/{article.pk}/"
    notify_staff(
        people,
        kind=NotificationKind.ARTICLE_REVIEW,
        purpose=Purpose.ARTICLE_REVIEW,
        text=text,
        subject=_("Article due for review: %(title)s") % {"title": article.title[:150]},
        body=f"{text}\n{link}",
    )
    return len(people)


def do_notify_stale_articles() -> int:
    """Tell the owners of every published article whose review date has passed and who have
    not been told for that date (an in-app notice each, and an e-mail to those with an
    address, sent after commit). Each article in its own transaction; running twice, or in
    two workers at once, tells nobody twice. Returns how many articles were flagged."""
    flagged = 0
    told = StaleNotice.objects.values("article_id", "review_by")
    done = {(row["article_id"], row["review_by"]) for row in told}
    for article in stale().select_related("owner"):
        if (article.pk, article.review_by) in done:
            continue
        try:
            with transaction.atomic():
                _notify(article)
        except IntegrityError:
            continue  # another worker told them first
        flagged += 1
    return flagged
