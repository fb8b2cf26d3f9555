"""Writes of the time-limit module besides the sweep: policy versions."""

from django.db import transaction

from hearline.accounts.models import User

from .models import SlaPolicy

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
