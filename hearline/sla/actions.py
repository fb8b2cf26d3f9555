"""Writes of the time-limit module besides the sweep: policy versions, and the archiving of
answered cases by their policy."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hearline.accounts.models import User
from hearline.cases.actions import do_system_transition
from hearline.cases.workflow import Conflict, IllegalTransition

from .models import CaseClock, SlaPolicy

VERSIONED_FIELDS = (
    "name",
    "category_id",
    "urgency",
    "channel",
    "department_id",
    "response_amount",
    "response_unit",
    "resolution_amount",
    "resolution_unit",
    "followup_days",
    "archive_days",
)


def do_save_policy(policy: SlaPolicy, *, acting_user: User) -> SlaPolicy:
    """Save an SLA policy. A new policy is inserted; a change to the time limits or to what
    the policy matches never edits the stored row: it becomes version n+1 and the old row is
    deactivated, so every case keeps the policy it was registered under. Turning a policy on
    or off changes the row itself."""
    with transaction.atomic():
        if policy.pk is None:
            policy.created_by = acting_user
            policy.save()
            return policy
        stored = SlaPolicy.objects.select_for_update().get(pk=policy.pk)
        if all(getattr(stored, f) == getattr(policy, f) for f in VERSIONED_FIELDS):
            SlaPolicy.objects.filter(pk=stored.pk).update(is_active=policy.is_active)
            return policy
        SlaPolicy.objects.filter(pk=stored.pk).update(is_active=False)
        policy.pk = None
        policy.version = stored.version + 1
        policy.previous = stored
        policy.created_by = acting_user
        policy.save()
        return policy


def do_archive_due(now: datetime | None = None) -> int:
    """Archive, as Hearline itself, every answered case whose time to be followed up, rated,
    reopened or appealed has passed by its policy (`CaseClock.archive_due`), each in its own
    transaction; a case reopened or appealed meanwhile is left alone. Safe to run twice:
    an archived case's clock is stopped and no longer due. Returns how many were archived."""
    now = now or timezone.now()
    due = CaseClock.objects.filter(archive_due__lte=now, stopped=False)
    archived = 0
    for case_id in list(due.values_list("pk", flat=True)):
        try:
            do_system_transition(case_id, "archive_by_policy")
        except (IllegalTransition, Conflict):
            continue
        archived += 1
    return archived
