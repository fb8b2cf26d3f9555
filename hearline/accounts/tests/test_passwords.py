"""Staff passwords are set by administrators (the admin's password form, `hearline
changepassword`) and by the signed-in user; there is no self-service reset by e-mail."""

from django.core import mail

RESET_PAGES = (
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/MQ/set-password/",
    "/accounts/reset/done/",
)


def test_there_is_no_self_service_password_reset(org, client):
    org.agent.email = "agent@example.org"
    org.agent.save()
    for path in RESET_PAGES:
        assert client.get(path).status_code == 404, path
    answer = client.post("/accounts/password_reset/", {"email": "agent@example.org"})
    assert answer.status_code == 404
    assert mail.outbox == []


def test_signed_in_staff_change_their_own_password(org, client):
    client.force_login(org.agent)
    answer = client.post(
        "/accounts/password_change/",
        {"old_password": "x", "new_password1": "Kx9!harbour", "new_password2": "Kx9!harbour"},
    )
    assert answer.status_code == 302
    org.agent.refresh_from_db()
    assert org.agent.check_password("Kx9!harbour")


def test_an_administrator_sets_a_users_password_in_the_admin(org, client):
    org.manager.is_staff = org.manager.is_superuser = True
    org.manager.save()
    client.force_login(org.manager)
    answer = client.post(
        f"/admin/accounts/user/{org.agent.pk}/password/",
        {"password1": "Kx9!harbour", "password2": "Kx9!harbour"},
    )
    assert answer.status_code == 302
    org.agent.refresh_from_db()
    assert org.agent.check_password("Kx9!harbour")
