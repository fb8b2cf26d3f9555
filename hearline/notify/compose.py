"""The words of each message, in the site's language (Chinese by default)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hearline.cases.models import Case
from hearline.knowledge.texts import message_text

from .models import Purpose


def _public_link(case: Case) -> str:
    """The progress page of the case, opened by the secret token (the link goes only to
    the complainant)."""
    base = settings.HEARLINE_PUBLIC_URL.rstrip("/")
    return f"{base}/track/?number={case.tracking_number}&token={case.public_token}"


def _texts(case: Case, purpose: str, details: dict) -> tuple[str, str]:
    number = case.tracking_number
    department = case.department.name
    if purpose == Purpose.ACKNOWLEDGEMENT:
        return _("Complaint registered"), _(
            "Your complaint has been registered. Tracking number: %(number)s. Follow its "
            "progress at %(link)s."
        ) % {"number": number, "link": _public_link(case)}
    if purpose == Purpose.PROGRESS:
        return _("Progress of your complaint"), _(
            "Your complaint %(number)s: %(step)s (%(department)s)."
        ) % {"number": number, "step": details.get("step", ""), "department": department}
    if purpose == Purpose.REPLY:
        return _("Reply to your complaint"), _(
            "Reply to your complaint %(number)s from %(department)s: %(reply)s"
        ) % {"number": number, "department": department, "reply": case.reply}
    if purpose == Purpose.ARTICLE:
        return _("Information you asked about"), message_text(details["article"]["id"])
    if purpose == Purpose.RATING_REQUEST:
        return _("Was your problem solved?"), _(
            "Was your complaint %(number)s solved, and how satisfied are you? Rate it at "
            "%(link)s, or reply: 1 satisfied, 2 basically satisfied, 3 dissatisfied."
        ) % {"number": number, "link": _public_link(case)}
    if purpose == Purpose.FOLLOW_UP:
        return _("Thank you"), _(
            "Thank you for your feedback on complaint %(number)s. If the problem comes back, "
            "reply to this message or call the hotline and quote the number."
        ) % {"number": number}
    if purpose == Purpose.ASSIGNMENT:
        return _("New case %(number)s") % {"number": number}, _(
            "Case %(number)s has been assigned to %(department)s: %(title)s"
        ) % {"number": number, "department": department, "title": case.title}
    return _("Case %(number)s: %(what)s") % {
        "number": number,
        "what": Purpose(purpose).label,
    }, details.get("text", "")


def compose(case: Case, purpose: str, details: dict | None = None) -> tuple[str, str]:
    """(subject, body) of a message. The subject carries the tracking number in brackets,
    so a reply by e-mail finds its case."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _texts(case, purpose, details or {})
        subject = f"[{case.tracking_number}] {subject}"
        if purpose in (Purpose.URGE, Purpose.ESCALATION, Purpose.OVERDUE):
            body = body or _("Please act on case %(number)s.") % {"number": case.tracking_number}
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return subject[:200], f"{body}\n— {settings.HEARLINE_ORGANISATION_NAME} {stamp}"
