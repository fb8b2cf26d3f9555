"""A staff session ends after HEARLINE_SESSION_IDLE_MINUTES without a request, and at the
latest HEARLINE_SESSION_HOURS after sign-in; the sign-in page then says why."""

from datetime import timedelta

from django.utils import timezone

from hearline.core.timetravel import at_time

PAGE = "/staff/cases/"


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _signed_out_to_sign_in(client, answer) -> str:
    """The answer sends the user to sign in again; the sign-in page's text."""
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    assert not _signed_in(client)
    return client.get(answer["Location"]).content.decode()


def test_an_idle_session_ends_and_the_sign_in_page_says_why(org, client):
    client.force_login(org.agent)
    start = timezone.now()
    with at_time(start + timedelta(minutes=29)):
        assert client.get(PAGE).status_code == 200
    with at_time(start + timedelta(minutes=29 + 31)):
        answer = client.get(PAGE)
    page = _signed_out_to_sign_in(client, answer)
    assert "30分钟未操作，已自动退出，请重新登录" in page


def test_activity_keeps_the_session_until_its_lifetime_is_over(org, client):
    client.force_login(org.agent)
    start = timezone.now()
    for minutes in range(25, 12 * 60, 25):
        with at_time(start + timedelta(minutes=minutes)):
            assert client.get(PAGE).status_code == 200, minutes
    with at_time(start + timedelta(hours=12, minutes=1)):
        answer = client.get(PAGE)
    page = _signed_out_to_sign_in(client, answer)
    assert "本次登录已满12小时，请重新登录" in page


def test_the_limits_are_settings(org, client, settings):
    settings.HEARLINE_SESSION_IDLE_MINUTES = 5
    client.force_login(org.agent)
    start = timezone.now()
    with at_time(start + timedelta(minutes=6)):
        assert client.get(PAGE).status_code == 302
    settings.HEARLINE_SESSION_IDLE_MINUTES, settings.HEARLINE_SESSION_HOURS = 60, 1
    client.force_login(org.agent)
    start = timezone.now()
    with at_time(start + timedelta(minutes=50)):
        assert client.get(PAGE).status_code == 200
    with at_time(start + timedelta(minutes=61)):
        assert client.get(PAGE).status_code == 302


def test_a_signed_out_api_call_is_refused(org, client):
    client.force_login(org.agent)
    with at_time(timezone.now() + timedelta(minutes=31)):
        assert client.get("/api/v1/cases").status_code == 401
    assert not _signed_in(client)


def test_a_clock_set_back_does_not_end_or_lengthen_a_session(org, client):
    """Tests and the demo move the clock back and forth: a request from the past is neither
    idle nor makes the last activity older than it was."""
    client.force_login(org.agent)
    start = timezone.now()
    with at_time(start - timedelta(days=30)):
        assert client.get(PAGE).status_code == 200
    with at_time(start + timedelta(minutes=20)):
        assert client.get(PAGE).status_code == 200
    with at_time(start - timedelta(days=1)):
        assert client.get(PAGE).status_code == 200
    with at_time(start + timedelta(minutes=45)):
        assert client.get(PAGE).status_code == 200
    with at_time(start + timedelta(minutes=76)):
        assert client.get(PAGE).status_code == 302


def test_the_citizen_portal_opens_no_session(db, client):
    for path in ("/", "/submit/", "/track/"):
        assert client.get(path).status_code == 200
    assert "sessionid" not in client.cookies
