"""`Idempotency-Key` on POST: the first response is stored and returned to every retry.

A key is scoped to its caller, method and path, and bound to the request it first came
with (Stripe's rules): the same key on another endpoint or case is another key; the same
key with another body is refused (422 `idempotency_key_reused`), never answered with the
first response. The key is reserved, the action runs and its response is stored in one
transaction, so a worker killed at any moment leaves either everything or nothing: a retry
then replays the response or runs the action afresh, never twice. A duplicate sent while
the first is still running waits for it (the reservation's unique index on PostgreSQL, the
write lock on SQLite) and then replays it. Errors the action raises are not stored: a
retry runs again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse

from hearline.cases.workflow import InvalidInput

from .models import IdempotentResponse

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


class KeyReused(InvalidInput):
    """The key came with another request before."""

    code = "idempotency_key_reused"


def idempotency_key(request) -> str:
    """The request's Idempotency-Key ("" when none); InvalidInput when it is too long."""
    key = request.headers.get(HEADER, "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput("Idempotency-Key is too long", fields={HEADER: "too_long"})
    return key


def case_key(door: str, user_id: int, key: str) -> str:
    """The idempotency key a registration through `door` carries on its case (at most 120
    characters: a long header key is replaced by its digest, never cut short)."""
    plain = f"{door}:{user_id}:{key}"
    if len(plain) <= 120:
        return plain
    return f"{door}:{user_id}:#{hashlib.sha256(key.encode()).hexdigest()}"


def request_fingerprint(request) -> str:
    """A digest of what the request asks: its query and body, parsed so that a retry that
    encodes the same thing differently (key order, a multipart boundary) matches."""
    digest = hashlib.sha256(request.META.get("QUERY_STRING", "").encode())
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name in sorted(request.POST):
            digest.update(f"\0{name}={request.POST.getlist(name)}".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"\0{name}:{upload.name}:{upload.size}:".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
        return digest.hexdigest()
    try:
        parsed = json.loads(request.body or b"null")
    except ValueError:
        digest.update(request.body)
    else:
        digest.update(json.dumps(parsed, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def run_once(request, key: str, run: Callable[[], tuple[int, Any, Any]], *, user=None):
    """Run `run` once per (caller, method, path, key): it returns (status, JSON-able body,
    response). Returns (None, response) when it ran now, or (stored, None) with the stored
    first answer to replay. Raises KeyReused when the key came with another request. A
    status of 500 or more is not stored (and what `run` wrote is rolled back). The caller
    is `user`, else the request's."""
    fingerprint = request_fingerprint(request)
    scope = {
        "user": user or request.user,
        "method": request.method,
        "path": request.path,
        "key": key,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                reserved = IdempotentResponse.objects.create(
                    **scope, fingerprint=fingerprint, status=0, body={}
                )
        except IntegrityError:
            stored = IdempotentResponse.objects.get(**scope)
            if stored.fingerprint and stored.fingerprint != fingerprint:
                raise KeyReused(
                    "this Idempotency-Key was used with another request",
                    fields={HEADER: "reused_with_another_request"},
                ) from None
            return stored, None
        status, body, response = run()
        if status >= 500:
            transaction.set_rollback(True)
        else:
            reserved.status = status
            reserved.body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
            reserved.save(update_fields=["status", "body"])
        return None, response


def idempotent(view):
    """Wrap a ninja view returning `Status(code, body)` with `run_once` when the request
    carries an Idempotency-Key."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = idempotency_key(request)
        if not key:
            return view(request, *args, **kwargs)

        def run():
            result = view(request, *args, **kwargs)
            return result.status_code, result.value, result

        stored, result = run_once(request, key, run)
        return _replay(stored) if stored else result

    return wrapper


def _replay(stored: IdempotentResponse) -> HttpResponse:
    response = JsonResponse(
        stored.body, status=stored.status, json_dumps_params={"ensure_ascii": False}
    )
    response["Idempotent-Replayed"] = "true"
    return response
