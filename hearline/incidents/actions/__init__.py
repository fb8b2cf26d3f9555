"""Every write to an incident. Each `do_*` function takes the acting user, checks that they
run the incident (`queries.may_coordinate`), changes it through `apply_step` (row lock,
state check against `workflow.STEPS`, version, append-only event, one transaction) and
hands the work on many cases (timeline entries, bulletin deliveries, replies) to Huey tasks
after commit, each case in its own transaction and each idempotent.
"""

from .bulletins import (
    do_bulletin_sweep,
    do_deliver_bulletin,
    do_publish_bulletin,
)
from .closure import (
    do_close_incident,
    do_follow_up_incident,
    do_follow_up_linked_cases,
    do_record_support,
    do_release_unanswered_cases,
    do_reply_linked_cases,
    do_review_incident,
    do_view_households,
    restoration_reply,
)
from .lifecycle import (
    do_confirm_incident,
    do_dismiss_incident,
    do_expire_proposals,
    do_open_incident,
    do_stabilise_incident,
    do_update_incident,
    expire_proposal,
    propose_incident,
)
from .links import (
    do_decide_aftermath,
    do_join_incident,
    do_link_cases,
    do_mark_linked_cases,
    do_mark_own_needs,
    do_unlink_case,
)
from .plans import do_complete_plan_step, start_case_plans, start_incident_plan
from .steps import apply_step, incident_ref

__all__ = [
    "apply_step",
    "do_bulletin_sweep",
    "do_close_incident",
    "do_complete_plan_step",
    "do_decide_aftermath",
    "do_confirm_incident",
    "do_deliver_bulletin",
    "do_dismiss_incident",
    "do_expire_proposals",
    "do_follow_up_incident",
    "do_follow_up_linked_cases",
    "do_join_incident",
    "do_link_cases",
    "do_mark_linked_cases",
    "do_mark_own_needs",
    "do_open_incident",
    "do_publish_bulletin",
    "do_record_support",
    "do_release_unanswered_cases",
    "do_reply_linked_cases",
    "do_review_incident",
    "do_stabilise_incident",
    "do_unlink_case",
    "do_update_incident",
    "do_view_households",
    "expire_proposal",
    "incident_ref",
    "propose_incident",
    "restoration_reply",
    "start_case_plans",
    "start_incident_plan",
]
