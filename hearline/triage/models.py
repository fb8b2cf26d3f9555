"""Trained models, the suggestions made for each case, the lexicon, the routing rules, and
the overrides that teach the next model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    CATEGORY = "category", _("Category")
    DEPARTMENT = "department", _("Department")
    URGENCY = "urgency", _("Urgency")
    LABEL = "label", _("Labels of a CSV file")


class TriageModel(models.Model):
    """One trained classifier, versioned per target. Only the newest active model of a
    target serves suggestions; older ones stay for the record of what served which case."""

    target = models.CharField(_("predicts"), max_length=12, choices=Target.choices)
    version = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("trained on"), max_length=300)
    n_samples = models.PositiveIntegerField(_("examples"))
    labels = models.JSONField(_("labels"), default=list)
    metrics = models.JSONField(_("cross-validation"), default=dict, blank=True)
    artifact = models.BinaryField(editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["target", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["target", "version"], name="triage_model_version")
        ]

    def __str__(self) -> str:
        return f"{self.target} v{self.version}"


class CaseTriage(models.Model):
    """What triage suggested for a case, with the models that served it. Written once, at
    registration; the override records say what people chose instead."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="triage")
    category_model = models.ForeignKey(
        TriageModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "cases.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category_confidence = models.FloatField(null=True, blank=True)
    department_model = models.ForeignKey(
        TriageModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_confidence = models.FloatField(null=True, blank=True)
    routing_rule = models.ForeignKey(
        "triage.RoutingRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    top = models.JSONField(default=dict, blank=True, help_text="top three per target")
    repeat_of = models.ForeignKey(
        "cases.Case",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the complainant's earlier case about the same matter (重复投诉)",
    )
    needs_review = models.BooleanField(_("needs a person"), default=False)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class TriageOverride(models.Model):
    """A person chose differently from the suggestion (append-only record)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=12, choices=Target.choices)
    suggested = models.CharField(max_length=60, blank=True)
    chosen = models.CharField(max_length=60)
    model = models.ForeignKey(
        TriageModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class LexiconKind(models.TextChoices):
    URGENT = "urgent", _("Urgent: danger to life or supply")
    SAFETY = "safety", _("Public safety")
    OPINION = "opinion", _("Public-opinion risk (media, petitions)")
    ANGER = "anger", _("Strong anger")
    VULNERABLE = "vulnerable", _("Vulnerable complainant")
    INCIDENT = "incident", _("Incident-worthy")


class LexiconTerm(models.Model):
    """A word or phrase that flags a complaint; edited by administrators."""

    term = models.CharField(_("term"), max_length=40)
    kind = models.CharField(_("flag"), max_length=12, choices=LexiconKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("lexicon term")
        verbose_name_plural = _("lexicon")
        ordering = ["kind", "term"]
        constraints = [models.UniqueConstraint(fields=["term", "kind"], name="lexicon_term_once")]

    def __str__(self) -> str:
        return f"{self.term} ({self.kind})"


class RoutingRule(models.Model):
    """Category + district + keywords → department, the highest priority first; applied
    before the model. `automatic` rules dispatch without waiting for a dispatcher."""

    name = models.CharField(_("name"), max_length=80)
    priority = models.PositiveIntegerField(_("priority"), default=100, help_text=_("lower first"))
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category (and its subcategories)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    district = models.CharField(_("district"), max_length=60, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("any of them, separated by spaces")
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("route to"), on_delete=models.CASCADE
    )
    automatic = models.BooleanField(_("dispatch automatically"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return self.name

    def matches(self, *, category_path: str | None, district: str, text: str) -> bool:
        """Every condition given holds (an empty condition holds always)."""
        if self.category is not None and not (category_path or "").startswith(self.category.path):
            return False
        if self.district and self.district not in (district or ""):
            return False
        words = self.keywords.split()
        return not words or any(w in text for w in words)


class CaseBand(models.Model):
    """One locality-sensitive-hashing band of an open case's text (MinHash over character
    shingles): cases sharing a band key are candidate near-duplicates. Removed once the
    case is answered, so look-ups only ever see open cases."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"], name="case_band_key_idx")]
