"""The words of incident messages, in the site's language (Chinese by default)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Bulletin, Incident


def public_link(incident: Incident) -> str:
    """The public incident page (bulletins, no personal data)."""
    base = settings.HEARLINE_PUBLIC_URL.rstrip("/")
    return base + reverse("incident_public", args=[incident.pk])


def staff_link(incident: Incident) -> str:
    """The incident's page in the staff workspace (for coordinators' e-mails)."""
    base = settings.HEARLINE_PUBLIC_URL.rstrip("/")
    return base + reverse("staff:incident", args=[incident.pk])


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def bulletin_text(bulletin: Bulletin) -> str:
    """The bulletin as one paragraph: the text, the expected restoration, the measures."""
    parts = [bulletin.text]
    if bulletin.expected_restoration_at:
        parts.append(
            _("Expected restoration: %(time)s.") % {"time": _when(bulletin.expected_restoration_at)}
        )
    if bulletin.measures:
        parts.append(_("Meanwhile: %(measures)s") % {"measures": bulletin.measures})
    return " ".join(parts)


def bulletin_message(bulletin: Bulletin) -> tuple[str, str]:
    """(subject, body) of a bulletin sent to the linked complainants (the subject gets each
    case's tracking number in front)."""
    incident = bulletin.incident
    with translation.override(settings.LANGUAGE_CODE):
        if bulletin.restoration:
            subject = _("%(title)s: restored") % {"title": incident.title}
        else:
            subject = _("%(title)s: update %(seq)d") % {
                "title": incident.title,
                "seq": bulletin.seq,
            }
        text = bulletin_text(bulletin)
        link = public_link(incident)
        follow = _("All updates: %(link)s") % {"link": link}
        signature = f"— {settings.HEARLINE_ORGANISATION_NAME} {_when(bulletin.published_at)}"
    return subject, f"{text}\n{follow}\n{signature}"
