"""The knowledge base on the citizen portal: public articles, the answers offered while a
citizen writes a complaint, and their verdict on them (a deflection when one solved it)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from hearline.cases.workflow import NotFound
from hearline.web.views import render_kept_form

from .actions import do_record_deflection
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


@require_GET
def suggest(request):
    """The answers for the complaint being typed (htmx, on the submission form)."""
    return render(
        request,
        "knowledge/_public_suggestions.html",
        {"answers": public_answers(request.GET.get("description", ""))},
    )


@require_POST
def article_verdict(request, article_id: int):
    """The citizen's verdict on an offered article, posted with the whole complaint form:
    solved → recorded and thanked, no case; not solved → recorded, and the form comes back
    with everything they wrote (photos aside), to submit. (The portal's "not solved" button
    submits the complaint itself; this answer is for a verdict posted without one.)"""
    solved = request.POST.get("solved") == "1"
    try:
        do_record_deflection(
            article_id, solved=solved, question=request.POST.get("description", "")
        )
    except NotFound:
        raise Http404 from None
    if solved:
        article = Article.objects.get(pk=article_id)
        return render(request, "knowledge/deflected.html", {"article": article})
    return render_kept_form(request, declined=True, kept=True)
