"""The staff account each inbound channel registers its cases as (its 首诉负责人 desk)."""

from __future__ import annotations

from django.conf import settings

from hearline.accounts.loading import staff_by_username
from hearline.accounts.models import User


class DeskMissing(Exception):
    """The channel's desk account does not exist or is inactive: nothing can be taken in."""


def desk_for(channel: str) -> User:
    """The active account named in settings.HEARLINE_CHANNEL_DESKS[channel], with its
    department and roles loaded."""
    username = settings.HEARLINE_CHANNEL_DESKS[channel]
    user = staff_by_username(username)
    if user is None:
        raise DeskMissing(f"the {channel} desk account {username!r} is missing or inactive")
    return user
