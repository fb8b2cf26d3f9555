"""The case endpoints as an integration uses them: register (at once or in the background),
read, list, act, attach, comment, follow the timeline; and the complainant's public view of
the progress."""

from datetime import datetime
from zoneinfo import ZoneInfo

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
    for internal in ("link_incident", "complete_plan_step"):  # the incident's, the plan's own
        refused = _post(
            client, f"/api/v1/cases/{number}/actions/{internal}", {"payload": {}}, tokens["app"]
        )
        assert refused.status_code == 404


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


def test_an_occurred_at_without_an_offset_is_hearlines_local_time(client, tokens, settings):
    answer = _post(
        client, "/api/v1/cases", CASE | {"occurred_at": "2025-06-01T10:00:00"}, tokens["app"]
    )
    assert answer.status_code == 201
    case = Case.objects.get(tracking_number=answer.json()["tracking_number"])
    local = datetime(2025, 6, 1, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert case.occurred_at == local and "2025-06-01 10:00" in answer.json()["readback"]
