"""What the side-by-side benchmark asks of django-helpdesk, run inside its own virtualenv
(`python manage.py shell -c "from peerdesk.benchtools import …"`); each prints JSON."""

import json
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from helpdesk.forms import PublicTicketForm
from helpdesk.models import Queue, Ticket
from helpdesk.query import query_to_base64


def prepare() -> None:
    """A staff user and a public queue; prints the queue id."""
    User = get_user_model()
    if not User.objects.filter(username="staff").exists():
        User.objects.create_superuser("staff", "staff@example.org", "peer-bench")
    queue, _ = Queue.objects.get_or_create(
        slug="support",
        defaults={"title": "Support", "allow_public_submission": True},
    )
    print(json.dumps({"queue": queue.pk}))


def create_through_api(n: int) -> None:
    """`n` tickets through PublicTicketForm.save(), what its public submit view calls."""
    queue = Queue.objects.get(slug="support")
    timings = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        form = PublicTicketForm(
            data={
                "queue": str(queue.pk),
                "title": f"No water since this morning {i}",
                "body": "Our building has had no water since 7am, no notice was given.",
                "priority": "3",
                "submitter_email": "resident@example.org",
            }
        )
        assert form.is_valid(), form.errors
        form.save(user=None)
        timings.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    print(json.dumps(_summary(timings, elapsed)))


def _summary(timings, elapsed) -> dict:
    timings.sort()
    return {
        "per_s": round(len(timings) / elapsed, 1),
        "p50_ms": round(statistics.median(timings) * 1000, 2),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000, 2),
    }


def fill(total: int) -> None:
    """Tickets until there are `total`, spread over a year, in batches; prints the count."""
    queue = Queue.objects.get(slug="support")
    existing = Ticket.objects.count()
    now = timezone.now()
    batch = []
    for i in range(existing, total):
        created = now - timezone.timedelta(minutes=(i * 5) % 525_600)
        batch.append(
            Ticket(
                title=f"Ticket {i}: water pressure low",
                queue=queue,
                created=created,
                modified=created,
                submitter_email=f"user{i % 5000}@example.org",
                status=(1, 2, 3, 4)[i % 4],
                priority=1 + i % 5,
                description="Water pressure has been low on the sixth floor at peak hours.",
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Ticket.objects.bulk_create(batch)
            batch = []
    if batch:
        with transaction.atomic():
            Ticket.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"tickets": Ticket.objects.count()}))


def list_data_path() -> None:
    """The path of the JSON the ticket list page loads (its default query)."""
    query = {
        "filtering": {"status__in": [1, 2]},
        "sorting": "created",
        "search_string": "",
        "sortreverse": False,
    }
    print(json.dumps({"path": f"/helpdesk/datatables_ticket_list/{query_to_base64(query)}"}))
