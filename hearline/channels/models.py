"""What the inbound channels remember: links to upstream platforms' cases, the e-mails
already taken in, and the webhook nonces already seen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UpstreamLink(models.Model):
    """A case transferred down from an upstream platform (12345 转办) keeps that platform's
    reference; progress and the reply are reported back to it."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="upstream")
    platform = models.CharField(_("platform"), max_length=40)
    reference = models.CharField(_("upstream reference"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("upstream link")
        verbose_name_plural = _("upstream links")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "reference"], name="one_case_per_upstream_ref"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.reference}"


class InboundEmail(models.Model):
    """An e-mail taken in, by Message-ID: the same message delivered twice (an MTA retry, a
    poller run twice) is recognised and changes nothing."""

    message_id = models.CharField(max_length=300, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    created_case = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)


class WebhookNonce(models.Model):
    """A nonce seen on a signed webhook within the timestamp window; a second request with it
    is a replay and is refused."""

    source = models.CharField(max_length=40)
    nonce = models.CharField(max_length=80)
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "nonce"], name="webhook_nonce_once")
        ]
