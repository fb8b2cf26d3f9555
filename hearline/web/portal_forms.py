"""The complainant's forms on the public progress page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hearline.cases.form_errors import ActionErrorsMixin
from hearline.cases.models.cases import Confirmation, Satisfaction


class PublicForm(ActionErrorsMixin, forms.Form):
    """A form the complainant fills in on the progress page."""


class PublicRatingForm(PublicForm):
    confirmation = forms.ChoiceField(
        label=_("Did this solve your problem?"),
        choices=Confirmation.choices,
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )


class ReopenForm(PublicForm):
    reason = forms.CharField(
        label=_("Why should the case be handled again?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealForm(PublicForm):
    reason = forms.CharField(
        label=_("Why do you appeal?"), widget=forms.Textarea(attrs={"rows": 3})
    )
