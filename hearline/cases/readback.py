"""The read-back (复述确认) an agent reads to the caller, and the acknowledgement sent to the
complainant with the tracking number."""

from django.utils import timezone
from django.utils.translation import gettext as _

from hearline.core.privacy import mask_name

from .models import Case


def _clause(value: str) -> str:
    return (value or "").strip().rstrip("。.！!；;，, ")


def readback_text(case: Case, *, on_the_call: bool = True) -> str:
    """Who, what, where, when, what they ask, and the tracking number, in one paragraph.
    The caller's name in full only `on_the_call` (the agent who just registered it); anyone
    reading it later sees the masked name, as everywhere else."""
    person = case.complainant
    name = person.name if on_the_call else mask_name(person.name)
    when = (
        timezone.localtime(case.occurred_at).strftime("%Y-%m-%d %H:%M")
        if case.occurred_at
        else _("not stated")
    )
    return _(
        "%(name)s, let me read back what you told us. What happened: %(what)s. "
        "Where: %(where)s. When: %(when)s. You ask for: %(request)s. "
        "Your tracking number is %(number)s."
    ) % {
        "name": name or _("Caller"),
        "what": _clause(case.description),
        "where": _clause(case.address or case.district) or _("not stated"),
        "when": when,
        "request": _clause(case.request) or _("not stated"),
        "number": spoken_number(case.tracking_number),
    }


def acknowledgement_text(case: Case) -> str:
    """The message that confirms registration to the complainant in their channel."""
    return _(
        "Your complaint has been registered. Tracking number: %(number)s. "
        "You can follow its progress online with this number and your phone number."
    ) % {"number": case.tracking_number}


def spoken_number(tracking_number: str) -> str:
    """The tracking number spaced out character by character for reading aloud."""
    return " ".join(ch for ch in tracking_number if ch != "-")
