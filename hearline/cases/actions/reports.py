"""A message's delivery report on the case's timeline: a fact, not a step of the lifecycle.

The case is neither locked nor changed: its version stays (nobody's open form is refused
because an SMS went out), no observer runs. Reports have a sequence of their own on each
case (`report_seq`) and the `seq` of the step they follow, after which they sort.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max

from ..models import Case, CaseEvent
from ..workflow import REPORT_ACTIONS

# What a delivery report keeps: which message, how, to whom (masked), why, after how many
# tries.
REPORT_FIELDS = ("message", "channel", "purpose", "audience", "recipient", "attempts", "error")
_TRIES = 5


def do_record_delivery_report(case_id: int, action: str, *, details: dict) -> CaseEvent:
    """Append the report `action` (message_sent, message_failed) with the REPORT_FIELDS of
    `details` to the case's timeline, as Hearline itself, and return it. Two reports on one
    case at the same moment both land: the one that finds its number taken takes the
    next."""
    if action not in REPORT_ACTIONS:
        raise ValueError(f"{action!r} is not a delivery report")
    kept = {name: details[name] for name in REPORT_FIELDS if name in details}
    tries = 1
    while True:
        try:
            with transaction.atomic():
                return _append(case_id, action, kept | {"by": "system"})
        except IntegrityError:
            if tries >= _TRIES:
                raise
            tries += 1


def _append(case_id: int, action: str, details: dict) -> CaseEvent:
    version, state = Case.objects.filter(pk=case_id).values_list("version", "state").get()
    reports = CaseEvent.objects.reports().filter(case_id=case_id)
    last = reports.aggregate(last=Max("report_seq"))["last"]
    return CaseEvent.objects.create(
        case_id=case_id,
        seq=version,
        report_seq=(last or 0) + 1,
        actor=None,
        action=action,
        from_state=state,
        to_state=state,
        details=details,
        public=False,
    )
