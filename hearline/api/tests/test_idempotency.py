"""Idempotency-Key: a retry of the same request replays its first answer; the key is scoped
to caller, method and path, bound to its request, and stored with the action it answers."""

import json
import threading

import pytest
from django.db import connections
from django.test import Client

from hearline.api.actions import do_create_api_token
from hearline.api.models import ApiToken, IdempotentResponse
from hearline.cases.actions import do_register_case
from hearline.cases.models import Case
from hearline.testing.org import build_org, submission


def _token():
    return do_create_api_token(name="city-app", role="agent", department_code="callcentre")[1]


def _comment(client, token, number, note, key="k-1"):
    return client.post(
        f"/api/v1/cases/{number}/comments",
        json.dumps({"note": note}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def _notes(case):
    return list(case.events.filter(action="comment").values_list("details__note", flat=True))


def _owned_case():
    """A case registered by the integration's own account (so its token may comment)."""
    owner = ApiToken.objects.get(name="city-app").user
    return do_register_case(submission(), acting_user=owner).case


def test_a_key_is_scoped_to_its_endpoint_and_case(org, client):
    token = _token()
    first, second = _owned_case(), _owned_case()
    assert _comment(client, token, first.tracking_number, "第一条").status_code == 201
    answer = _comment(client, token, second.tracking_number, "第一条")
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer
    assert _notes(first) == ["第一条"] and _notes(second) == ["第一条"]


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(org, client):
    token = _token()
    case = _owned_case()
    assert _comment(client, token, case.tracking_number, "管道还在漏水").status_code == 201
    refused = _comment(client, token, case.tracking_number, "已经修好了")
    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency_key_reused"
    assert _notes(case) == ["管道还在漏水"]
    replay = _comment(client, token, case.tracking_number, "管道还在漏水")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert _notes(case) == ["管道还在漏水"]


def test_a_response_lost_before_it_was_stored_leaves_nothing_to_run_twice(org, client, monkeypatch):
    """A worker that dies after the action and before the response is stored: the action
    and the response are one transaction, so the retry finds neither and runs once."""
    token = _token()
    case = _owned_case()
    original = IdempotentResponse.save
    deaths = []

    def die_once(self, *args, **kwargs):
        if self.status and not deaths:
            deaths.append(self.key)
            raise SystemExit("worker killed")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(IdempotentResponse, "save", die_once)
    with pytest.raises(SystemExit):
        _comment(client, token, case.tracking_number, "请尽快处理")
    assert deaths == ["k-1"]
    assert _comment(client, token, case.tracking_number, "请尽快处理").status_code == 201
    assert _notes(case) == ["请尽快处理"]


def test_a_too_long_key_is_refused(org, client):
    token = _token()
    case = _owned_case()
    answer = _comment(client, token, case.tracking_number, "x", key="k" * 201)
    assert answer.status_code == 422 and answer.json()["fields"] == {"Idempotency-Key": "too_long"}
    assert _notes(case) == []


def _race(token, number) -> list:
    """Two clients send the same comment with the same key at the same moment."""
    barrier = threading.Barrier(2)
    answers = [None, None]

    def send(i):
        try:
            barrier.wait(timeout=10)
            answers[i] = _comment(Client(), token, number, "同一条补充", key=f"race-{number}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_key_run_once():
    build_org()
    token = _token()
    for case in [_owned_case() for _ in range(5)]:
        answers = _race(token, case.tracking_number)
        assert [a.status_code for a in answers] == [201, 201]
        assert answers[0].json()["seq"] == answers[1].json()["seq"]
        assert _notes(Case.objects.get(pk=case.pk)) == ["同一条补充"]
