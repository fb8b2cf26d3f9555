"""The knowledge base on the citizen portal: public articles, and the answers to offer for
what a citizen writes (the portal's form shows them: `hearline.web.portal_answers`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Article, ArticleStatus, Audience
from .search import search

SUGGESTED = 3
MIN_QUESTION = 4


def public_answers(text: str) -> list[Article]:
    """The public articles that answer a citizen's text (none for a few characters)."""
    text = (text or "").strip()
    return search(text, public_only=True, limit=SUGGESTED) if len(text) >= MIN_QUESTION else []


@require_GET
def public_article(request, article_id: int):
    """A public, published article; anything else is not found."""
    article = (
        Article.objects.select_related("responsible_department")
        .filter(pk=article_id, status=ArticleStatus.PUBLISHED, audience=Audience.PUBLIC)
        .first()
    )
    if article is None:
        raise Http404
    return render(request, "knowledge/public_article.html", {"article": article})
