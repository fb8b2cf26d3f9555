"""The channel of a complaint registered through the REST API: it follows from the door."""

from hearline.accounts.models import User
from hearline.accounts.roles import Role
from hearline.cases.models import Channel
from hearline.cases.submission import STAFF_INTAKE_CHANNELS
from hearline.cases.workflow import InvalidInput


def api_channel(requested: str, user: User) -> str:
    """The channel a complaint posted to `POST /api/v1/cases` by `user` is registered with:
    `app`, unless `user` is an intake agent registering what a caller, a visitor or a letter
    told them (a staff-intake channel). Any other channel belongs to another door (the
    portal, e-mail, SMS, social media, upstream platforms, Open311 — whose cases are
    published): InvalidInput with `channel: not_allowed`; an unknown one `invalid_choice`.
    Raises before anything is written."""
    if requested == Channel.APP:
        return Channel.APP
    if requested in STAFF_INTAKE_CHANNELS and user.has_role(Role.AGENT):
        return requested
    code = "not_allowed" if requested in Channel.values else "invalid_choice"
    raise InvalidInput(
        "the channel follows from the door the complaint came through",
        fields={"channel": code},
    )
