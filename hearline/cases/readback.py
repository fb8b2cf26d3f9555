"""The read-back (复述确认) an agent reads to the caller, and the acknowledgement sent to the
complainant with the tracking number."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Case


def readback_text(case: Case) -> str:
    """Who, what, where, when, what they ask, and the tracking number, in one paragraph."""
    person = case.complainant
    when = (
        timezone.localtime(case.occurred_at).strftime("%Y-%m-%d %H:%M")
        if case.occurred_at
        else _("not stated")
    )
    parts = [
        _("%(name)s, let me read back what you told us.") % {"name": person.name or _("Caller")},
        _("What happened: %(what)s.") % {"what": case.description.strip().rstrip("。.")},
        _("Where: %(where)s.") % {"where": case.address or case.district or _("not stated")},
        _("When: %(when)s.") % {"when": when},
        _("You ask for: %(request)s.") % {"request": case.request or _("not stated")},
        _("Your tracking number is %(number)s.") % {"number": spoken_number(case.tracking_number)},
    ]
    return " ".join(parts)


def acknowledgement_text(case: Case) -> str:
    """The message that confirms registration to the complainant in their channel."""
    return _(
        "Your complaint has been registered. Tracking number: %(number)s. "
        "You can follow its progress online with this number and your phone number."
    ) % {"number": case.tracking_number}


def spoken_number(tracking_number: str) -> str:
    """The tracking number spaced out character by character for reading aloud."""
    return " ".join(ch for ch in tracking_number if ch != "-")
