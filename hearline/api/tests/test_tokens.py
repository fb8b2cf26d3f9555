"""API tokens and the service accounts they stand for: made by the `apikey` command or
in the admin and shown once, stored as a hash, carrying the account's department and
roles, refused once revoked or deactivated."""

from datetime import timedelta

from django.core.management import call_command

from hearline.accounts.models import UserRole
from hearline.api.actions import do_revoke_api_token
from hearline.api.auth import user_for_token
from hearline.api.models import ApiToken
from hearline.api.tests.helpers import _auth


def test_apikey_command_prints_the_token_once_and_stores_only_a_hash(org, capsys):
    call_command(
        "apikey", "create", "--name", "city-app", "--role", "agent", "--department", "callcentre"
    )
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="city-app")
    assert raw.startswith("hl_") and raw not in token.token_hash and token.prefix == raw[:8]
    assert token.user.department.code == "callcentre" and token.user.roles == {"agent"}


def test_unauthenticated_and_revoked(client, tokens):
    assert client.get("/api/v1/cases").status_code == 401
    do_revoke_api_token(ApiToken.objects.get(name="app"))
    assert client.get("/api/v1/cases", **_auth(tokens["app"])).status_code == 401


def test_a_deactivated_service_account_is_refused(client, tokens):
    account = ApiToken.objects.get(name="app").user
    account.is_active = False
    account.save()
    assert client.get("/api/v1/cases", **_auth(tokens["app"])).status_code == 401


def test_a_token_carries_its_accounts_department_and_roles(org, tokens):
    user = user_for_token(tokens["repair"])
    assert (
        user.department.code == "repair" and user.department.path == org.departments["repair"].path
    )
    assert user.roles == {"handler"}
    UserRole.objects.create(user=user, role="supervisor")
    assert user_for_token(tokens["repair"]).roles == {"handler", "supervisor"}
    assert user_for_token(tokens["repair"] + "x") is None


def test_a_tokens_use_is_recorded_at_most_once_a_minute(client, tokens):
    token = ApiToken.objects.get(name="app")
    assert token.last_used_at is None
    client.get("/api/v1/cases", **_auth(tokens["app"]))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/cases", **_auth(tokens["app"]))
    token.refresh_from_db()
    assert token.last_used_at == first, "a second write within the minute"
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/cases", **_auth(tokens["app"]))
    token.refresh_from_db()
    assert token.last_used_at > first


def test_tokens_are_created_in_the_admin_and_shown_once(client, org):
    from hearline.accounts.models import User

    admin = User.objects.create_superuser(
        "root", password="x", department=org.departments["hotline"]
    )
    client.force_login(admin)
    page = client.post(
        "/admin/api/apitoken/add/",
        {"name": "open311", "role": "agent", "department": org.departments["callcentre"].pk},
        follow=True,
    )
    body = page.content.decode()
    raw = body.split("hl_", 1)[1][:43]
    token = ApiToken.objects.get(name="open311")
    assert token.prefix == ("hl_" + raw)[:8] and ("hl_" + raw) not in token.token_hash
    assert client.get("/api/v1/cases", **_auth("hl_" + raw)).status_code == 200
