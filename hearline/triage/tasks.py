"""Triage work in the Huey consumer."""

from huey.contrib.djhuey import db_task

from .actions import do_triage_case


@db_task(retries=2, retry_delay=10)
def triage_case(case_id: int) -> None:
    """The models' suggestions for a registered case (and an automatic dispatch)."""
    do_triage_case(case_id)
