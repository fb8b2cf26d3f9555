"""Every write to a case. Each `do_*` function is atomic, takes the acting user, checks access,
and writes the timeline event and the owner's notification in the same transaction.

`do_transition` is the single function through which a case changes state; it applies the
row of `workflow.TRANSITIONS` for the action and nothing else.
"""

from .complainant_data import (
    PII_FIELDS,
    do_log_phone_search,
    do_reveal_complainant,
    masked_complainant,
    may_reveal_complainant,
)
from .receive import do_receive_case, do_register_receipt, do_register_waiting_receipts
from .register import Registration, do_register_case
from .reports import do_record_delivery_report
from .transition import do_complainant_transition, do_system_transition, do_transition

__all__ = [
    "PII_FIELDS",
    "Registration",
    "do_complainant_transition",
    "do_log_phone_search",
    "do_record_delivery_report",
    "do_receive_case",
    "do_register_receipt",
    "do_register_waiting_receipts",
    "do_register_case",
    "do_reveal_complainant",
    "do_system_transition",
    "do_transition",
    "masked_complainant",
    "may_reveal_complainant",
]
