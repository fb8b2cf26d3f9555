"""A bare Django view that performs only the database writes of one registration through
POST /api/v1/cases — the same rows in the same tables, in one transaction, with the
acknowledgement's delivery queued after commit — and none of the domain work: no token,
no validation, no triage, no deadline arithmetic, no incident matching, no message
composition. The rows are copies of those the API wrote for its latest case when the view
first runs (the template: a warm-up case, linked like every one of them to the incident the
complaints share), each copy with its own case and its own complainant (each complaint
comes from another phone number, so the API inserts one per case too); the three rollup
counters are incremented as the lifecycle's upserts do. It answers with the tracking
number, as the API does."""

import uuid

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as hearline_urls
from hearline.cases.models import Case, Complainant
from hearline.notify.tasks import deliver_message

CASE_ROWS = [
    "sla.CaseClock",
    "incidents.CaseTopic",
    "incidents.IncidentCase",
    "cases.CaseEvent",
    "triage.CaseTriage",
    "triage.CaseBand",
    "analytics.CaseFacts",
    "notify.OutboundMessage",
    "notify.Notification",
]
COUNTERS = ["analytics.Rollup", "analytics.DepartmentDay", "analytics.HotspotDay"]
TEMPLATE: dict = {}


def _template() -> dict:
    """The latest case's row values, per table (read once per process)."""
    if not TEMPLATE:
        case = Case.objects.order_by("-pk").first()
        TEMPLATE["case"] = _values(case)
        TEMPLATE["complainant"] = _values(case.complainant)
        for label in CASE_ROWS:
            model = apps.get_model(label)
            TEMPLATE[label] = (model, list(model.objects.filter(case=case).values()))
        for label in COUNTERS:
            model = apps.get_model(label)
            TEMPLATE[label] = (model, model.objects.order_by("pk").values_list("pk", flat=True)[0])
    return TEMPLATE


def _values(instance) -> dict:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }


def _copy(model, row: dict, case_id: int, event_id: int | None) -> object:
    values = {k: v for k, v in row.items() if k != model._meta.pk.attname or k == "case_id"}
    values["case_id"] = case_id
    if "dedupe_key" in values and values["dedupe_key"]:
        values["dedupe_key"] = uuid.uuid4().hex
    if "event_id" in values and event_id:
        values["event_id"] = event_id
    return model(**values)


@csrf_exempt
def bare_register(request):
    template = _template()
    with transaction.atomic():
        complainant = Complainant.objects.create(
            **template["complainant"] | {"phone": f"136{uuid.uuid4().int % 10**8:08d}"}
        )
        case = Case.objects.create(
            **template["case"]
            | {
                "complainant_id": complainant.pk,
                "tracking_number": uuid.uuid4().hex[:12],
                "public_token": uuid.uuid4().hex[:22],
                "idempotency_key": None,
            }
        )
        event_id, messages = None, []
        for label in CASE_ROWS:
            model, rows = template[label]
            copies = [_copy(model, row, case.pk, event_id) for row in rows]
            model.objects.bulk_create(copies)
            if label == "cases.CaseEvent":
                event_id = copies[0].pk
            if label == "notify.OutboundMessage":
                messages = [m.pk for m in copies]
        for label in COUNTERS:
            model, pk = template[label]
            model.objects.filter(pk=pk).update(volume=F("volume") + 1)
        for message_id in messages:
            transaction.on_commit(lambda m=message_id: deliver_message(m))
    return JsonResponse({"tracking_number": case.tracking_number}, status=201)


urlpatterns = [path("bare/cases", bare_register), *hearline_urls]
