"""Reporting back to the upstream platform a case came from."""

from __future__ import annotations

from django.utils import timezone

from hearline.cases.models import Case

from .models import Purpose

# What the platform is told; rating and follow-up it does with the citizen itself.
REPORTED = frozenset({Purpose.ACKNOWLEDGEMENT, Purpose.PROGRESS, Purpose.REPLY})


def platform_message(case: Case, action: str, purpose: str) -> dict | None:
    """None when the case did not come from an upstream platform; {} when it did but the
    platform is not told this; else the structured report for the platform."""
    if not case.upstream_reference:
        return None
    platform, _sep, reference = case.upstream_reference.partition(":")
    if purpose not in REPORTED:
        return {}
    report = {
        "platform": platform,
        "upstream_reference": reference,
        "tracking_number": case.tracking_number,
        "event": action,
        "state": case.state,
        "department": case.department.name,
        "at": timezone.now().isoformat(),
    }
    if purpose == Purpose.REPLY:
        report["reply"] = case.reply
        report["resolution_type"] = case.resolution_type
    return report
