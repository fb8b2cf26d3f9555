"""What the inbound channels remember: the messages already taken in and the webhook nonces
already seen."""

from django.db import models


class InboundMessage(models.Model):
    """A message taken in from a channel, by the channel's own id (an SMS gateway's message
    id, a post id; for e-mail a digest of the sender's address and the Message-ID, which
    anyone can reuse): the same message delivered twice (an MTA retry, a poller run twice, a
    gateway resending) is recognised and changes nothing."""

    channel = models.CharField(max_length=10)
    external_id = models.CharField(max_length=300)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    created_case = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="inbound_message_once")
        ]


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
