"""The rollups recomputed from the cases in one SQL query: the reference the incrementally
kept rows must equal (tests, and `hearline analytics check`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Aggregate, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from hearline.cases.models import Case
from hearline.sla.models import Level

from .measures import Components
from .models import DIMENSIONS, Rollup
from .rollup import TABLES


def _dimensions() -> dict:
    minutes = F("clock__working_minutes")
    handled = Q(
        clock__resolved_at__isnull=False,
        clock__working_minutes__isnull=False,
        clock__incident_since__isnull=True,
    )
    return {
        "k_day": TruncDate("registered_at", tzinfo=timezone.get_current_timezone()),
        "k_department": Coalesce("department_id", 0),
        "k_category": Coalesce("category_id", 0),
        "k_channel": F("channel"),
        "k_district": F("district"),
        "k_urgency": F("urgency"),
        "k_root_cause": Coalesce("root_cause_id", 0),
        "k_band": models.Case(
            When(handled & Q(clock__working_minutes__lt=600), then=minutes / 30 * 30),
            When(handled & Q(clock__working_minutes__lt=6000), then=minutes / 300 * 300),
            When(handled, then=minutes / 3000 * 3000),
            default=Value(-1),
            output_field=models.IntegerField(),
        ),
    }


def component_filters() -> dict[str, Q]:
    """Which cases each counted component counts, as a filter on cases (the same rules as
    `rollup.facts_of`); the drill-down lists the cases behind a figure with them."""
    responded = Q(clock__responded_at__isnull=False)
    response_in_time = Q(clock__response_due__isnull=True) | Q(
        clock__responded_at__lte=F("clock__response_due")
    )
    resolved = Q(clock__resolved_at__isnull=False)
    resolved_late = resolved & Q(clock__resolved_at__gt=F("clock__resolution_due"))
    resolution_in_time = Q(clock__resolution_due__isnull=True) | Q(
        clock__resolved_at__lte=F("clock__resolution_due")
    )
    unanswered_red = Q(clock__resolved_at__isnull=True, clock__resolution_level=Level.RED)
    incident = Q(clock__incident_since__isnull=False)
    return {
        "volume": Q(),
        "responded_on_time": responded & response_in_time & ~incident,
        "response_decided": (responded | Q(clock__response_level=Level.RED)) & ~incident,
        "resolved_on_time": resolved & resolution_in_time & ~incident,
        "resolution_decided": (resolved | unanswered_red) & ~incident,
        "solved": Q(confirmation="solved"),
        "confirmed": ~Q(confirmation=""),
        "satisfied": Q(satisfaction="satisfied"),
        "basically_satisfied": Q(satisfaction="basically_satisfied"),
        "rated": ~Q(satisfaction=""),
        "handled": resolved & Q(clock__working_minutes__isnull=False) & ~incident,
        "reopened": Q(reopen_count__gt=0),
        "had_reply": Q(replied_at__isnull=False) | Q(reopen_count__gt=0),
        "repeats": Q(triage__repeat_of__isnull=False),
        "on_spot": Q(closed_on_spot=True),
        "overdue": (resolved_late | unanswered_red) & ~incident,
        "incident": incident,
    }


def _aggregates() -> dict[str, Aggregate]:
    filters = component_filters()
    aggregates: dict[str, Aggregate] = {name: Count("pk", filter=q) for name, q in filters.items()}
    aggregates["volume"] = Count("pk")
    aggregates["handling_minutes"] = Sum("clock__working_minutes", filter=filters["handled"])
    return aggregates


def recomputed() -> dict[tuple, Components]:
    """{slice key: sums} over every case, straight from the cases and their clocks."""
    dimensions, aggregates = _dimensions(), _aggregates()
    rows = Case.objects.annotate(**dimensions).values(*dimensions).annotate(**aggregates)
    return {
        tuple(row[k] for k in dimensions): Components(**{k: row[k] or 0 for k in aggregates})
        for row in rows.order_by()
    }


def kept() -> dict[tuple, Components]:
    """{slice key: sums} as the rollup rows hold them (rows emptied by moves left out)."""
    names = [f.name for f in Components.__dataclass_fields__.values()]
    return {
        tuple(row[k] for k in DIMENSIONS): Components(**{k: row[k] for k in names})
        for row in Rollup.objects.filter(volume__gt=0).values(*DIMENSIONS, *names)
    }


def projections_differing() -> int:
    """How many rows of the projected tables (DepartmentDay, HotspotDay) differ from the
    rollup rows summed over the dimensions they leave out."""
    differing = 0
    for model, columns, sums in TABLES[1:]:
        want = {
            tuple(row[: -len(sums)]): tuple(row[-len(sums) :])
            for row in Rollup.objects.order_by()
            .values_list(*columns)
            .annotate(**{f"sum_{n}": Sum(n) for n in sums})
            if row[len(columns)]
        }
        have = {
            tuple(row[: len(columns)]): tuple(row[len(columns) :])
            for row in model.objects.filter(volume__gt=0).values_list(*columns, *sums)
        }
        differing += sum(1 for key in want.keys() | have.keys() if want.get(key) != have.get(key))
    return differing
