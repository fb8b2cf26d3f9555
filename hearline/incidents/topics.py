"""The incident kind (topic) of a complaint: a category tied to the kind, else the kind
whose words appear most in the text. Kinds are read once per process and refreshed within
30 s of an administrator's change."""

from __future__ import annotations

from dataclasses import dataclass

from hearline.core.cache import memo

from .models import IncidentKind


@dataclass(frozen=True)
class KindRule:
    id: int
    code: str
    name: str
    terms: tuple[str, ...]
    category_paths: tuple[str, ...]
    department_id: int | None
    department_path: str
    threshold: int
    window_minutes: int
    radius_m: int
    aftermath_of_id: int | None = None  # the kind whose restored incidents it follows
    aftermath_hours: int = 0


@memo(30)
def kind_rules() -> tuple[KindRule, ...]:
    """The active kinds with their words and category paths."""
    kinds = (
        IncidentKind.objects.filter(is_active=True)
        .select_related("department")
        .prefetch_related("categories")
    )
    return tuple(
        KindRule(
            id=k.pk,
            code=k.code,
            name=k.name,
            terms=tuple(k.terms.split()),
            category_paths=tuple(c.path for c in k.categories.all()),
            department_id=k.department_id,
            department_path=k.department.path if k.department else "",
            threshold=max(1, k.threshold),
            window_minutes=k.window_minutes,
            radius_m=k.radius_m,
            aftermath_of_id=k.aftermath_of_id,
            aftermath_hours=k.aftermath_hours,
        )
        for k in kinds
    )


def kind_by_id(kind_id: int) -> KindRule | None:
    """The active kind with this id, or None (inactive or deleted)."""
    return next((k for k in kind_rules() if k.id == kind_id), None)


def topic_of(text: str, category_path: str | None) -> KindRule | None:
    """The kind this complaint is about, or None."""
    rules = kind_rules()
    if category_path:
        for rule in rules:
            if any(category_path.startswith(p) for p in rule.category_paths):
                return rule
    best, best_hits = None, 0
    for rule in rules:
        hits = sum(1 for term in rule.terms if term in text)
        if hits > best_hits:
            best, best_hits = rule, hits
    return best
