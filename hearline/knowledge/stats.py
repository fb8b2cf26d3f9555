"""How the knowledge base is used and where it falls short: closures and reopenings per
article, sends, portal deflections; stale articles; frequent questions with no article."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from hearline.analytics.models import Rollup, TermDay
from hearline.cases.models import CaseEvent, Category

from .models import Article, ArticleStatus, Deflection, KnowledgeUse, UseKind
from .search import search

GAP_DAYS = 90
TERM_DAYS = 30


def _closures():
    """Closing-on-the-spot uses, each marked whether its case was reopened afterwards."""
    reopened_after = CaseEvent.objects.filter(
        case_id=OuterRef("case_id"), action="reopen", seq__gt=OuterRef("seq")
    )
    return KnowledgeUse.objects.filter(kind=UseKind.CLOSED).annotate(
        reopened=Exists(reopened_after)
    )


def usage(article: Article) -> dict:
    """Cases the article closed on the spot and how many of them were reopened since, how
    often it was sent, and the portal's verdicts."""
    closures = _closures().filter(article=article)
    verdicts = Deflection.objects.filter(article=article).aggregate(
        solved_count=Count("pk", filter=Q(solved=True)),
        not_solved_count=Count("pk", filter=Q(solved=False)),
    )
    return {
        "closed": closures.count(),
        "reopened": closures.filter(reopened=True).count(),
        "sent": KnowledgeUse.objects.filter(article=article, kind=UseKind.SENT).count(),
        "solved": verdicts["solved_count"],
        "not_solved": verdicts["not_solved_count"],
    }


def answering_articles(limit: int = 10) -> list[dict]:
    """The articles that closed the most cases on the spot, with how many of those cases
    were reopened and how many citizens the article answered on the portal."""
    rows = list(
        _closures()
        .values("article_id")
        .annotate(closed=Count("pk"), reopened_cases=Count("pk", filter=Q(reopened=True)))
        .order_by("-closed", "article_id")[:limit]
    )
    ids = [row["article_id"] for row in rows]
    articles = Article.objects.in_bulk(ids)
    solved = dict(
        Deflection.objects.filter(article_id__in=ids, solved=True)
        .values("article_id")
        .annotate(n=Count("pk"))
        .values_list("article_id", "n")
    )
    return [
        {
            "article": articles[row["article_id"]],
            "closed": row["closed"],
            "reopened": row["reopened_cases"],
            "solved_on_portal": solved.get(row["article_id"], 0),
        }
        for row in rows
    ]


def stale(owners=None):
    """Published articles whose review date has passed, oldest first (of `owners` when
    given: a queryset of departments)."""
    found = Article.objects.filter(
        status=ArticleStatus.PUBLISHED, review_by__lt=timezone.localdate()
    ).select_related("owner")
    if owners is not None:
        found = found.filter(owner__in=owners)
    return found.order_by("review_by")


def uncovered_categories(limit: int = 10) -> list[dict]:
    """The categories with the most cases in the last GAP_DAYS days that no published
    article covers (read from the analytics rollup, not the cases)."""
    since = timezone.localdate() - timedelta(days=GAP_DAYS)
    covered = set(
        Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list("categories", flat=True)
    )
    volumes = (
        Rollup.objects.filter(day__gte=since)
        .exclude(category_id__in=covered | {0})
        .values("category_id")
        .annotate(cases=Sum("volume"))
        .order_by("-cases")[: limit * 2]
    )
    names = Category.objects.in_bulk([row["category_id"] for row in volumes])
    return [
        {"category": names[row["category_id"]], "cases": row["cases"]}
        for row in volumes
        if row["category_id"] in names and row["cases"]
    ][:limit]


def uncovered_terms(limit: int = 10) -> list[dict]:
    """The words most cases used in the last TERM_DAYS days for which search finds no
    published article."""
    since = timezone.localdate() - timedelta(days=TERM_DAYS)
    frequent = (
        TermDay.objects.filter(day__gte=since)
        .values("term")
        .annotate(cases=Sum("cases"))
        .order_by("-cases", "term")[: limit * 5]
    )
    gaps = []
    for row in frequent:
        if len(row["term"]) > 1 and not search(row["term"], public_only=False, limit=1):
            gaps.append(row)
        if len(gaps) == limit:
            break
    return gaps
