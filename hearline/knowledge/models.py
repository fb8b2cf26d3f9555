"""The knowledge base (知识库): policy and service articles that answer questions on the spot
and tell people everything they need at once (一次性告知), reply templates for handlers, the
synonyms search expands, and the record of how articles and templates were used."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hearline.cases.models.cases import ResolutionType


class Audience(models.TextChoices):
    STAFF = "staff", _("Staff only")
    PUBLIC = "public", _("Staff and the public")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Article(models.Model):
    """One policy or service answer. `summary` is what an agent reads to the caller;
    `documents` is the checklist of everything to bring (一次性告知). The row holds the
    current text; every change is an `ArticleVersion`."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("answer to read out"))
    body = models.TextField(_("full text"), blank=True)
    applies_to = models.TextField(_("who it applies to"), blank=True)
    documents = models.JSONField(_("documents needed"), default=list, blank=True)
    fees = models.CharField(_("fees"), max_length=300, blank=True)
    time_limit = models.CharField(_("time limit"), max_length=300, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    responsible_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("owner department"),
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
    )
    categories = models.ManyToManyField(
        "cases.Category", verbose_name=_("categories"), blank=True, related_name="articles"
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    audience = models.CharField(
        _("published to"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    review_by = models.DateField(_("review by"))
    version = models.PositiveIntegerField(_("version"), default=1)
    source_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("drafted from case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("updated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "review_by"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and self.audience == Audience.PUBLIC


class ArticleVersion(models.Model):
    """An article as it stood after one change, who made it and which fields changed.
    Append-only (database triggers)."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    actor = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    changed = models.JSONField(_("changed fields"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")
        ]


class SynonymGroup(models.Model):
    """Words search treats as one (水费 自来水费 水费单): a query for any finds all."""

    words = models.CharField(_("words"), max_length=300, help_text=_("Separated by spaces."))

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["words"]

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [w for w in self.words.replace("，", " ").replace(",", " ").split() if w]


class ReplyTemplate(models.Model):
    """A handler's reply with placeholders for the case ({编号}, {受理日期} …), offered for
    cases of its categories (and their subcategories) and resolution type."""

    name = models.CharField(_("name"), max_length=100)
    categories = models.ManyToManyField(
        "cases.Category", verbose_name=_("categories"), blank=True, related_name="+"
    )
    resolution_type = models.CharField(
        _("resolution type"), max_length=20, choices=ResolutionType.choices, blank=True
    )
    body = models.TextField(_("text"))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UseKind(models.TextChoices):
    SENT = "sent", _("Sent to the complainant")
    CLOSED = "closed", _("Closed on the spot")
    REPLIED = "replied", _("Reply from a template")


class KnowledgeUse(models.Model):
    """An article or template used on a case, at the step (`seq`) that used it. Whether a
    case an article closed was reopened is read from the timeline after that step.
    Append-only."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=UseKind.choices)
    article = models.ForeignKey(Article, null=True, on_delete=models.PROTECT, related_name="uses")
    template = models.ForeignKey(
        ReplyTemplate, null=True, on_delete=models.PROTECT, related_name="uses"
    )
    actor = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["article", "kind"])]


class StaleNotice(models.Model):
    """The owner department was told that an article's review date passed: one notice per
    article and review date (a new date, once passed, gives a new notice). Append-only."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    review_by = models.DateField()
    recipients = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "review_by"], name="stale_notice_once")
        ]


class Deflection(models.Model):
    """A citizen on the portal read an article before submitting: `solved` when it answered
    them (no case needed), else they went on to submit. `question` is their text with
    phone and ID numbers masked. Append-only."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="deflections")
    solved = models.BooleanField()
    question = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)
