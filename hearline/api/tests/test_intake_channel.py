"""The channel of a complaint follows from the door it came through: `POST /api/v1/cases`
registers `app` complaints (or, for an agent's desk application, the staff-intake channels);
a token cannot claim the portal, e-mail, SMS, social media, an upstream platform or Open311
(whose cases are published)."""

import pytest

from hearline.api.actions import do_create_api_token
from hearline.api.tests.helpers import CASE, PROBLEM, _post
from hearline.cases.models import Case, IntakeReceipt


@pytest.fixture
def tokens(org):
    return {
        name: do_create_api_token(name=name, role=role, department_code="callcentre")[1]
        for name, role in [("app", "agent"), ("dispatch", "dispatcher")]
    }


def test_a_complaint_through_the_api_is_an_app_complaint(client, tokens):
    created = _post(client, "/api/v1/cases", CASE, tokens["app"])
    assert created.status_code == 201 and created.json()["channel"] == "app"


@pytest.mark.parametrize("channel", ["open311", "web", "email", "sms", "social", "upstream"])
@pytest.mark.parametrize("prefer", [{}, {"HTTP_PREFER": "respond-async"}])
def test_a_token_cannot_claim_another_door(client, tokens, channel, prefer):
    refused = _post(client, "/api/v1/cases", {**CASE, "channel": channel}, tokens["app"], **prefer)
    assert refused.status_code == 422 and refused["Content-Type"] == PROBLEM
    assert refused.json()["fields"] == {"channel": "not_allowed"}
    assert not Case.objects.exists() and not IntakeReceipt.objects.exists()


def test_an_agent_token_may_register_a_call_a_dispatcher_token_may_not(client, tokens):
    body = {**CASE, "channel": "hotline"}
    call = _post(client, "/api/v1/cases", body, tokens["app"])
    assert call.status_code == 201 and call.json()["channel"] == "hotline"
    refused = _post(client, "/api/v1/cases", body, tokens["dispatch"])
    assert refused.status_code == 422 and refused.json()["fields"] == {"channel": "not_allowed"}
    assert Case.objects.count() == 1


def test_an_unknown_channel_is_an_invalid_choice(client, tokens):
    refused = _post(client, "/api/v1/cases", {**CASE, "channel": "pigeon"}, tokens["app"])
    assert refused.status_code == 422 and refused.json()["fields"] == {"channel": "invalid_choice"}
    assert not Case.objects.exists()
