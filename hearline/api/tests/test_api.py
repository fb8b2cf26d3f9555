"""The REST API as an integration sees it."""

import base64
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hearline.api.tests.helpers import CASE, PROBLEM, _auth, _post
from hearline.cases.actions import do_complainant_transition
from hearline.cases.models import Case, CaseEvent, IntakeReceipt


def test_register_read_and_openapi(client, tokens):
    created = _post(client, "/api/v1/cases", CASE, tokens["app"])
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "registered" and body["complainant"]["phone"] == "136****1111"
    assert body["tracking_number"] in body["acknowledgement"]
    read = client.get(f"/api/v1/cases/{body['tracking_number']}", **_auth(tokens["app"]))
    assert read.status_code == 200 and read.json()["deadlines"]["resolution_due"]
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases" in schema["paths"]


def test_reading_a_case_takes_the_account_and_the_case_in_two_queries(
    client, tokens, django_assert_num_queries
):
    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    client.get(f"/api/v1/cases/{number}", **_auth(tokens["app"]))  # the token's use recorded
    with django_assert_num_queries(2):
        read = client.get(f"/api/v1/cases/{number.lower()}", **_auth(tokens["app"]))
    assert read.json()["tracking_number"] == number and read.json()["deadlines"]["response_due"]
    other = client.get(f"/api/v1/cases/{number}", **_auth(tokens["metro"]))
    assert other.status_code == 404, "another department's handler does not see it"


def test_a_retried_post_returns_the_first_result(client, tokens):
    first = _post(client, "/api/v1/cases", CASE, tokens["app"], HTTP_IDEMPOTENCY_KEY="abc-1")
    again = _post(client, "/api/v1/cases", CASE, tokens["app"], HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["tracking_number"] == again.json()["tracking_number"]
    assert Case.objects.count() == 1


def test_lifecycle_actions_and_their_errors(client, tokens):
    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    url = f"/api/v1/cases/{number}/actions"
    denied = _post(client, f"{url}/dispatch", {"payload": {"department": "repair"}}, tokens["app"])
    assert denied.status_code == 403 and denied["Content-Type"] == PROBLEM
    assert denied.json()["code"] == "forbidden"
    missing = _post(client, f"{url}/dispatch", {"payload": {}}, tokens["dispatch"])
    assert missing.status_code == 422 and missing.json()["fields"] == {"department": "required"}
    ok = _post(client, f"{url}/dispatch", {"payload": {"department": "repair"}}, tokens["dispatch"])
    assert ok.status_code == 200 and ok.json()["state"] == "dispatched"
    stale = _post(client, f"{url}/accept", {"version": 1}, tokens["repair"])
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    accepted = _post(client, f"{url}/accept", {"version": 2}, tokens["repair"])
    assert accepted.json()["state"] == "in_progress"
    again = _post(client, f"{url}/accept", {}, tokens["repair"])
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    hidden = _post(client, f"{url}/accept", {}, tokens["metro"])
    assert hidden.status_code == 404 and hidden["Content-Type"] == PROBLEM
    assert Case.objects.get(tracking_number=number).version == 3


def test_bad_json_is_a_422_problem(client, tokens):
    response = _post(client, "/api/v1/cases", {"complainant": {}}, tokens["app"])
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert "description" in response.json()["fields"]
    assert Case.objects.count() == 0


def test_list_filters_and_cursor_pagination(client, tokens):
    numbers = [
        _post(
            client, "/api/v1/cases", CASE | {"description": f"第{i}件：停水"}, tokens["app"]
        ).json()["tracking_number"]
        for i in range(5)
    ]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/cases", params, **_auth(tokens["app"])).json()
        seen += [c["tracking_number"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(numbers))
    found = client.get("/api/v1/cases", {"q": "第3件"}, **_auth(tokens["app"])).json()["items"]
    assert [c["tracking_number"] for c in found] == [numbers[3]]
    assert (
        client.get("/api/v1/cases", {"state": "nonsense"}, **_auth(tokens["app"])).status_code
        == 422
    )


def test_timeline_attachment_and_public_view(client, tokens):
    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hearline.testing.images import photo

    png = photo("PNG")

    uploaded = client.post(
        f"/api/v1/cases/{number}/attachments",
        {"file": SimpleUploadedFile("a.png", png, content_type="image/png")},
        **_auth(tokens["app"]),
    )
    assert uploaded.status_code == 201
    events = client.get(f"/api/v1/cases/{number}/timeline", **_auth(tokens["app"])).json()
    assert [e["action"] for e in events] == ["register", "attach"]
    public = client.get(f"/api/v1/public/cases/{number}", HTTP_X_COMPLAINANT_PHONE="13600001111")
    assert public.status_code == 200 and public.json()["state"] == "registered"
    wrong = client.get(f"/api/v1/public/cases/{number}", HTTP_X_COMPLAINANT_PHONE="13900000000")
    assert wrong.status_code == 404


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


def test_comments_from_staff_and_complainant(client, tokens, org):
    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    url = f"/api/v1/cases/{number}/comments"
    added = _post(client, url, {"note": "已致电投诉人，约定明早上门。"}, tokens["app"])
    assert added.status_code == 201 and added.json()["author"] == "api:app"
    do_complainant_transition(
        Case.objects.get(tracking_number=number),
        "comment",
        payload={"note": "补充：三栋楼都停水", "channel": "sms"},
    )
    listed = client.get(url, **_auth(tokens["app"])).json()
    assert [(c["note"], c["by"], c["channel"]) for c in listed] == [
        ("已致电投诉人，约定明早上门。", None, None),
        ("补充：三栋楼都停水", "complainant", "sms"),
    ]
    empty = _post(client, url, {"note": ""}, tokens["app"])
    assert empty.status_code == 422 and empty["Content-Type"] == PROBLEM
    system_only = _post(client, f"/api/v1/cases/{number}/actions/message_sent", {}, tokens["app"])
    assert system_only.status_code == 404


def test_a_comment_is_answered_with_its_own_event_when_another_follows_at_once(
    client, tokens, org, monkeypatch
):
    """The complainant's comment lands between the caller's step and its answer (as a
    concurrent request would): the answer still describes the caller's comment."""
    from hearline.api import endpoints

    number = _post(client, "/api/v1/cases", CASE, tokens["app"]).json()["tracking_number"]
    take_step = endpoints.do_transition

    def and_another_at_once(case_id, action, **kwargs):
        case = take_step(case_id, action, **kwargs)
        do_complainant_transition(case, "comment", payload={"note": "补充", "channel": "sms"})
        return case

    monkeypatch.setattr(endpoints, "do_transition", and_another_at_once)
    url = f"/api/v1/cases/{number}/comments"
    added = _post(client, url, {"note": "已致电投诉人。"}, tokens["app"])
    ours = CaseEvent.objects.get(
        case__tracking_number=number, action="comment", actor__isnull=False
    )
    assert added.status_code == 201
    assert (added.json()["seq"], added.json()["note"]) == (ours.seq, "已致电投诉人。")


def test_respond_async_answers_202_with_the_number_and_registers_after(
    client, tokens, django_capture_on_commit_callbacks
):
    prefer = {"HTTP_PREFER": "respond-async, wait=0"}
    with django_capture_on_commit_callbacks() as queued:
        answer = _post(client, "/api/v1/cases", CASE, tokens["app"], **prefer)
    assert answer.status_code == 202 and answer["Preference-Applied"] == "respond-async"
    number = answer.json()["tracking_number"]
    assert answer["Location"] == f"/api/v1/receipts/{number}"
    waiting = client.get(answer["Location"], **_auth(tokens["app"]))
    assert waiting.json()["state"] == "received" and waiting.json()["case_url"] is None
    assert client.get(f"/api/v1/cases/{number}", **_auth(tokens["app"])).status_code == 404
    # Only the account that submitted it follows the receipt.
    assert client.get(answer["Location"], **_auth(tokens["dispatch"])).status_code == 404

    queued[0]()
    done = client.get(answer["Location"], **_auth(tokens["app"])).json()
    assert done["state"] == "registered" and done["case_url"] == f"/api/v1/cases/{number}"
    case = client.get(done["case_url"], **_auth(tokens["app"]))
    assert case.status_code == 200 and case.json()["description"] == CASE["description"]


def test_respond_async_refuses_bad_input_at_once_and_retries_return_the_first(client, tokens):
    prefer = {"HTTP_PREFER": "respond-async"}
    bad = _post(client, "/api/v1/cases", CASE | {"description": ""}, tokens["app"], **prefer)
    assert bad.status_code == 422 and bad["Content-Type"] == PROBLEM
    assert bad.json()["fields"] == {"description": "required"}
    keyed = prefer | {"HTTP_IDEMPOTENCY_KEY": "async-1"}
    first = _post(client, "/api/v1/cases", CASE, tokens["app"], **keyed)
    again = _post(client, "/api/v1/cases", CASE, tokens["app"], **keyed)
    assert first.status_code == again.status_code == 202
    assert first.json()["tracking_number"] == again.json()["tracking_number"]
    assert IntakeReceipt.objects.count() == 1


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


def test_an_occurred_at_without_an_offset_is_hearlines_local_time(client, tokens, settings):
    answer = _post(
        client, "/api/v1/cases", CASE | {"occurred_at": "2025-06-01T10:00:00"}, tokens["app"]
    )
    assert answer.status_code == 201
    case = Case.objects.get(tracking_number=answer.json()["tracking_number"])
    local = datetime(2025, 6, 1, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert case.occurred_at == local and "2025-06-01 10:00" in answer.json()["readback"]


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
