"""What the supervision board shows: decisions waiting (approvals, appeals) first, counts per
department, late and nearly-late cases once each, and the cases behind every count.
Read-only; scoped to the cases the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from hearline.accounts.models import Department, User
from hearline.cases.models import Case
from hearline.cases.queries import appeals_decided_by, cases_visible_to, visibility_rule

from .clock import MET_FIELD
from .models import CaseClock, Level


@dataclass
class DepartmentCounts:
    department: str | None  # None for a clock from before clocks kept their department
    green: int
    yellow: int
    red: int
    department_id: int | None = None

    @property
    def levels(self) -> tuple[tuple[str, int], ...]:
        """(level, count) in the board's column order: on time, nearly due, overdue."""
        return (
            (Level.GREEN.value, self.green),
            (Level.YELLOW.value, self.yellow),
            (Level.RED.value, self.red),
        )


@dataclass
class LateItem:
    case: Case
    deadline: str  # response / resolution: the more pressing of the two
    level: str
    due: datetime
    remaining: timedelta  # negative when overdue
    also: list[str] = field(default_factory=list)  # the other deadline, when late as well


def _open_clocks(user: User):
    """Clocks of open cases the user may see, filtered without touching the cases table
    when the user's view is a set of departments; not those following an incident (its
    restoration answers them: they are neither on time nor late on their own)."""
    clocks = CaseClock.objects.filter(
        stopped=False, resolved_at__isnull=True, incident_since__isnull=True
    )
    rule = visibility_rule(user)
    if rule is None:
        return clocks
    return clocks.filter(case__in=cases_visible_to(user).values("pk"))


def department_counts(user: User) -> list[DepartmentCounts]:
    """Per responsible department: open cases on time, nearly due and overdue (the worse of
    their response and resolution deadlines)."""
    # Grouped by the department's key and the clock's worse level, read from the open
    # clocks' index alone; the few names are looked up afterwards (joining them in made the
    # planner read every clock).
    rows = (
        _open_clocks(user)
        .values_list("department_id", "worst_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally: dict[int | None, dict[str, int]] = {}
    for department_id, level, n in rows:
        tally.setdefault(department_id, dict.fromkeys(Level.values, 0))[level] = n
    names: dict[int | None, str] = dict(
        Department.objects.filter(pk__in=list(tally)).values_list("pk", "name")
    )
    counts = [
        DepartmentCounts(
            names.get(pk), levels[Level.GREEN], levels[Level.YELLOW], levels[Level.RED], pk
        )
        for pk, levels in tally.items()
    ]
    return sorted(counts, key=lambda c: (-c.red, -c.yellow, c.department or ""))


def late_cases(user: User, now: datetime | None = None, limit: int = 50) -> list[LateItem]:
    """The `limit` most pressing cases, each once: overdue first, then nearly due, each by
    how late or close they are; a case late on both deadlines is listed by the more pressing
    one with the other in `also`. (The counts per department give the totals.)"""
    now = now or timezone.now()
    items: list[LateItem] = []
    for kind in ("response", "resolution"):
        for level in (Level.RED, Level.YELLOW):  # one ordered index range each
            clocks = (
                _open_clocks(user)
                .filter(**{f"{MET_FIELD[kind]}__isnull": True, f"{kind}_level": level})
                .select_related("case__department")
                .order_by(f"{kind}_due")[:limit]
            )
            for clock in clocks:
                due = getattr(clock, f"{kind}_due")
                items.append(LateItem(clock.case, kind, level, due, due - now))
    items.sort(key=lambda i: (i.level != Level.RED, i.remaining))
    once: dict[int, LateItem] = {}
    for item in items:
        first = once.setdefault(item.case.pk, item)
        if first is not item:
            first.also.append(item.deadline)
    return list(once.values())[:limit]


def open_cases_at(user: User, department_id: int | None, level: str):
    """The open cases behind one count of the board: of the department (None: every one)
    at the worse level `level`, most pressing first."""
    clocks = _open_clocks(user).filter(worst_level=level)
    if department_id is not None:
        clocks = clocks.filter(department_id=department_id)
    return (
        Case.objects.filter(pk__in=clocks.values("pk"))
        .select_related("department", "clock")
        .order_by("clock__resolution_due", "pk")
    )


def appeals_waiting(user: User):
    """Appeals (申诉) waiting for a decision where this user decides them, the nearest
    decision deadline first."""
    return (
        cases_visible_to(user)
        .filter(appeals_decided_by(user))
        .select_related("department", "clock")
        .order_by("clock__appeal_due", "pk")
    )


def pending_requests(user: User):
    """Visible cases with a suspension or extension request waiting for a decision."""
    return (
        cases_visible_to(user)
        .exclude(pending_request="")
        .select_related("department")
        .order_by("updated_at")
    )


def format_span(span: timedelta) -> tuple[bool, int, int, int]:
    """(overdue?, days, hours, minutes) of a remaining time, for display."""
    overdue = span < timedelta(0)
    minutes = int(abs(span).total_seconds() // 60)
    return overdue, minutes // 1440, minutes % 1440 // 60, minutes % 60
