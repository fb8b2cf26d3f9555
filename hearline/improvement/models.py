"""Corrective actions (整改): "解决一个问题，改进一类工作"."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class RootCause(models.Model):
    """Why complaints of a kind arise (管网老化, 计量差错, 告知不到位 …): the tag handlers and
    supervisors put on cases so that analysis finds the causes to correct, not just the
    symptoms."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CorrectiveAction(models.Model):
    """What will be changed so that a kind of complaint stops recurring, who owns it and by
    when; the slice of cases it targets (categories, departments, districts) is where its
    effect is measured. Comes from an incident review or from analysing cases."""

    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    categories = models.ManyToManyField(
        "cases.Category", verbose_name=_("target categories"), blank=True, related_name="+"
    )
    target_departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("target departments"), blank=True, related_name="+"
    )
    districts = models.JSONField(_("target districts"), default=list, blank=True)
    root_causes = models.ManyToManyField(
        RootCause, verbose_name=_("root causes addressed"), blank=True, related_name="+"
    )
    done_on = models.DateField(_("completed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("from incident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["status", "due_date", "id"]

    def __str__(self) -> str:
        return self.what


class CorrectiveActionEvent(models.Model):
    """One change of a corrective action (created, edited, status changed): who, when,
    what. Append-only (database triggers refuse updates and deletes)."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20)
    details = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
