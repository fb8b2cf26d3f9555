"""Suggestions for a complaint text: category and department with confidence and the top
three, the routing rule that applies, and the lexicon's flags.

Models and configuration are read once per process and refreshed within 30 s of a change
(a new model trained in another process, a lexicon term edited in admin).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings

from hearline.accounts.models import Department
from hearline.cases.models import Category
from hearline.core.cache import memo

from .models import LexiconTerm, RoutingRule, Target, TriageModel

if TYPE_CHECKING:
    from .classifier import Ranked

_loaded: dict[str, tuple[int, object]] = {}
_load_lock = threading.Lock()


@memo(30)
def _active_model_id(target: str) -> int | None:
    return (
        TriageModel.objects.filter(target=target, is_active=True)
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )


def active_pipeline(target: str) -> tuple[int | None, object | None]:
    """(model id, fitted pipeline) of the newest active model of `target`, or (None, None)."""
    pk = _active_model_id(target)
    if pk is None:
        return None, None
    with _load_lock:
        held = _loaded.get(target)
        if held is None or held[0] != pk:  # one model per target in memory
            from .classifier import loads  # scikit-learn: loaded when a model is first used

            artifact = TriageModel.objects.values_list("artifact", flat=True).get(pk=pk)
            held = _loaded[target] = (pk, loads(bytes(artifact)))
        return held


@memo(30)
def lexicon() -> tuple[tuple[str, str], ...]:
    """(term, kind) pairs of the active lexicon."""
    return tuple(LexiconTerm.objects.filter(is_active=True).values_list("term", "kind"))


@memo(30)
def routing_rules() -> tuple[RoutingRule, ...]:
    return tuple(
        RoutingRule.objects.filter(is_active=True).select_related("category", "department")
    )


@memo(30)
def _categories_by_code() -> dict[str, tuple[int, str, str]]:
    """code → (id, name, path) of the active categories."""
    return {c.code: (c.pk, c.name, c.path) for c in Category.objects.filter(is_active=True)}


@memo(30)
def _departments_by_code() -> dict[str, tuple[int, str]]:
    """code → (id, name) of the departments."""
    return {d.code: (d.pk, d.name) for d in Department.objects.all()}


def flags_for(text: str) -> dict[str, list[str]]:
    """Lexicon kinds found in the text, each with the terms that matched."""
    found: dict[str, list[str]] = {}
    lowered = (text or "").lower()
    for term, kind in lexicon():
        if term.lower() in lowered:
            found.setdefault(kind, []).append(term)
    return found


def matching_rule(*, category_code: str | None, district: str, text: str) -> RoutingRule | None:
    """The first active routing rule (by priority) whose conditions all hold."""
    path = _categories_by_code().get(category_code or "", (None, None, None))[2]
    for rule in routing_rules():
        if rule.matches(category_path=path, district=district, text=text):
            return rule
    return None


@dataclass
class Suggestion:
    category: dict | None = None  # {code, name, id, confidence}
    category_top: list[dict] = field(default_factory=list)
    category_model: int | None = None
    department: dict | None = None  # {code, name, id, confidence | rule}
    department_top: list[dict] = field(default_factory=list)
    department_model: int | None = None
    rule: dict | None = None  # {id, name, automatic}
    urgency: dict | None = None  # {level, confidence}: the urgency model's view
    urgency_model: int | None = None
    flags: dict[str, list[str]] = field(default_factory=dict)
    needs_review: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _ranked(target: str, text: str) -> tuple[int | None, list[Ranked]]:
    pk, pipeline = active_pipeline(target)
    if pipeline is None or not text.strip():
        return pk, []
    from .classifier import predict_top  # scikit-learn, as in active_pipeline

    return pk, predict_top(pipeline, [text], k=3)[0]


def _described(ranked: list[Ranked], known: dict[str, tuple]) -> list[dict]:
    """Ranked codes as {code, name, id, confidence}, leaving out codes no longer known."""
    return [
        {
            "code": r.label,
            "name": known[r.label][1],
            "id": known[r.label][0],
            "confidence": r.probability,
        }
        for r in ranked
        if r.label in known
    ]


def suggest(text: str, *, district: str = "", category_code: str | None = None) -> Suggestion:
    """Everything triage can say about a complaint before it is registered. Below
    HEARLINE_TRIAGE_THRESHOLD confidence, `needs_review` is set and the top three are
    what a person chooses from."""
    result = Suggestion(flags=flags_for(text))
    categories = _categories_by_code()
    pk, ranked = _ranked(Target.CATEGORY, text)
    result.category_model = pk
    result.category_top = _described(ranked, categories)
    if result.category_top:
        result.category = dict(result.category_top[0])
    chosen_category = category_code or (result.category or {}).get("code")
    rule = matching_rule(category_code=chosen_category, district=district, text=text)
    if rule is not None:
        result.rule = {"id": rule.pk, "name": rule.name, "automatic": rule.automatic}
        result.department = {
            "code": rule.department.code,
            "name": rule.department.name,
            "id": rule.department_id,
            "confidence": 1.0,
        }
    else:
        pk, ranked = _ranked(Target.DEPARTMENT, text)
        result.department_model = pk
        result.department_top = _described(ranked, _departments_by_code())
        if result.department_top:
            result.department = dict(result.department_top[0])
    pk, ranked = _ranked(Target.URGENCY, text)
    result.urgency_model = pk
    if ranked:
        result.urgency = {"level": ranked[0].label, "confidence": ranked[0].probability}
    threshold = settings.HEARLINE_TRIAGE_THRESHOLD
    result.needs_review = (
        result.category is None
        or result.category["confidence"] < threshold
        or result.department is None
        or result.department["confidence"] < threshold
    )
    return result


def clear_caches() -> None:
    """Forget models and configuration read so far (tests; after training in-process)."""
    for cached in (
        _active_model_id,
        lexicon,
        routing_rules,
        _categories_by_code,
        _departments_by_code,
    ):
        cached.clear()
    with _load_lock:
        _loaded.clear()
