from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    STEP = "step", _("Step on a case you own")
    REMINDER = "reminder", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    URGE = "urge", _("Urging (催办)")
    ESCALATION = "escalation", _("Escalation")


class Notification(models.Model):
    """A message to a staff member about a case: a step on a case they own, or a time-limit
    reminder, overdue notice, urging or escalation. Recorded in the same transaction as what
    caused it; delivery over other channels builds on it."""

    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=12, choices=NotificationKind.choices, default=NotificationKind.STEP
    )
    event = models.ForeignKey(
        "cases.CaseEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("text"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
