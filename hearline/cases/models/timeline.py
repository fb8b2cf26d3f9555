from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import CaseState


class CaseEvent(models.Model):
    """One step in a case's timeline. Append-only: the database refuses UPDATE and DELETE
    (triggers installed by migration). `seq` equals the case's version after the step."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="case_events"
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from state"), max_length=12, blank=True)
    to_state = models.CharField(_("to state"), max_length=12)
    details = models.JSONField(_("details"), default=dict, blank=True)
    public = models.BooleanField(_("shown to the complainant"), default=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    @property
    def to_state_label(self) -> str:
        return CaseState(self.to_state).label
