"""Cross-site request forgery: every page that takes a POST refuses one without the CSRF
token, signed in or not. The only views exempt are those that never trust a session cookie
(bearer tokens, signed webhooks, Open311 API keys), and those refuse an unauthenticated
POST and write nothing."""

import pytest
from django.test import Client

from hearline.cases.models import Case, CaseEvent
from hearline.testing.routes import routes

# Views exempt from Django's CSRF middleware, each authenticated without cookies.
EXEMPT = ("api/v1/", "webhooks/", "open311/v2/")
ROUTES = routes()
EXTRA = ["/open311/v2/requests.json", "/open311/v2/requests/1.json", "/admin/cases/case/"]


def test_the_generated_list_covers_the_application():
    paths = [path for path, _view in ROUTES]
    assert len(paths) > 60
    for expected in ("/submit/", "/track/", "/staff/cases/1/", "/accounts/login/", "/api/v1/cases"):
        assert expected in paths


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "manager"])
def test_every_post_without_the_token_is_refused(org, signed_in):
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(org.manager)
    exempt, accepted = [], []
    for path, view in ROUTES:
        if getattr(view, "csrf_exempt", False):
            exempt.append(path)
            continue
        status = client.post(path, {"reply": "forged", "department": "repair"}).status_code
        if status != 403:
            accepted.append((path, status))
    for path in EXTRA[2:]:
        if client.post(path, {}).status_code != 403:
            accepted.append((path, "admin"))
    assert accepted == []
    assert all(path.startswith(tuple("/" + p for p in EXEMPT)) for path in exempt), exempt


def test_exempt_views_refuse_a_post_that_carries_only_a_session(org, settings):
    """The API accepts a staff session only with the CSRF token; webhooks need a signature,
    Open311 an API key. A forged POST carrying the cookie creates nothing."""
    settings.HEARLINE_WEBHOOK_SECRETS = {"sms": "sms-secret"}
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.agent)
    before = (Case.objects.count(), CaseEvent.objects.count())
    body = {"description": "伪造的投诉", "complainant": {"name": "x", "phone": "13800000000"}}
    answers = {
        "/api/v1/cases": client.post("/api/v1/cases", body, content_type="application/json"),
        "/webhooks/sms/": client.post("/webhooks/sms/", {"from": "13800000000", "text": "x"}),
        EXTRA[0]: client.post(EXTRA[0], {"service_code": "water-outage", "description": "x"}),
    }
    for path, response in answers.items():
        assert 400 <= response.status_code < 500, (path, response.status_code)
    assert (Case.objects.count(), CaseEvent.objects.count()) == before
