"""The manager's first dashboard: cases registered in a period by state, category and
department."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from hearline.accounts.roles import Role
from hearline.cases.models import CaseState
from hearline.cases.queries import cases_visible_to

DASHBOARD_ROLES = {Role.MANAGER, Role.SUPERVISOR, Role.ADMIN}
PERIODS = ("7", "30", "90", "365")


def _counts(qs, field: str, limit: int = 15) -> list[tuple[str, int]]:
    rows = qs.values(field).annotate(n=Count("pk")).order_by("-n")[:limit]
    return [(r[field] or "—", r["n"]) for r in rows]


@login_required
def dashboard(request):
    if not (request.user.is_superuser or request.user.roles & DASHBOARD_ROLES):
        raise PermissionDenied
    days = request.GET.get("days", "30")
    days = int(days) if days in PERIODS else 30
    since = timezone.now() - timedelta(days=days)
    qs = cases_visible_to(request.user).filter(registered_at__gte=since).order_by()
    labels = dict(CaseState.choices)
    by_state = [(str(labels.get(k, k)), n) for k, n in _counts(qs, "state")]
    by_category = _counts(qs, "category__name")
    by_department = _counts(qs, "department__name")
    charts = {
        "state": by_state,
        "category": by_category,
        "department": by_department,
    }
    return render(
        request,
        "staff/dashboard.html",
        {
            "total": qs.count(),
            "days": days,
            "periods": PERIODS,
            "by_state": by_state,
            "by_category": by_category,
            "by_department": by_department,
            "charts": charts,
        },
    )
