"""HTTPS, HSTS, secure cookies, the proxy's HTTPS header and the staff session's limits are
read from the environment; the defaults suit the embedded http://127.0.0.1 setup."""

import runpy
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[3] / "config" / "settings" / "base.py"
VARIABLES = (
    "HEARLINE_SECURE_SSL_REDIRECT",
    "HEARLINE_HSTS_SECONDS",
    "HEARLINE_HSTS_INCLUDE_SUBDOMAINS",
    "HEARLINE_HSTS_PRELOAD",
    "HEARLINE_SESSION_COOKIE_SECURE",
    "HEARLINE_CSRF_COOKIE_SECURE",
    "HEARLINE_SECURE_PROXY_SSL_HEADER",
)


@pytest.fixture
def read_settings(monkeypatch, tmp_path):
    """The settings module as it reads the given environment (and nothing else of ours)."""

    def read(**environment):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HEARLINE_VAR_DIR", str(tmp_path))
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(BASE))

    return read


def test_the_defaults_serve_plain_http_on_the_loopback(read_settings):
    s = read_settings()
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["SESSION_COOKIE_SECURE"] is False and s["CSRF_COOKIE_SECURE"] is False
    assert s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"


def test_https_behind_a_proxy_is_set_from_the_environment(read_settings):
    s = read_settings(
        HEARLINE_SECURE_SSL_REDIRECT="1",
        HEARLINE_HSTS_SECONDS="31536000",
        HEARLINE_HSTS_INCLUDE_SUBDOMAINS="1",
        HEARLINE_HSTS_PRELOAD="1",
        HEARLINE_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
    )
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and s["SECURE_HSTS_PRELOAD"] is True
    # Redirecting to HTTPS makes the cookies secure unless said otherwise.
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_each_cookie_and_the_proxy_header_can_be_set_on_its_own(read_settings):
    s = read_settings(
        HEARLINE_SESSION_COOKIE_SECURE="1",
        HEARLINE_SECURE_PROXY_SSL_HEADER="X-Forwarded-Ssl: on",
    )
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is False
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_SSL", "on")
    s = read_settings(HEARLINE_SECURE_SSL_REDIRECT="1", HEARLINE_CSRF_COOKIE_SECURE="0")
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is False
    assert read_settings(HEARLINE_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")[
        "SECURE_PROXY_SSL_HEADER"
    ] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_hsts_reaches_the_response_once_the_proxy_says_https(db, client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get("/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=3600"
