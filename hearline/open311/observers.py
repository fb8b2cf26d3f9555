"""Open311's reaction to case steps (see `hearline.cases.steps`): a request posted through
GeoReport gets its token in the registration's own transaction, so a registered request
always has the token its client was (or will be, on a retry) answered with."""

from __future__ import annotations

import hashlib

from hearline.cases.models import Channel
from hearline.cases.steps import Step, observe

from .models import RequestToken


def request_token(idempotency_key: str) -> str:
    """The token of the request registered with this idempotency key (the same on a
    retry)."""
    return hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]


def _token(step: Step) -> None:
    case = step.case
    if case.channel == Channel.OPEN311 and case.idempotency_key:
        RequestToken.objects.create(case=case, token=request_token(case.idempotency_key))


def connect() -> None:
    """Register Open311's observer (from the app's ready())."""
    observe("record", "open311.token", _token, actions=["register"])
