"""Input the case endpoints refuse: a 422 problem per field (a 400 for JSON that cannot
be read), nothing stored and nothing broken."""

import base64

import pytest

from hearline.api.tests.helpers import CASE, PROBLEM, _auth, _post
from hearline.cases.models import Case, IntakeReceipt


def test_bad_json_is_a_422_problem(client, tokens):
    response = _post(client, "/api/v1/cases", {"complainant": {}}, tokens["app"])
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert "description" in response.json()["fields"]
    assert Case.objects.count() == 0


def test_nul_characters_are_a_422_not_a_crash(client, tokens):
    body = CASE | {"description": "停水\u0000"}
    response = _post(client, "/api/v1/cases", body, tokens["app"])
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert client.get("/api/v1/cases", {"q": "a\x00b"}, **_auth(tokens["app"])).status_code == 422
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"title": "停水\u0007通知"}, "title", "invalid_character"),
        ({"description": "停水\u001b[2J了"}, "description", "invalid_character"),
        ({"district": "海曙\u000b区"}, "district", "invalid_character"),
        (
            {"complainant": {"name": "陈\u0008", "phone": "13600001111"}},
            "complainant.name",
            "invalid_character",
        ),
        (
            {"complainant": {"phone": "13600001111", "email": "chen@example.org\nBcc: x@y.cn"}},
            "complainant.email",
            "invalid_email",
        ),
        (
            {"complainant": {"phone": "13600001111", "email": "chen at example"}},
            "complainant.email",
            "invalid_email",
        ),
    ],
)
def test_control_characters_and_bad_email_addresses_are_refused_per_field(
    client, tokens, change, field, code
):
    response = _post(client, "/api/v1/cases", CASE | change, tokens["app"])
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert response.json()["fields"] == {field: code}
    assert Case.objects.count() == 0


def test_coordinates_must_be_finite_and_in_range(client, tokens):
    for latitude in ("NaN", "Infinity", "91"):
        response = _post(
            client,
            "/api/v1/cases",
            CASE | {"latitude": latitude, "longitude": "121.5"},
            tokens["app"],
        )
        assert response.status_code == 422, latitude
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [("comment", {"note": {"a": 1}}, "note"), ("record_contact", {"note": [1, 2]}, "note")],
)
def test_an_action_field_of_the_wrong_type_is_refused_and_nothing_breaks(
    client, tokens, action, payload, field
):
    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    answer = _post(
        client, f"/api/v1/cases/{number}/actions/{action}", {"payload": payload}, tokens["app"]
    )
    assert answer.status_code == 422 and answer.json()["fields"] == {field: "invalid_type"}
    comments = client.get(f"/api/v1/cases/{number}/comments", **_auth(tokens["app"]))
    assert comments.status_code == 200 and comments.json() == []


def _cursor(moment: str) -> str:
    return base64.urlsafe_b64encode(f"{moment}|1".encode()).decode()


@pytest.mark.parametrize(
    ("request_", "fields"),
    [
        (
            ("post", CASE | {"occurred_at": "0001-01-01T00:00:00+14:00"}),
            {"occurred_at": "out_of_range"},
        ),
        (("post", CASE | {"occurred_at": "9999-12-31T23:59:59"}), {"occurred_at": "out_of_range"}),
        (("get", {"registered_from": "0001-01-01"}), {"registered_from": "out_of_range"}),
        (("get", {"registered_to": "9999-12-31"}), {"registered_to": "out_of_range"}),
        (("get", {"cursor": _cursor("0001-01-01T00:00:00+14:00")}), {"cursor": "invalid"}),
        (("get", {"cursor": _cursor("2026-01-01T00:00:00")}), {"cursor": "invalid"}),
    ],
    ids=[
        "occurred-year-1",
        "occurred-year-9999",
        "from-year-1",
        "to-year-9999",
        "cursor-year-1",
        "cursor-without-offset",
    ],
)
def test_times_at_the_ends_of_the_calendar_are_422_per_field(client, tokens, request_, fields):
    method, data = request_
    if method == "post":
        answer = _post(client, "/api/v1/cases", data, tokens["app"])
    else:
        answer = client.get("/api/v1/cases", data, **_auth(tokens["app"]))
    assert answer.status_code == 422 and answer["Content-Type"] == PROBLEM
    assert answer.json()["code"] == "validation_failed" and answer.json()["fields"] == fields
    assert not Case.objects.exists() and not IntakeReceipt.objects.exists()


@pytest.mark.parametrize(
    ("until", "code"),
    [
        ("0001-01-01T00:00:00+14:00", "out_of_range"),
        ("9999-12-31T23:59:59", "out_of_range"),
        ("2026-02-30T09:00:00", "invalid_datetime"),
        ("2026-03-01T09:00:00+99:00", "invalid_datetime"),
    ],
)
def test_an_extension_to_an_impossible_date_is_refused_by_field(client, tokens, until, code):
    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    url = f"/api/v1/cases/{number}/actions"
    _post(client, f"{url}/dispatch", {"payload": {"department": "repair"}}, tokens["dispatch"])
    _post(client, f"{url}/accept", {}, tokens["repair"])
    payload = {"reason": "等配件", "until": until}
    answer = _post(client, f"{url}/request_extension", {"payload": payload}, tokens["repair"])
    assert answer.status_code == 422 and answer.json()["fields"] == {"until": code}
    case = Case.objects.get(tracking_number=number)
    assert (case.pending_request, case.pending_until, case.version) == ("", None, 3)


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/cases/{number}/actions/comment"])
def test_json_nested_100000_deep_is_a_400_problem(client, tokens, path):
    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    deep = "[" * 100_000 + "]" * 100_000
    answer = client.post(
        path.format(number=number), deep, content_type="application/json", **_auth(tokens["app"])
    )
    assert answer.status_code == 400 and answer["Content-Type"] == PROBLEM
    assert answer.json()["code"] == "malformed_request"
    assert Case.objects.get().version == 1


@pytest.mark.parametrize("department", ["²", "١", "9" * 40])
def test_a_reference_in_other_digits_is_an_unknown_department_not_a_crash(
    client, tokens, department
):
    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    answer = _post(
        client,
        f"/api/v1/cases/{number}/actions/dispatch",
        {"payload": {"department": department}},
        tokens["dispatch"],
    )
    assert answer.status_code == 422
    assert answer.json()["fields"] == {"department": "unknown_department"}
