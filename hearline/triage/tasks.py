"""Triage work in the Huey consumer."""

from huey.contrib.djhuey import db_task

from hearline.analytics.terms import count_terms

from .actions import do_triage_case


@db_task(retries=2, retry_delay=10)
def triage_case(case_id: int) -> None:
    """The models' suggestions for a registered case (and an automatic dispatch), and the
    count of its words for the rising-terms analysis."""
    do_triage_case(case_id)
    count_terms(case_id)
