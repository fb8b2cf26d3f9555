"""SMS, social-media and upstream-platform webhooks: signed, fresh, used once; and the
upstream platform hears back about its cases."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hearline.cases.actions import do_transition
from hearline.cases.models import Case, CaseEvent
from hearline.channels.models import WebhookNonce
from hearline.core.signing import (
    NONCE,
    SIGNATURE,
    TIMESTAMP,
    signature,
    signature_matches,
    signed_headers,
)
from hearline.notify.actions import do_deliver_message
from hearline.notify.backends import MemoryBackend
from hearline.notify.models import OutboundMessage
from hearline.testing.org import valid_payload

SECRETS = {"sms": "sms-secret", "social": "social-secret", "upstream": "upstream-secret"}


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.HEARLINE_WEBHOOK_SECRETS = SECRETS


def send(client, source, data, *, secret=None, headers=None, now=None, raw=None):
    body = raw if raw is not None else json.dumps(data, ensure_ascii=False).encode()
    signed = signed_headers(secret or SECRETS[source], body, now=now)
    signed.update(headers or {})
    return client.post(
        f"/webhooks/{source}/", body, content_type="application/json", headers=signed
    )


SMS = {"message_id": "gw-1", "from": "13900001111", "text": "东区停水了，什么时候来水？"}


def test_an_sms_registers_a_case_once(client, org):
    first = send(client, "sms", SMS)
    assert first.status_code == 201 and first.json()["outcome"] == "registered"
    case = Case.objects.get(tracking_number=first.json()["tracking_number"])
    assert case.channel == "sms" and case.owner.username == "sms"
    assert case.complainant.phone == "13900001111"
    again = send(client, "sms", SMS)  # the gateway resends (new nonce, same message)
    assert again.status_code == 200 and again.json() == {
        "tracking_number": case.tracking_number,
        "outcome": "duplicate",
    }
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"secret": "wrong"}, 401, "bad_signature"),
        ({"now": time.time() - 600}, 401, "stale_timestamp"),
        ({"now": time.time() + 600}, 401, "stale_timestamp"),
        ({"headers": {SIGNATURE: ""}}, 401, "signature_missing"),
        ({"headers": {TIMESTAMP: "yesterday"}}, 401, "signature_malformed"),
        ({"headers": {TIMESTAMP: "1" * 400}}, 401, "signature_malformed"),
        ({"headers": {TIMESTAMP: "9" * 5000}}, 401, "signature_malformed"),
        ({"headers": {TIMESTAMP: "1²"}}, 401, "signature_malformed"),
        ({"headers": {TIMESTAMP: "١٧٠٠٠٠٠٠٠٠"}}, 401, "signature_malformed"),
    ],
)
def test_unsigned_or_stale_requests_are_refused_and_change_nothing(
    client, org, change, status, code
):
    response = send(client, "sms", SMS, **change)
    assert response.status_code == status and response.json()["code"] == code
    assert response["Content-Type"] == "application/problem+json"
    assert not Case.objects.exists() and not WebhookNonce.objects.exists()


def test_a_reused_nonce_is_refused(client, org):
    body = json.dumps(SMS).encode()
    headers = signed_headers(SECRETS["sms"], body)
    post = lambda: client.post(  # noqa: E731
        "/webhooks/sms/", body, content_type="application/json", headers=headers
    )
    assert post().status_code == 201
    replay = post()
    assert replay.status_code == 409 and replay.json()["code"] == "replayed_nonce"
    assert Case.objects.count() == 1


def test_bad_content_is_422_and_leaves_the_nonce_unused(client, org):
    response = send(client, "sms", {"message_id": "gw-2", "from": "139"})
    assert response.status_code == 422
    assert response.json()["fields"] == {"text": "required"}
    assert not WebhookNonce.objects.exists() and not Case.objects.exists()
    assert send(client, "sms", {}, raw=b"not json").json()["code"] == "malformed_request"


def test_an_unconfigured_source_is_503(client, org, settings):
    settings.HEARLINE_WEBHOOK_SECRETS = {**SECRETS, "social": ""}
    response = send(client, "social", {}, secret="x")
    assert response.status_code == 503 and response.json()["code"] == "webhook_not_configured"


def test_sms_rating_and_follow_up_messages_reach_the_case(client, org):
    number = send(client, "sms", SMS).json()["tracking_number"]
    case = Case.objects.get(tracking_number=number)
    comment = {"message_id": "gw-3", "from": "13900001111", "text": f"{number} 补充：三栋楼都停水"}
    assert send(client, "sms", comment).json()["outcome"] == "commented"
    do_transition(case.pk, "close_on_spot", acting_user=case.owner, payload={"reply": "今晚恢复"})
    rating = send(client, "sms", {"message_id": "gw-4", "from": "13900001111", "text": "2"})
    assert rating.json()["outcome"] == "rated"
    case.refresh_from_db()
    assert (case.state, case.satisfaction) == ("confirmed", "basically_satisfied")
    stranger = send(client, "sms", {"message_id": "gw-5", "from": "13700000000", "text": number})
    assert stranger.json()["outcome"] == "registered"  # not their case: a case of their own


def test_a_social_post_becomes_a_case_answered_on_the_platform(client, org):
    post = {
        "platform": "weibo",
        "post_id": "P778",
        "account": "宁波小王",
        "name": "小王",
        "text": "@市自来水 小区停水两天了也没人管！",
        "url": "https://weibo.example/P778",
    }
    response = send(client, "social", post)
    case = Case.objects.get(tracking_number=response.json()["tracking_number"])
    assert case.channel == "social" and case.opinion_risk
    assert case.complainant.social_account == "weibo:宁波小王"
    do_deliver_message(OutboundMessage.objects.get(case=case).pk)
    [sent] = MemoryBackend.outbox
    assert sent["channel"] == "social" and sent["to"] == "weibo:宁波小王"
    event = CaseEvent.objects.get(case=case, action="message_sent")
    assert event.details["recipient"] == "weibo:宁***"


def test_control_characters_from_sms_and_social_are_dropped_not_refused(client, org):
    sms = send(client, "sms", SMS | {"text": "东区\x00停水了\x1b，什么时候\x0b来水？"})
    assert sms.status_code == 201
    case = Case.objects.get(tracking_number=sms.json()["tracking_number"])
    assert case.description == "东区停水了，什么时候来水？"
    post = {"platform": "weibo", "post_id": "P9", "account": "小王\x07", "text": "停水\x00两天"}
    social = send(client, "social", post | {"name": "小\x08王"})
    assert social.status_code == 201
    case = Case.objects.get(tracking_number=social.json()["tracking_number"])
    assert case.description == "停水两天" and case.complainant.name == "小王"
    assert case.complainant.social_account == "weibo:小王"


TRANSFER = {
    "type": "transfer",
    "platform": "city-12345",
    "reference": "NB20261122-0042",
    "title": "东区路灯不亮",
    "description": "市民反映东区路灯两周不亮。",
    "address": "鄞州区东区12幢",
    "district": "鄞州区",
    "urgency": "important",
    "complainant": {"name": "张女士", "phone": "13600002222"},
}


class Platform(BaseHTTPRequestHandler):
    """An upstream platform's receiving end: checks our signature; can be told to fail."""

    answers: list[int] = []
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        signed = signature_matches(
            SECRETS["upstream"],
            self.headers[TIMESTAMP],
            self.headers[NONCE],
            body,
            self.headers[SIGNATURE],
        )
        status = self.answers.pop(0) if self.answers else (200 if signed else 401)
        if status == 200:
            Platform.received.append(json.loads(body))
        self.send_response(status)
        self.end_headers()
        self.wfile.write(json.dumps({"id": f"ack-{len(Platform.received)}"}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def platform(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Platform)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Platform.answers, Platform.received = [], []
    settings.HEARLINE_MESSAGE_BACKENDS = {
        **settings.HEARLINE_MESSAGE_BACKENDS,
        "upstream": {
            "BACKEND": "hearline.notify.backends.WebhookBackend",
            "URL": f"http://127.0.0.1:{server.server_port}/reports",
            "SECRET": SECRETS["upstream"],
        },
    }
    yield Platform
    server.shutdown()


def test_an_upstream_transfer_is_reported_back_until_acknowledged(client, org, platform):
    response = send(client, "upstream", TRANSFER)
    assert response.status_code == 201
    case = Case.objects.get(tracking_number=response.json()["tracking_number"])
    assert case.upstream_reference == "city-12345:NB20261122-0042" and case.urgency == "important"
    assert send(client, "upstream", TRANSFER).json()["outcome"] == "duplicate"

    acknowledgement = OutboundMessage.objects.get(case=case)
    assert (acknowledgement.audience, acknowledgement.channel) == ("platform", "upstream")
    platform.answers.append(503)
    assert do_deliver_message(acknowledgement.pk) == "retry"
    assert do_deliver_message(acknowledgement.pk) == "sent"
    [report] = platform.received
    assert report["data"]["upstream_reference"] == "NB20261122-0042"
    assert report["data"]["event"] == "register"

    note = {**TRANSFER, "type": "comment", "note": "市民来电催问", "event_id": "E9"}
    assert send(client, "upstream", note).json()["outcome"] == "commented"
    do_transition(
        case.pk,
        "close_on_spot",
        acting_user=case.owner,
        payload=valid_payload("close_on_spot", org),
    )
    purposes = list(
        OutboundMessage.objects.filter(case=case).values_list("purpose", "channel").order_by("pk")
    )
    # The platform gets the reply; it asks the citizen for the rating itself.
    assert purposes == [("acknowledgement", "upstream"), ("reply", "upstream")]
    reply = OutboundMessage.objects.get(case=case, purpose="reply")
    assert do_deliver_message(reply.pk) == "sent"
    assert platform.received[-1]["data"]["reply"] == valid_payload("close_on_spot", org)["reply"]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"address": "鄞州区" + "长" * 253}, "address", "too_long"),
        ({"title": "东区路灯" * 31}, "title", "too_long"),
        ({"description": "市民反映\x00路灯不亮"}, "description", "invalid_character"),
        ({"district": "鄞州\x07区"}, "district", "invalid_character"),
    ],
)
def test_an_upstream_transfer_that_cannot_be_stored_whole_is_refused(
    client, org, change, field, code
):
    response = send(client, "upstream", TRANSFER | change)
    assert response.status_code == 422 and response.json()["fields"] == {field: code}
    assert not Case.objects.exists() and not WebhookNonce.objects.exists()


def test_an_upstream_note_with_control_characters_is_refused(client, org):
    send(client, "upstream", TRANSFER)
    note = {"type": "comment", "platform": "city-12345", "reference": "NB20261122-0042"}
    response = send(client, "upstream", note | {"event_id": "e1", "note": "已回访\x00"})
    assert response.status_code == 422 and response.json()["fields"] == {
        "note": "invalid_character"
    }
    assert not CaseEvent.objects.filter(action="comment").exists()


@pytest.mark.parametrize("note", [{"a": 1}, ["已回访"], 12])
def test_an_upstream_note_that_is_not_text_is_refused_and_comments_stay_readable(client, org, note):
    send(client, "upstream", TRANSFER)
    comment = {"type": "comment", "platform": "city-12345", "reference": "NB20261122-0042"}
    response = send(client, "upstream", comment | {"event_id": "e2", "note": note})
    assert response.status_code == 422 and response.json()["fields"] == {"note": "invalid_type"}
    assert not CaseEvent.objects.filter(action="comment").exists()


def test_a_timestamp_in_other_scripts_digits_is_refused_even_when_signed(client, org):
    body = json.dumps(SMS).encode()
    now = str(int(time.time())).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    nonce = "n" * 16
    headers = {TIMESTAMP: now, NONCE: nonce, SIGNATURE: signature(SECRETS["sms"], now, nonce, body)}
    response = client.post("/webhooks/sms/", body, content_type="application/json", headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "signature_malformed"
    assert not Case.objects.exists() and not WebhookNonce.objects.exists()


@pytest.mark.parametrize(
    "complainant", ["陈先生 13900001111", ["陈先生", "13900001111"], 13900001111]
)
def test_an_upstream_complainant_that_is_not_an_object_is_refused(client, org, complainant):
    response = send(client, "upstream", TRANSFER | {"complainant": complainant})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert response.json()["fields"] == {"complainant": "invalid_type"}
    assert not Case.objects.exists() and not WebhookNonce.objects.exists()


@pytest.mark.parametrize("depth", [100_000, 2_000, 900, 33])
@pytest.mark.parametrize("source", ["sms", "upstream"])
def test_a_deeply_nested_signed_body_is_a_400(client, org, source, depth):
    raw = ('{"message_id": "gw-9", "x": ' + "[" * depth + "]" * depth + "}").encode()
    response = send(client, source, {}, raw=raw)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "malformed_request"
    assert not Case.objects.exists() and not WebhookNonce.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ["市民反映", "路灯不亮"]}, "description"),
        ({"title": 42}, "title"),
        ({"category": {"code": "water"}}, "category"),
        ({"complainant": {"name": "张女士", "phone": 13600002222}}, "complainant.phone"),
    ],
)
def test_an_upstream_text_that_is_not_a_string_is_refused_not_printed(client, org, change, field):
    response = send(client, "upstream", TRANSFER | change)
    assert response.status_code == 422 and response.json()["fields"] == {field: "invalid_type"}
    assert not Case.objects.exists()
