"""The figures of a post-incident review."""

from __future__ import annotations

from collections import Counter

from hearline.cases.models import Case

from .models import Bulletin, Incident, IncidentEvent, SupportDelivery

SATISFIED = ("satisfied", "basically_satisfied")


def figures(incident: Incident) -> dict:
    """Cases linked; the peak rate (most cases registered within one clock hour); bulletins
    published and on time; hours from start to restoration; the linked cases replied and
    rated, and their satisfaction rate (满意 + 基本满意 over rated, None when none rated);
    support deliveries to vulnerable households."""
    cases = Case.objects.filter(incident_link__incident=incident)
    times = list(cases.values_list("registered_at", flat=True))
    per_hour = Counter(t.replace(minute=0, second=0, microsecond=0) for t in times)
    bulletins = list(Bulletin.objects.filter(incident=incident, restoration=False))
    rated = list(cases.exclude(satisfaction="").values_list("satisfaction", flat=True))
    restored = None
    if incident.resolved_at:
        restored = round((incident.resolved_at - incident.started_at).total_seconds() / 3600, 1)
    return {
        "cases": len(times),
        "peak_per_hour": max(per_hour.values(), default=0),
        "bulletins": len(bulletins),
        "bulletins_on_time": sum(1 for b in bulletins if b.on_time),
        "hours_to_restore": restored,
        "replied": cases.exclude(replied_at=None).count(),
        "rated": len(rated),
        "satisfaction_rate": (
            round(sum(1 for s in rated if s in SATISFIED) / len(rated), 3) if rated else None
        ),
        "support_deliveries": SupportDelivery.objects.filter(incident=incident).count(),
    }


def timeline(incident: Incident) -> list[dict]:
    """The incident's history as the review keeps it: each step's time, action, who took
    it (None: Hearline) and, for bulletins, their number and whether they were on time."""
    events = IncidentEvent.objects.filter(incident=incident).select_related("actor")
    return [
        {
            "at": e.created_at.isoformat(),
            "action": e.action,
            "by": e.actor.username if e.actor else None,
            **{k: e.details[k] for k in ("bulletin", "on_time", "cases") if k in e.details},
        }
        for e in events.order_by("seq")
    ]
