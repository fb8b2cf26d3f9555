"""Which channels, beyond the inbox, a staff notice goes by.

Every notice is in the recipient's inbox. Each staff member chooses, per kind, whether it
also comes by e-mail and by SMS (kept on the user, `User.notice_channels`, so the people a
notice goes to are read with their choices); a kind they have not chosen for follows
`DEFAULT_CHANNELS`: what must be acted on now goes by e-mail, what cannot wait also by SMS,
and the step-by-step notices of 首诉负责 stay in the inbox.
"""

from __future__ import annotations

from hearline.accounts.models import User

from .models import MessageChannel, NotificationKind

K = NotificationKind
EMAIL, SMS = MessageChannel.EMAIL, MessageChannel.SMS
CHANNELS = (EMAIL, SMS)

DEFAULT_CHANNELS: dict[str, frozenset[str]] = {
    K.STEP: frozenset(),
    K.REMINDER: frozenset(),
    K.OVERDUE: frozenset({EMAIL}),
    K.URGE: frozenset({EMAIL, SMS}),
    K.URGE_ACKNOWLEDGED: frozenset(),
    K.RATING: frozenset({EMAIL}),
    K.APPEAL: frozenset({EMAIL}),
    K.FOLLOWUP: frozenset(),
    K.PLAN: frozenset({EMAIL, SMS}),
    K.COHANDLING: frozenset(),
    K.ESCALATION: frozenset({EMAIL}),
    K.ASSIGNMENT: frozenset({EMAIL}),
    K.URGENT: frozenset({EMAIL, SMS}),
    K.APPROVAL: frozenset({EMAIL}),
    K.INCIDENT: frozenset({EMAIL, SMS}),
    K.BULLETIN_DUE: frozenset({EMAIL}),
    K.BULLETIN_OVERDUE: frozenset({EMAIL, SMS}),
    K.ARTICLE_REVIEW: frozenset({EMAIL}),
}


def chosen_channels(user: User, kind: str) -> frozenset[str]:
    """The channels `user` wants notices of `kind` by: their own choice, else the default
    (whether they have an address for each is `channels_for`'s concern)."""
    chosen = (user.notice_channels or {}).get(kind)
    if chosen is None:
        return DEFAULT_CHANNELS.get(kind, frozenset())
    return frozenset(c for c in chosen if c in CHANNELS)


def channels_for(user: User, kind: str) -> list[str]:
    """The channels a notice of `kind` goes to `user` by: those chosen that they have an
    address for (an e-mail address, a mobile number), in a fixed order."""
    chosen = chosen_channels(user, kind)
    return [channel for channel in CHANNELS if channel in chosen and address_of(user, channel)]


def address_of(user: User, channel: str) -> str:
    """The staff member's address on `channel`, or "" when they have none."""
    return user.email if channel == EMAIL else user.mobile if channel == SMS else ""
