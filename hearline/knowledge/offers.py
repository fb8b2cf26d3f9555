"""What the knowledge base offers for one case: matching articles and reply templates."""

from __future__ import annotations

from django.db.models import Q

from hearline.cases.models import Case

from .models import ReplyTemplate
from .search import search


def case_question(case: Case) -> str:
    """The words a case asks about: its subject, then its text."""
    return f"{case.title} {case.description}"


def articles_for_case(case: Case, *, public_only: bool, limit: int = 3):
    """The published articles that best answer the case."""
    return search(case_question(case), public_only=public_only, limit=limit)


def templates_for_case(case: Case):
    """Active templates for the case's category (or a category above it, or any) and its
    resolution type (or any), most specific first."""
    categories = case.category.ancestor_ids() if case.category is not None else []
    return (
        ReplyTemplate.objects.filter(active=True)
        .filter(Q(categories__isnull=True) | Q(categories__in=categories))
        .filter(Q(resolution_type="") | Q(resolution_type=case.resolution_type))
        .distinct()
        .order_by("-resolution_type", "name")
    )
