from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    STEP = "step", _("Step on a case you own")
    REMINDER = "reminder", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    URGE = "urge", _("Urging (催办)")
    ESCALATION = "escalation", _("Escalation")
    ASSIGNMENT = "assignment", _("New case for your department")
    URGENT = "urgent", _("Urgent case registered")
    INCIDENT = "incident", _("Incident proposed")
    BULLETIN_DUE = "bulletin_due", _("Bulletin due")
    BULLETIN_OVERDUE = "bulletin_overdue", _("Bulletin overdue")
    ARTICLE_REVIEW = "article_review", _("Article due for review")
    APPROVAL = "approval", _("Approval waiting")
    URGE_ACKNOWLEDGED = "urge_ack", _("Urging acknowledged")
    RATING = "rating", _("Not solved or dissatisfied")
    APPEAL = "appeal", _("Appeal to decide")
    FOLLOWUP = "followup", _("Follow-up (回访) due")
    PLAN = "plan", _("Plan started (预案)")
    COHANDLING = "cohandling", _("A co-handling department answered (协办)")


class Notification(models.Model):
    """A message to a staff member about a case: a step on a case they own, or a time-limit
    reminder, overdue notice, urging or escalation; or about an incident (a proposal, a
    bulletin due or overdue). Recorded in the same transaction as what
    caused it; delivery over other channels builds on it."""

    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.STEP
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


class Audience(models.TextChoices):
    COMPLAINANT = "complainant", _("Complainant")
    STAFF = "staff", _("Staff member")
    PLATFORM = "platform", _("Upstream platform")


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social media")
    UPSTREAM = "upstream", _("Upstream platform")


class Purpose(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    PROGRESS = "progress", _("Progress")
    REPLY = "reply", _("Reply")
    RATING_REQUEST = "rating_request", _("Request for rating")
    FOLLOW_UP = "follow_up", _("Follow-up")
    ASSIGNMENT = "assignment", _("Assignment")
    URGENT = "urgent", _("Urgent case")
    URGE = "urge", _("Urging")
    ESCALATION = "escalation", _("Escalation")
    OVERDUE = "overdue", _("Overdue")
    BULLETIN = "bulletin", _("Incident bulletin")
    INCIDENT = "incident", _("Incident notice")
    ARTICLE = "article", _("Information sent")
    ARTICLE_REVIEW = "article_review", _("Article due for review")
    NOTICE = "notice", _("Staff notice")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    RETRYING = "retrying", _("Waiting to retry")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundMessage(models.Model):
    """One message to send: written in the same transaction as the step that caused it, sent
    afterwards by a Huey task. `dedupe_key` makes queueing idempotent; the status moves
    pending → sending → sent, or → retrying → … → failed, each move a compare-and-set, so a
    message is handed to its channel by one worker at a time and never again once sent.

    The address is not copied here: it is read from the complainant, the staff member or
    the platform link when sending, so personal data stays in one place."""

    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        help_text="the case it is about; empty for a notice about an incident",
    )
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    recipient = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    data = models.JSONField(default=dict, blank=True, help_text="structured content for platforms")
    dedupe_key = models.CharField(max_length=160, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    provider_ref = models.CharField(_("provider reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} #{self.pk}"
