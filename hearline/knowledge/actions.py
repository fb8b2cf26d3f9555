"""Writing the knowledge base: articles (every change a version), reply templates, the
portal's deflections, and the record of articles and templates used on cases."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from hearline.accounts.models import Department, User
from hearline.cases import queries
from hearline.cases.models import Case
from hearline.cases.models.cases import ResolutionType, Satisfaction
from hearline.cases.workflow import Capacity, Conflict, InvalidInput, NotAllowed, NotFound, State
from hearline.core.ids import as_id
from hearline.core.privacy import redact_text

from .access import WHOLE_BASE_ROLES, may_edit, may_manage_templates, may_publish
from .models import (
    Article,
    ArticleStatus,
    ArticleVersion,
    Audience,
    Deflection,
    KnowledgeUse,
    ReplyTemplate,
    SynonymGroup,
)
from .placeholders import unknown_placeholders
from .search import index_article
from .segment import synonym_groups
from .tasks import reindex_articles

TEXT_FIELDS = ("title", "summary", "body", "applies_to", "fees", "time_limit", "legal_basis")
LIST_FIELDS = ("documents", "tags")
FIELDS = (
    *TEXT_FIELDS,
    *LIST_FIELDS,
    "responsible_department",
    "owner",
    "audience",
    "status",
    "review_by",
)
REQUIRED = ("title", "summary", "owner", "review_by")
REVIEW_PERIOD = timedelta(days=365)
WELL_RATED = frozenset({Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED})
ANSWERED = frozenset({State.CONFIRMED, State.FOLLOWED_UP, State.ARCHIVED})


def _plain(value):
    if isinstance(value, Department):
        return {"id": value.pk, "name": value.name}
    if isinstance(value, date):
        return value.isoformat()
    return value


def _snapshot(article: Article, category_ids: list[int]) -> dict:
    content = {name: _plain(getattr(article, name)) for name in FIELDS}
    content["categories"] = sorted(category_ids)
    return content


def _check(values: dict) -> dict:
    """The values cleaned (text stripped, lists of non-empty strings), or InvalidInput."""
    errors: dict[str, str] = {}
    cleaned = dict(values)
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    for name in LIST_FIELDS:
        if name in cleaned:
            items = cleaned[name] or []
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                errors[name] = "invalid_list"
            else:
                cleaned[name] = [i.strip() for i in items if i.strip()]
    for name in REQUIRED:
        if name in cleaned and cleaned[name] in (None, ""):
            errors[name] = "required"
    if len(cleaned.get("title", "")) > 200:
        errors["title"] = "too_long"
    if cleaned.get("audience", Audience.STAFF) not in Audience.values:
        errors["audience"] = "invalid_choice"
    if cleaned.get("status", ArticleStatus.DRAFT) not in ArticleStatus.values:
        errors["status"] = "invalid_choice"
    if errors:
        raise InvalidInput("invalid article", fields=errors)
    return cleaned


def do_save_article(
    *,
    acting_user: User,
    values: dict,
    categories: list | None = None,
    article_id: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Article:
    """Create (no `article_id`) or change an article and append its version, in one
    transaction, and re-index it. The user must be allowed to edit articles of both the old
    and the new owner; publishing, withdrawing or changing a published article needs the
    right to publish. An edit prepared on an older version raises Conflict; a save that
    changes nothing writes no version. Returns the article."""
    cleaned = _check(values)
    with transaction.atomic():
        article: Article | None
        if article_id is None:
            article = Article(updated_at=timezone.now())
            for name in REQUIRED:
                if name not in cleaned:
                    raise InvalidInput("invalid article", fields={name: "required"})
            old_categories: list[int] = []
            before = None
        else:
            article = Article.objects.select_for_update().filter(pk=article_id).first()
            if article is None or not may_edit(acting_user, article.owner):
                raise NotFound("no such article")
            if expected_version is not None and expected_version != article.version:
                raise Conflict("the article was changed by someone else", version=article.version)
            old_categories = list(article.categories.values_list("pk", flat=True))
            before = _snapshot(article, old_categories)
        for name, value in cleaned.items():
            if name in FIELDS:
                setattr(article, name, value)
        new_categories = (
            sorted(c.pk for c in categories) if categories is not None else old_categories
        )
        after = _snapshot(article, new_categories)
        changed = [name for name in after if before is None or before[name] != after[name]]
        if not changed:
            return article
        if not may_edit(acting_user, article.owner):
            raise NotAllowed("you may not write articles of this department")
        published = ArticleStatus.PUBLISHED in (article.status, (before or {}).get("status"))
        if (published or "status" in changed and before) and not may_publish(
            acting_user, article.owner
        ):
            raise NotAllowed("publishing is for supervisors and managers")
        if before is not None:
            article.version += 1
        article.updated_at, article.updated_by = timezone.now(), acting_user
        article.save()
        if categories is not None:
            article.categories.set(categories)
        ArticleVersion.objects.create(
            article=article,
            number=article.version,
            actor=acting_user,
            changed=changed,
            note=note.strip()[:300],
            content=after,
        )
        index_article(article)
    return article


def is_well_rated(case: Case) -> bool:
    """A reply the complainant rated (basically) satisfied, on an answered case."""
    return case.state in ANSWERED and case.satisfaction in WELL_RATED and bool(case.reply)


def may_draft_article(user: User, case: Case) -> bool:
    """Whether the user may turn this case's reply into a draft article now."""
    return is_well_rated(case) and bool(
        queries.capacities(user, case) & {Capacity.HANDLER, Capacity.SUPERVISOR}
    )


def do_draft_article_from_case(case_id: int, *, acting_user: User) -> Article:
    """Turn the reply of a case the complainant rated satisfied into a draft article (title,
    answer, finding and resolution, category, the department as owner), for its handler or
    supervisor. Asking twice gives the same draft."""
    case = queries.access_case(acting_user, case_id)
    if not queries.capacities(acting_user, case) & {Capacity.HANDLER, Capacity.SUPERVISOR}:
        raise NotAllowed("drafts are made by the case's handlers and supervisors")
    if not is_well_rated(case):
        raise InvalidInput("reply not rated well", fields={"case": "not_well_rated"})
    existing = Article.objects.filter(source_case=case).first()
    if existing is not None:
        return existing
    body = "\n\n".join(part for part in (case.finding, case.resolution) if part)
    article = do_save_article(
        values={
            "title": case.title,
            "summary": case.reply,
            "body": body,
            "owner": case.department,
            "responsible_department": case.department,
            "review_by": timezone.localdate() + REVIEW_PERIOD,
        },
        categories=[case.category] if case.category_id else [],
        note=f"drafted from case {case.tracking_number}",
        acting_user=acting_user,
    )
    Article.objects.filter(pk=article.pk).update(source_case=case)
    article.source_case = case
    return article


def published_article(ref, *, public_only: bool) -> Article:
    """The published article `ref` (an id) names, or InvalidInput naming `article`."""
    pk = as_id(ref)
    article = Article.objects.filter(pk=pk, status=ArticleStatus.PUBLISHED).first() if pk else None
    if article is None:
        raise InvalidInput("unknown article", fields={"article": "unknown_article"})
    if public_only and article.audience != Audience.PUBLIC:
        raise InvalidInput("not a public article", fields={"article": "not_public"})
    return article


def active_template(ref) -> ReplyTemplate:
    """The active reply template `ref` (an id) names, or InvalidInput naming `template`."""
    pk = as_id(ref)
    template = ReplyTemplate.objects.filter(pk=pk, active=True).first() if pk else None
    if template is None:
        raise InvalidInput("unknown template", fields={"template": "unknown_template"})
    return template


def record_use(case: Case, *, seq: int, kind: str, actor, article=None, template=None) -> None:
    """Note that a step of a case (the event `seq`) used an article or a template (in the
    step's transaction)."""
    KnowledgeUse.objects.create(
        case=case, seq=seq, kind=kind, actor=actor, article=article, template=template
    )


def do_record_deflection(article_id: int, *, solved: bool, question: str = "") -> Deflection:
    """Record whether a public article answered a citizen on the portal; their question is
    kept with phone and ID numbers masked. Only public, published articles count."""
    article = Article.objects.filter(
        pk=article_id, status=ArticleStatus.PUBLISHED, audience=Audience.PUBLIC
    ).first()
    if article is None:
        raise NotFound("no such article")
    return Deflection.objects.create(
        article=article, solved=solved, question=redact_text((question or "").strip())[:300]
    )


def do_save_template(
    *,
    acting_user: User,
    values: dict,
    categories: list | None = None,
    template_id: int | None = None,
) -> ReplyTemplate:
    """Create or change a reply template (supervisors, managers, administrators). A
    placeholder the system does not know is refused, naming it."""
    if not may_manage_templates(acting_user):
        raise NotAllowed("reply templates are written by supervisors and managers")
    errors = {}
    name, body = (values.get("name") or "").strip(), (values.get("body") or "").strip()
    if not name:
        errors["name"] = "required"
    if not body:
        errors["body"] = "required"
    elif unknown_placeholders(body):
        errors["body"] = "unknown_placeholder"
    resolution_type = values.get("resolution_type") or ""
    if resolution_type and resolution_type not in ResolutionType.values:
        errors["resolution_type"] = "invalid_choice"
    if errors:
        raise InvalidInput(
            "invalid template", fields=errors, unknown=unknown_placeholders(body) if body else []
        )
    with transaction.atomic():
        template: ReplyTemplate | None
        if template_id is None:
            template = ReplyTemplate()
        else:
            template = ReplyTemplate.objects.select_for_update().filter(pk=template_id).first()
            if template is None:
                raise NotFound("no such template")
        template.name, template.body = name[:100], body
        template.resolution_type = resolution_type
        template.active = bool(values.get("active", True))
        template.updated_by = acting_user
        template.save()
        if categories is not None:
            template.categories.set(categories)
    return template


def do_save_synonym_group(*, acting_user: User, words: str, group_id: int | None = None):
    """Create or change a synonym group (managers and administrators); the articles are
    re-indexed after commit, since the synonyms change how text is segmented."""
    if not (acting_user.is_superuser or acting_user.roles & WHOLE_BASE_ROLES):
        raise NotAllowed("synonyms are kept by managers and administrators")
    group = SynonymGroup(pk=group_id, words=" ".join(SynonymGroup(words=words).word_list()))
    if len(group.word_list()) < 2:
        raise InvalidInput("a group needs two words", fields={"words": "required"})
    with transaction.atomic():
        group.save()
        transaction.on_commit(synonym_groups.clear)
        transaction.on_commit(reindex_articles)
    return group
