"""Staff sign-in with brute-force throttling (the staff page and the admin's own page).

Five wrong passwords for one user name, or twenty from one client address, within fifteen
minutes block further attempts for that name or address until the oldest failure is fifteen
minutes old; even the right password is refused meanwhile. The refusal is the same whether
or not the user name exists. A correct sign-in clears that user name's failures.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from hearline.core.throttle import (
    SIGN_IN_PER_ADDRESS,
    SIGN_IN_PER_USER,
    blocked,
    client_address,
    forget,
    record_failure,
)

THROTTLED = "throttled"


class ThrottledSignIn:
    """Mixin for Django's authentication forms: checks the limits before the password."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        checks = ((SIGN_IN_PER_USER, username), (SIGN_IN_PER_ADDRESS, client_address(self.request)))
        if blocked(*checks):
            raise ValidationError(
                _("Too many failed sign-ins. Please try again in 15 minutes."), code=THROTTLED
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            record_failure(*checks)
            raise
        forget(SIGN_IN_PER_USER, username)
        return cleaned


class SignInForm(ThrottledSignIn, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    pass


def is_throttled(form) -> bool:
    """True when the form was refused because of the limits."""
    return form.has_error(NON_FIELD_ERRORS, THROTTLED)


class SignInView(LoginView):
    """The staff sign-in page; a throttled attempt answers 429 Too Many Requests."""

    authentication_form = SignInForm

    def form_invalid(self, form):
        throttled = is_throttled(form)
        context = self.get_context_data(form=form, throttled=throttled)
        return self.render_to_response(context, status=429 if throttled else 200)
