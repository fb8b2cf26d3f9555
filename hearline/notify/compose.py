"""The words of each message, in the site's language (Chinese by default)."""

from __future__ import annotations

from datetime import datetime

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
        return _("Complaint registered"), _join(
            _(
                "Your complaint has been registered. Tracking number: %(number)s. Follow its "
                "progress at %(link)s."
            )
            % {"number": number, "link": _public_link(case)},
            promise_text(details.get("deadlines")),
        )
    if purpose == Purpose.PROGRESS:
        return _("Progress of your complaint"), _join(
            _("Your complaint %(number)s: %(step)s (%(department)s).")
            % {"number": number, "step": details.get("step", ""), "department": department},
            _changed_promise(details),
        )
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


def _join(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def local_time(iso: str | None) -> str:
    """A moment given as ISO 8601 (event details keep UTC) in Hearline's local time, to the
    minute; "" for none."""
    if not iso:
        return ""
    return timezone.localtime(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")


def promise_text(deadlines: dict | None) -> str:
    """The time limits told to the complainant: when we will be in touch and when they will
    have the answer (local time), or that the incident's restoration answers the case; ""
    when there are none."""
    deadlines = deadlines or {}
    if deadlines.get("follows_incident"):
        return _(
            "Your case is handled with the incident behind it: you will hear its progress and "
            "be told as soon as service is restored."
        )
    response, resolution = (
        local_time(deadlines.get(k)) for k in ("response_due", "resolution_due")
    )
    if response and resolution:
        return _("We will contact you by %(response)s and answer you by %(resolution)s.") % {
            "response": response,
            "resolution": resolution,
        }
    if resolution:
        return _("We will answer you by %(resolution)s.") % {"resolution": resolution}
    return ""


def _changed_promise(details: dict) -> str:
    """What a step changed of the promise: the new date of an approved extension and why, the
    reason of a pause, the new answer date after a resumption or a reopen."""
    action = details.get("action")
    if action == "approve_extension":
        return _("The new time limit is %(until)s. Reason: %(reason)s") % {
            "until": local_time(details.get("until")),
            "reason": details.get("reason", ""),
        }
    if action == "approve_suspension":
        return _(
            "Reason: %(reason)s The time limit stops meanwhile and runs again when handling "
            "resumes."
        ) % {"reason": details.get("reason", "")}
    if action == "dismiss_appeal":
        return _("Reason: %(reason)s") % {"reason": details.get("reason", "")}
    if action in ("resume", "reopen", "uphold_appeal"):
        return promise_text({"resolution_due": details.get("deadlines", {}).get("resolution_due")})
    return ""


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
