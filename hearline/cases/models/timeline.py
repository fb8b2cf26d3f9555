from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import CaseState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TimelineQuerySet(models.QuerySet):
    """A timeline's entries, split into the lifecycle's steps and the delivery reports."""

    def steps(self) -> "TimelineQuerySet":
        """Only the steps of the lifecycle: one per version of the case, `seq` 1, 2, 3 …"""
        return self.filter(report_seq__isnull=True)

    def reports(self) -> "TimelineQuerySet":
        """Only the delivery reports of messages, `report_seq` 1, 2, 3 … on each case."""
        return self.filter(report_seq__isnull=False)


class CaseEvent(models.Model):
    """One entry of a case's timeline. Append-only: the database refuses UPDATE and DELETE
    (triggers installed by migration).

    A step of the lifecycle has `seq` equal to the case's version after the step. A delivery
    report (a message sent or not delivered) is a fact, not a step: it has a sequence of its
    own (`report_seq`) and the `seq` of the step it follows, so it changes no version and
    sorts after that step."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    report_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    actor = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="case_events"
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from state"), max_length=12, blank=True)
    to_state = models.CharField(_("to state"), max_length=12)
    details = models.JSONField(_("details"), default=dict, blank=True)
    public = models.BooleanField(_("shown to the complainant"), default=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "seq"],
                condition=models.Q(report_seq__isnull=True),
                name="case_event_step_seq_unique",
            ),
            models.UniqueConstraint(
                fields=["case", "report_seq"],
                condition=models.Q(report_seq__isnull=False),
                name="case_event_report_seq_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    @property
    def to_state_label(self) -> "StrOrPromise":
        return CaseState(self.to_state).label
