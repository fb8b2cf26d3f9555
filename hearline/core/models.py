from django.db import models
from django.utils import timezone


class FailedAttempt(models.Model):
    """One failed sign-in or public look-up, counted against a key (a user name, a client
    address, a tracking number) for throttling. The key is stored as a keyed hash only."""

    scope = models.CharField(max_length=16)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="core_attempt_lookup")]
