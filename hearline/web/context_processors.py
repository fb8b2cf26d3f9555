"""The staff navigation: the user's queues with the number of open cases in each, and their
unread notices, on staff pages only."""

from django.conf import settings

from hearline.accounts.roles import Role
from hearline.cases.workflow import State
from hearline.incidents.queries import FOLLOWING_ROLES
from hearline.knowledge.access import editable_owners
from hearline.knowledge.stats import stale
from hearline.notify.inbox import BADGE_CAP as NOTICE_BADGE_CAP
from hearline.notify.inbox import unread_count

from .queues import queues_for, search

BADGE_CAP = 1000  # a badge shows "999+" beyond this; counting further costs every page


def staff_navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/staff/"):
        return {}
    queues = [
        (q, search(user, q).exclude(state__in=State.TERMINAL).order_by()[:BADGE_CAP].count())
        for q in queues_for(user)
        if q.key != "all"
    ]
    roles = user.roles
    return {
        "nav_stale_articles": stale(editable_owners(user)).count(),
        "nav_unread": unread_count(user),
        "badge_cap": NOTICE_BADGE_CAP,
        "nav_poll_seconds": settings.HEARLINE_NOTICE_POLL_SECONDS,
        "nav_queues": queues,
        "nav_intake": bool(roles & {Role.AGENT, Role.DISPATCHER}),
        "nav_board": bool(roles & {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}) or user.is_superuser,
        "nav_incidents": bool(roles & (FOLLOWING_ROLES | {Role.ADMIN})) or user.is_superuser,
        "nav_dashboard": bool(roles & {Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})
        or user.is_superuser,
    }
