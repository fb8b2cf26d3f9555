"""`Idempotency-Key` on POST: the first response is stored and returned to every retry."""

from __future__ import annotations

import json
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse

from .models import IdempotentResponse

HEADER = "Idempotency-Key"


def idempotent(view):
    """Wrap a ninja view returning `Status(code, body)`: with an Idempotency-Key header, a
    second call by the same caller returns the stored first response and runs nothing."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()[:200]
        if not key:
            return view(request, *args, **kwargs)
        stored = IdempotentResponse.objects.filter(user=request.user, key=key).first()
        if stored:
            return _replay(stored)
        result = view(request, *args, **kwargs)
        status, body = result.status_code, result.value
        if status < 500:
            try:
                with transaction.atomic():
                    IdempotentResponse.objects.create(
                        user=request.user,
                        key=key,
                        method=request.method,
                        path=request.path,
                        status=status,
                        body=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
                    )
            except IntegrityError:
                return _replay(IdempotentResponse.objects.get(user=request.user, key=key))
        return result

    return wrapper


def _replay(stored: IdempotentResponse) -> HttpResponse:
    response = JsonResponse(
        stored.body, status=stored.status, json_dumps_params={"ensure_ascii": False}
    )
    response["Idempotent-Replayed"] = "true"
    return response
