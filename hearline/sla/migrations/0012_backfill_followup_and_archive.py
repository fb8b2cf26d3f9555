"""Answered cases from before follow-up dates existed get theirs, by their policy, so they
are followed up and archived like the others: cases already past their follow-up date are not
reminded all at once on upgrade (their team's queue lists them), and followed-up cases are
archived once the complainant's time to rate, reopen or appeal has passed from now."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

FOLLOWUP_DAYS, ARCHIVE_DAYS = 7, 15  # hearline.sla.clock's fallback, as of this migration
WAITING = ("replied", "confirmed")


def backfill(apps, schema_editor):
    CaseClock = apps.get_model("sla", "CaseClock")
    now = timezone.now()
    clocks = CaseClock.objects.filter(
        resolved_at__isnull=False, stopped=False, archive_due__isnull=True
    ).select_related("case", "policy")
    for clock in clocks.iterator(chunk_size=2000):
        policy = clock.policy
        followup_days = policy.followup_days if policy else FOLLOWUP_DAYS
        archive_days = policy.archive_days if policy else ARCHIVE_DAYS
        state = clock.case.state
        if state in WAITING:
            clock.followup_due = clock.resolved_at + timedelta(days=followup_days)
            clock.archive_due = clock.followup_due + timedelta(days=archive_days)
            clock.followup_reminded = clock.followup_due <= now
            if not clock.followup_reminded and not clock.incident_since:
                due = clock.next_alert_at
                clock.next_alert_at = min(due, clock.followup_due) if due else clock.followup_due
        elif state == "followed_up":
            clock.archive_due = now + timedelta(days=archive_days)
        else:
            continue
        clock.save(
            update_fields=["followup_due", "archive_due", "followup_reminded", "next_alert_at"]
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0011_board_index_without_incident_cases")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
