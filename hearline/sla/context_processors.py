"""Puts the missing-calendar warning in front of supervisors and administrators."""

from hearline.accounts.roles import Role

from .calendars import calendar_warnings

_WARNED_ROLES = {Role.SUPERVISOR, Role.ADMIN}


def calendar_warning(request) -> dict:
    """`missing_calendar_years`: years without an official calendar, for those who must act."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not (user.is_superuser or user.roles & _WARNED_ROLES):
        return {}
    return {"missing_calendar_years": calendar_warnings()}
