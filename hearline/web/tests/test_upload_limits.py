"""Uploads are bounded before they are read. A request whose body is larger than
HEARLINE_REQUEST_MAX_BYTES is refused with 413 — application/problem+json for the API, a
page in Chinese for people — and changes nothing. A file past HEARLINE_ATTACHMENT_MAX_BYTES
is refused as too large on every upload form."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from hearline.api.actions import do_create_api_token
from hearline.cases.models import Attachment, Case
from hearline.testing.images import photo
from hearline.testing.org import register
from hearline.testing.portal import portal_complaint

COMPLAINT = portal_complaint(token="w-big")


def _api_case(client) -> tuple[str, str]:
    """(API token, tracking number of a case it registered)."""
    token = do_create_api_token(name="app", role="agent", department_code="callcentre")[1]
    case = {
        "description": "小区停水一整天，没有通知。",
        "address": "海曙区中山西路1号",
        "district": "海曙区",
        "complainant": {"name": "陈先生", "phone": "13600001111"},
    }
    registered = client.post(
        "/api/v1/cases",
        json.dumps(case),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    return token, registered.json()["tracking_number"]


def _pdf(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("报告.pdf", b"%PDF-" + b"x" * size, content_type="application/pdf")


def test_an_api_request_past_the_cap_is_refused_with_a_problem(client, org, settings):
    settings.HEARLINE_REQUEST_MAX_BYTES = 4096
    token, number = _api_case(client)
    response = client.post(
        f"/api/v1/cases/{number}/attachments",
        {"file": _pdf(8000)},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "request_too_large"
    assert response.json()["limit"] == 4096
    assert not Attachment.objects.exists()
    assert Case.objects.get().events.count() == 1


def test_a_portal_submission_past_the_cap_is_refused_in_chinese(client, org, settings):
    settings.HEARLINE_REQUEST_MAX_BYTES = 4096
    big = SimpleUploadedFile("路灯.png", photo("PNG", (60, 60), noise=True), "image/png")
    response = client.post("/submit/", COMPLAINT | {"photos": [big]})
    assert response.status_code == 413
    assert "提交的内容太大" in response.content.decode()
    assert not Case.objects.exists()


def test_a_file_past_the_attachment_limit_is_too_large_on_every_form(client, org, settings):
    settings.HEARLINE_ATTACHMENT_MAX_BYTES = 1000
    token, number = _api_case(client)
    api = client.post(
        f"/api/v1/cases/{number}/attachments",
        {"file": _pdf(5000)},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert api.status_code == 422 and api.json()["fields"] == {"file": "too_large"}
    portal = client.post("/submit/", COMPLAINT | {"photos": [_pdf(5000)]})
    assert portal.status_code == 422 and "文件过大" in portal.content.decode()
    case = register(org).case
    client.force_login(org.agent)
    staff = client.post(
        f"/staff/cases/{case.pk}/act/attach/", {"file": _pdf(5000), "kind": "evidence"}
    )
    assert staff.status_code == 422 and "文件过大" in staff.content.decode()
    assert not Attachment.objects.exists() and Case.objects.count() == 2
