"""A staff member's inbox: the notices Hearline wrote them, unread first."""

from __future__ import annotations

from django.db.models import F, QuerySet

from hearline.accounts.models import User

from .models import Notification

BADGE_CAP = 1000  # the badge shows "999+" beyond this; counting further costs every page


def inbox(user: User, *, unread: bool = False, kind: str = "") -> QuerySet[Notification]:
    """The notices of `user` (only theirs), unread ones first, each group newest first;
    `unread` keeps only those not yet read, `kind` only those of that kind (an unknown kind
    finds none)."""
    notices = Notification.objects.filter(recipient=user)
    if unread:
        notices = notices.filter(read_at__isnull=True)
    if kind:
        notices = notices.filter(kind=kind)
    return notices.select_related("case", "incident", "event").order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(user: User) -> int:
    """How many of `user`'s notices are unread, counted up to BADGE_CAP."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by()
    return unread[:BADGE_CAP].count()
