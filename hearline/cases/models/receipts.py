from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceiptState(models.TextChoices):
    RECEIVED = "received", _("Received")
    REGISTERED = "registered", _("Registered")
    REFUSED = "refused", _("Refused")


class IntakeReceipt(models.Model):
    """A complaint accepted for registration in the background (`Prefer: respond-async`):
    written in one insert before the caller is answered, so it is durable and already has
    the tracking number its case will carry; the task queue registers it as a case (受理)
    moments later. `registration_key` is the case's idempotency key, so a receipt becomes
    one case however often its registration is run."""

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="intake_receipts"
    )
    submission = models.JSONField(help_text="the complaint as the channel handed it over")
    received_at = models.DateTimeField(_("received at"))
    state = models.CharField(
        _("state"), max_length=10, choices=ReceiptState.choices, default=ReceiptState.RECEIVED
    )
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="receipt"
    )
    error = models.JSONField(default=dict, blank=True, help_text="why it could not be registered")

    class Meta:
        verbose_name = _("intake receipt")
        verbose_name_plural = _("intake receipts")
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=models.Q(state="received"),
                name="receipt_waiting_idx",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def registration_key(self) -> str:
        return self.idempotency_key or f"receipt:{self.pk}"
