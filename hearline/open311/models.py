"""The tokens GeoReport v2 hands out for created requests."""

from django.db import models


class RequestToken(models.Model):
    """`POST requests` answers with the tracking number and a token; `GET tokens/{token}`
    turns the token back into the tracking number. The token is derived from the request's
    idempotency key, so a retried POST gets the same token."""

    token = models.CharField(max_length=64, unique=True)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
