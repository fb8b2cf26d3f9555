"""The knowledge base in the REST API: search and read articles. Anonymous callers (a city's
app, the public) see only articles published to the public; staff and integrations signed
in with a token or a session see the staff-only ones too."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError

from hearline.knowledge.access import is_staff_reader
from hearline.knowledge.models import Article, ArticleStatus, Audience
from hearline.knowledge.search import search
from hearline.knowledge.texts import public_link

from .auth import user_for_token
from .schemas import ERRORS

router = Router(tags=["knowledge"])


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    documents: list[str]
    applies_to: str
    fees: str
    time_limit: str
    responsible_department: str | None
    legal_basis: str
    body: str
    tags: list[str]
    audience: str
    url: str | None
    updated_at: datetime


class ArticleSearch(Schema):
    q: str = Field(..., min_length=1, max_length=500)
    limit: int = Field(10, ge=1, le=50)


def _staff_caller(request) -> bool:
    """Whether staff-only articles may be shown: a valid token of a staff account, or a staff
    session. A token that is not valid is refused (401), not read as anonymous."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_for_token(header.removeprefix("Bearer ").strip())
        if user is None:
            raise AuthenticationError
        return is_staff_reader(user)
    return is_staff_reader(getattr(request, "user", None))


def _out(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "summary": article.summary,
        "documents": article.documents,
        "applies_to": article.applies_to,
        "fees": article.fees,
        "time_limit": article.time_limit,
        "responsible_department": article.responsible_department.name
        if article.responsible_department is not None
        else None,
        "legal_basis": article.legal_basis,
        "body": article.body,
        "tags": article.tags,
        "audience": article.audience,
        "url": public_link(article) if article.is_public else None,
        "updated_at": article.updated_at,
    }


@router.get(
    "/articles",
    response={200: list[ArticleOut], **ERRORS},
    summary="Search the knowledge base",
    auth=None,
)
def search_articles(request, params: Query[ArticleSearch]):
    """Published articles answering `q`, best first (public ones only without sign-in)."""
    found = search(params.q, public_only=not _staff_caller(request), limit=params.limit)
    return [_out(a) for a in found]


@router.get(
    "/articles/{article_id}",
    response={200: ArticleOut, **ERRORS},
    summary="One published article",
    auth=None,
)
def read_article(request, article_id: int):
    """A published article; a staff-only one is not found for anonymous callers."""
    article = (
        Article.objects.select_related("responsible_department")
        .filter(pk=article_id, status=ArticleStatus.PUBLISHED)
        .first()
    )
    if article is None or (article.audience != Audience.PUBLIC and not _staff_caller(request)):
        raise Http404
    return _out(article)
