"""The form where a staff member chooses which notices also come by e-mail or SMS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from hearline.accounts.models import User
from hearline.cases.form_errors import ActionErrorsMixin

from .models import MessageChannel, NotificationKind
from .preferences import CHANNELS, chosen_channels

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class NoticeChannelsForm(ActionErrorsMixin, forms.Form):
    """A pair of boxes (e-mail, SMS) per kind of notice, ticked as the user receives it now,
    and the mobile number SMS goes to."""

    mobile = forms.CharField(
        label=_("Mobile number for SMS"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile"].initial = user.mobile
        self.field_aliases = {}
        for kind, label in NotificationKind.choices:
            chosen = chosen_channels(user, kind)
            for channel in CHANNELS:
                by = MessageChannel(channel).label
                self.fields[f"{kind}__{channel}"] = forms.BooleanField(
                    label=label,
                    required=False,
                    initial=channel in chosen,
                    widget=forms.CheckboxInput(attrs={"aria-label": f"{label}: {by}"}),
                )
            self.field_aliases[kind] = f"{kind}__{CHANNELS[0]}"

    def rows(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        """(kind's label, its boxes in the order of CHANNELS) for each kind."""
        return [
            (label, [self[f"{kind}__{channel}"] for channel in CHANNELS])
            for kind, label in NotificationKind.choices
        ]

    def choices(self) -> dict[str, list[str]]:
        """Kind → the channels ticked for it."""
        return {
            kind: [c for c in CHANNELS if self.cleaned_data.get(f"{kind}__{c}")]
            for kind in NotificationKind.values
        }
