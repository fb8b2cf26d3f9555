"""Webhook endpoints: /webhooks/sms/, /webhooks/social/, /webhooks/upstream/.

Each takes a signed JSON body (see hearline.channels.webhooks) and answers JSON:
201 {"tracking_number", "outcome": "registered"} for a new case, 200 with outcome
commented / rated / duplicate otherwise; refusals are application/problem+json with a code:
400 malformed_request (not a JSON object, or nested too deeply), 401 signature_missing /
signature_malformed / stale_timestamp / bad_signature, 409 replayed_nonce, 422
validation_failed (with per-field codes), 503 webhook_not_configured.
"""

from __future__ import annotations

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hearline.api.errors import problem
from hearline.cases.workflow import WorkflowError

from .desks import DeskMissing
from .inbound import take_sms, take_social, take_upstream
from .webhooks import WebhookRefused, read_message, verify

HANDLERS = {"sms": take_sms, "social": take_social, "upstream": take_upstream}


@csrf_exempt
@require_POST
def webhook(request, source: str):
    """One signed message from an SMS gateway, a social-media account or an upstream
    platform; everything it does, the nonce included, commits together or not at all."""
    if source not in HANDLERS:
        return problem(404, "not_found", "no such webhook")
    try:
        with transaction.atomic():
            verify(source, request)
            taken = HANDLERS[source](read_message(request.body))
    except WebhookRefused as exc:
        return problem(exc.status, exc.code, exc.detail)
    except WorkflowError as exc:
        return problem(exc.status, exc.code, exc.message, fields=exc.details.get("fields", {}))
    except DeskMissing as exc:
        return problem(503, "desk_missing", str(exc))
    status = 201 if taken.outcome == "registered" else 200
    body = {"tracking_number": taken.case.tracking_number, "outcome": taken.outcome}
    return JsonResponse(body, status=status)
