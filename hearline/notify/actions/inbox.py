"""A staff member's own writes on their inbox: marking notices read, and choosing the
channels each kind of notice also comes by (with the mobile number for SMS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearline.accounts.models import MOBILE_NUMBER, User
from hearline.core.errors import InvalidInput, NotFound
from hearline.core.phones import normalise_phone

from ..models import MessageChannel, Notification, NotificationKind
from ..preferences import CHANNELS


def do_mark_notification_read(notification_id: int, *, acting_user: User) -> Notification:
    """Mark one of `acting_user`'s own notices read and return it; NotFound for anyone
    else's (or none). Reading it again keeps the time it was first read."""
    notice = Notification.objects.filter(pk=notification_id, recipient=acting_user).first()
    if notice is None:
        raise NotFound("no such notification", notification=notification_id)
    if notice.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
        notice.refresh_from_db(fields=["read_at"])
    return notice


def do_mark_notifications_read(*, acting_user: User, kind: str = "") -> int:
    """Mark all of `acting_user`'s unread notices read (only those of `kind`, when given);
    returns how many."""
    unread = Notification.objects.filter(recipient=acting_user, read_at__isnull=True)
    if kind:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=timezone.now())


def do_set_notice_channels(
    choices: dict[str, list[str]], *, acting_user: User, mobile: str | None = None
) -> User:
    """Keep `acting_user`'s choice of the channels each kind of notice also comes by
    (`choices`: kind → channels, e-mail and SMS; a kind left out keeps its default), and
    their mobile number for SMS when `mobile` is given. InvalidInput, changing nothing, for
    an unknown kind or channel, a mobile number that is not one, or SMS chosen without a
    mobile number."""
    fields: dict[str, str] = {}
    kept: dict[str, list[str]] = {}
    for kind, channels in choices.items():
        if kind not in NotificationKind.values:
            fields[kind] = "invalid_choice"
        elif any(channel not in CHANNELS for channel in channels):
            fields[kind] = "invalid_choice"
        else:
            kept[kind] = [channel for channel in CHANNELS if channel in channels]
    number = acting_user.mobile if mobile is None else normalise_phone(mobile).removeprefix("+86")
    if number:
        try:
            MOBILE_NUMBER(number)
        except ValidationError:
            fields["mobile"] = "invalid_phone"
    if not number and any(MessageChannel.SMS in channels for channels in kept.values()):
        fields["mobile"] = "mobile_required"
    if fields:
        raise InvalidInput("the notice channels were not saved", fields=fields)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=acting_user.pk)
        user.notice_channels = {**(user.notice_channels or {}), **kept}
        user.mobile = number
        user.save(update_fields=["notice_channels", "mobile"])
    return user
