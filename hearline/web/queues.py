"""The work queues of the staff workspace and the case search, scoped by `cases_visible_to`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from hearline.accounts.models import User
from hearline.accounts.roles import Role
from hearline.cases.models import Urgency
from hearline.cases.queries import (
    appeals_decided_by,
    cases_visible_to,
    cohandled_by,
    cohandling_answered_by,
    of_phone,
)
from hearline.cases.tracking import canonical_tracking_number
from hearline.cases.workflow import State
from hearline.core.phones import normalise_phone
from hearline.incidents.models import IncidentCase
from hearline.incidents.workflow import IncidentState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Queue:
    key: str
    label: StrOrPromise
    roles: frozenset[str]
    select: Callable[[User, QuerySet], QuerySet]
    default_sort: str = "new"


def _inbox(user: User, qs: QuerySet) -> QuerySet:
    """Cases being handled by the user's department, and those it co-handles (协办) until it
    has answered its part."""
    if user.department_id is None:
        return qs.none()
    working = [State.DISPATCHED, State.IN_PROGRESS, State.SUSPENDED, State.RESOLVED]
    helping = Q(pk__in=cohandled_by(user.department_id)) & ~Q(
        pk__in=cohandling_answered_by(user.department_id)
    )
    return qs.filter(Q(department_id=user.department_id) | helping, state__in=working)


def _to_dispatch(user: User, qs: QuerySet) -> QuerySet:
    """Registered and returned cases, except those of a confirmed incident: its coordinator
    answers them all with the restoration notice (a case marked as needing more stays)."""
    in_incident = IncidentCase.objects.filter(
        incident__state__in=(IncidentState.OPEN, IncidentState.STABILISING), own_needs=False
    ).values("case_id")
    return qs.filter(state__in=[State.REGISTERED, State.RETURNED]).exclude(pk__in=in_incident)


def _to_follow_up(user: User, qs: QuerySet) -> QuerySet:
    """Answered cases not yet followed up (回访) that the user's intake team owns: registered
    by any of its agents or by a desk account of the team (web, e-mail, SMS, social, Open311,
    API), so no case waits on an account nobody logs in as."""
    if user.department_id is None:
        return qs.filter(owner=user, state__in=[State.REPLIED, State.CONFIRMED])
    return qs.filter(
        owner__department_id=user.department_id, state__in=[State.REPLIED, State.CONFIRMED]
    )


def _sensitive(user: User, qs: QuerySet) -> QuerySet:
    """Cases not settled that are marked as a public-safety or public-opinion risk: their
    plan (预案) is running."""
    flagged = Q(public_safety=True) | Q(opinion_risk=True)
    return qs.filter(flagged, state__in=State.UNSETTLED)


def _appeals(user: User, qs: QuerySet) -> QuerySet:
    """Appeals (申诉) waiting for a decision where this supervisor decides them."""
    return qs.filter(appeals_decided_by(user))


QUEUES = [
    Queue("mine", _("My cases"), frozenset({Role.AGENT}), lambda u, qs: qs.filter(owner=u)),
    Queue("dispatch", _("To dispatch"), frozenset({Role.DISPATCHER}), _to_dispatch, "urgency"),
    Queue("inbox", _("Department inbox"), frozenset({Role.HANDLER}), _inbox, "urgency"),
    Queue("followup", _("To follow up"), frozenset({Role.AGENT}), _to_follow_up, "followup"),
    Queue("appeals", _("Appeals to decide"), frozenset({Role.SUPERVISOR}), _appeals, "old"),
    Queue(
        "sensitive",
        _("Sensitive cases"),
        frozenset({Role.SUPERVISOR, Role.DISPATCHER, Role.MANAGER}),
        _sensitive,
        "urgency",
    ),
    Queue("all", _("All visible cases"), frozenset(Role.values), lambda u, qs: qs),
]
QUEUE_BY_KEY = {q.key: q for q in QUEUES}


def queues_for(user: User) -> list[Queue]:
    """The queues this user works from, in the order of the navigation."""
    roles = user.roles | ({Role.ADMIN} if user.is_superuser else set())
    return [q for q in QUEUES if q.roles & roles]


_PHONE = re.compile(r"^\+?[\d\s-]{7,24}$")
SORTS = {
    "new": ("-registered_at", "-id"),
    "old": ("registered_at", "id"),
    # Ties broken on the clock's key (the case's id): a partial index on open clocks gives
    # that order as it stands (with the case's id, SQLite sorted every run of equal deadlines).
    "due": ("clock__resolution_due", "clock__case_id"),
    "urgency": ("urgency_rank", "-registered_at", "-id"),
    "followup": ("clock__followup_due", "id"),
}
# Urgent first, then important, then normal (the stored values don't sort that way).
URGENCY_RANK = Case(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.IMPORTANT, then=Value(1)),
    default=Value(2),
)


def searched_phone(q: str) -> str:
    """The phone number (stored form) that the search text `q` is, or "" when it is none."""
    q = unicodedata.normalize("NFKC", q or "").strip()
    if canonical_tracking_number(q) or not _PHONE.match(q):
        return ""
    phone = normalise_phone(q)
    return phone if len(phone.lstrip("+")) >= 7 else ""


def search(user: User, queue: Queue, q: str = "", state: str = "", sort: str = "new") -> QuerySet:
    """Cases of `queue` matching `q`: a tracking number exactly, a phone number exactly, or
    words in the subject, description, address or request."""
    qs = queue.select(user, cases_visible_to(user))
    q = (q or "").strip()
    if q:
        number, phone = canonical_tracking_number(q), searched_phone(q)
        if number:
            qs = qs.filter(tracking_number=number)
        elif phone:
            qs = of_phone(qs, phone)
        else:
            qs = qs.filter(search_text__contains=q.lower())
    if state in State.ALL:
        qs = qs.filter(state=state)
    if sort == "due":  # deadlines matter for cases still being handled
        qs = qs.filter(clock__resolved_at__isnull=True, clock__stopped=False)
    if sort == "urgency":  # urgent cases jump the queue
        qs = qs.annotate(urgency_rank=URGENCY_RANK)
    return qs.select_related("department", "category", "clock").order_by(
        *SORTS.get(sort, SORTS["new"])
    )
