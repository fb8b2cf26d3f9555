"""Limits on a staff session (the citizen portal has no sign-in).

A session ends after HEARLINE_SESSION_IDLE_MINUTES without a request, and however busy, at
the latest HEARLINE_SESSION_HOURS after sign-in (SESSION_COOKIE_AGE is the same lifetime,
so the cookie and the stored session go then too). The user is signed out before the view
runs, so the page answers as to anyone signed out: a staff page sends them to sign in, where
a message says why; the API answers 401.

Times come from `timezone.now()` (tests move them with `at_time`). The last activity only
ever moves forward, and is written at most once a minute rather than on every request.
"""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.utils import timezone
from django.utils.translation import gettext as _

SIGNED_IN_AT = "hearline_signed_in_at"
ACTIVE_AT = "hearline_active_at"
WRITE_EVERY = 60  # seconds between writes of the last activity


def stamp_sign_in(session, now: datetime) -> None:
    """Record in the session that it starts (and was last active) at `now`."""
    session[SIGNED_IN_AT] = session[ACTIVE_AT] = now.timestamp()


def on_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver of user_logged_in: every new sign-in starts both clocks."""
    if request is not None and hasattr(request, "session"):
        stamp_sign_in(request.session, timezone.now())


def connect() -> None:
    """Connect the sign-in receiver (called once, from the app's ready())."""
    user_logged_in.connect(on_sign_in, dispatch_uid="hearline-session-limits")


def ended_because(session, now: datetime) -> str | None:
    """Why the session is over at `now`, as the message for the user; None while it lasts.
    A session from before these limits starts its clocks now."""
    if SIGNED_IN_AT not in session or ACTIVE_AT not in session:
        stamp_sign_in(session, now)
        return None
    moment = now.timestamp()
    hours = settings.HEARLINE_SESSION_HOURS
    minutes = settings.HEARLINE_SESSION_IDLE_MINUTES
    if moment - session[SIGNED_IN_AT] > hours * 3600:
        return _("You have been signed in for %(hours)s hours. Please sign in again.") % {
            "hours": hours
        }
    if moment - session[ACTIVE_AT] > minutes * 60:
        return _(
            "You were signed out after %(minutes)s minutes without activity. Please sign in again."
        ) % {"minutes": minutes}
    if moment - session[ACTIVE_AT] >= WRITE_EVERY:
        session[ACTIVE_AT] = moment
    return None


class StaffSessionLimits:
    """Middleware (after authentication and messages): signs out a session that is over."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = ended_because(request.session, timezone.now())
            if reason:
                logout(request)
                messages.warning(request, reason)
        return self.get_response(request)
