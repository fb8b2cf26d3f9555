"""Integration tokens and the stored results of idempotent POSTs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A token for an integration, acting as its own service account (`user`) that holds one
    role in one department, so every access rule applies to it unchanged. Only a hash of the
    token is stored; the token itself is shown once, when created."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    user = models.OneToOneField("accounts.User", on_delete=models.PROTECT, related_name="api_token")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotentResponse(models.Model):
    """The first response to a POST carrying an Idempotency-Key, returned again on retries
    of the same request (`fingerprint`) by the same caller to the same method and path."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64, blank=True)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "method", "path", "key"], name="one_response_per_key_and_target"
            )
        ]
