"""Staff sign-in is throttled against password guessing, per user name and per address."""

import ipaddress
from datetime import timedelta

from django.utils import timezone

from hearline.core.models import FailedAttempt
from hearline.core.throttle import purge_expired
from hearline.core.timetravel import at_time

LOGIN = "/accounts/login/"


def _sign_in(client, username, password, address="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_block_the_name_even_with_the_right_one(org, client):
    for _ in range(5):
        page = _sign_in(client, "agent", "guess")
        assert page.status_code == 200 and "用户名或密码错误" in page.content.decode()
    page = _sign_in(client, "agent", "x")
    assert page.status_code == 429
    assert "登录失败次数过多，请15分钟后再试。" in page.content.decode()
    assert not _signed_in(client)
    page = _sign_in(client, "agent", "x", address="10.9.9.9")
    assert page.status_code == 429, "another address does not reopen the name"
    assert _sign_in(client, "agent2", "x").status_code == 302 and _signed_in(client)


def test_the_block_ends_fifteen_minutes_after_the_failures(org, client):
    for _ in range(5):
        _sign_in(client, "agent", "guess")
    with at_time(timezone.now() + timedelta(minutes=16)):
        assert _sign_in(client, "agent", "x").status_code == 302
    assert _signed_in(client)


def test_unknown_names_are_throttled_alike(org, client):
    """The refusal does not tell whether the user name exists."""
    answers = []
    for name in ("agent", "no_such_user"):
        for _ in range(5):
            _sign_in(client, name, "guess")
        page = _sign_in(client, name, "guess")
        answers.append((page.status_code, page.content.decode().count("登录失败次数过多")))
    assert answers == [(429, 1), (429, 1)]


def test_twenty_failures_from_one_address_block_it_for_every_name(org, client):
    for n in range(20):
        _sign_in(client, f"name{n}", "guess", address="10.0.0.7")
    assert _sign_in(client, "agent", "x", address="10.0.0.7").status_code == 429
    assert _sign_in(client, "agent", "x", address="10.0.0.8").status_code == 302


def test_a_correct_sign_in_clears_the_names_failures(org, client):
    for _ in range(4):
        _sign_in(client, "agent", "guess")
    assert _sign_in(client, "agent", "x").status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, "agent", "guess")
    assert _sign_in(client, "agent", "x").status_code == 302


def test_the_admin_sign_in_is_throttled_too(org, client):
    org.manager.is_staff = True
    org.manager.save()
    for _ in range(5):
        assert _sign_in(client, "manager", "guess", url="/admin/login/").status_code == 200
    page = _sign_in(client, "manager", "x", url="/admin/login/")
    assert "登录失败次数过多" in page.content.decode() and not _signed_in(client)


def test_failures_are_kept_as_keyed_hashes_and_purged_after_their_window(org, client):
    _sign_in(client, "agent", "guess", address="10.0.0.42")
    keys = list(FailedAttempt.objects.values_list("key", flat=True))
    assert len(keys) == 2 and not any("agent" in k or "10.0.0.42" in k for k in keys)
    assert purge_expired() == 0
    with at_time(timezone.now() + timedelta(hours=1)):
        assert purge_expired() == 2
    assert not FailedAttempt.objects.exists()


def _behind_proxy(client, username, forwarded_for, proxy="10.1.0.5"):
    return client.post(
        LOGIN,
        {"username": username, "password": "guess"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_trusted_proxy_each_client_has_its_own_address_limit(org, client, settings):
    settings.HEARLINE_TRUSTED_PROXIES = (ipaddress.ip_network("10.1.0.0/24"),)
    for n in range(20):
        _behind_proxy(client, f"name{n}", "203.0.113.9")
    assert _behind_proxy(client, "name0x", "203.0.113.9").status_code == 429
    # Another citizen behind the same proxy is not blocked by the first one's failures.
    assert _behind_proxy(client, "name0y", "198.51.100.4").status_code == 200
    # The blocked client cannot pick a fresh address by writing its own header entry: only
    # the right-most address the trusted proxy appended counts.
    assert _behind_proxy(client, "name0z", "192.0.2.77, 203.0.113.9").status_code == 429
    # Chained trusted proxies are stepped over.
    assert _behind_proxy(client, "name0w", "203.0.113.9, 10.1.0.7").status_code == 429


def test_forwarded_for_from_an_untrusted_peer_is_ignored(org, client, settings):
    settings.HEARLINE_TRUSTED_PROXIES = (ipaddress.ip_network("10.1.0.0/24"),)
    for n in range(20):
        _behind_proxy(client, f"name{n}", f"198.51.100.{n}", proxy="172.16.0.9")
    # Twenty different X-Forwarded-For values from one untrusted peer: one address, blocked.
    assert _behind_proxy(client, "other", "198.51.100.99", proxy="172.16.0.9").status_code == 429
