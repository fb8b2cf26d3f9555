"""Staff sign-in, sign-out and a signed-in user's own password change.

There is deliberately no self-service password reset: staff accounts are managed by
administrators, who set a forgotten password in the admin or with `hearline changepassword`
(docs/operations.md)."""

from django.contrib.auth import views as auth
from django.urls import path

from .signin import SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password_change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
