"""The citizen portal: submit, see the tracking number, follow, rate, reopen, appeal."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hearline.cases.actions import do_transition
from hearline.cases.models import Attachment, Case
from hearline.testing.images import photo
from hearline.testing.org import case_in_state
from hearline.testing.portal import portal_complaint


def _complaint(**overrides):
    return portal_complaint(**overrides)


def _photo(name="路灯.jpg", content=None):
    content = photo("JPEG") if content is None else content
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_submit_shows_the_tracking_number(client, org):
    page = client.post("/submit/", _complaint() | {"photos": [_photo()]}, follow=True)
    case = Case.objects.get()
    assert case.tracking_number in page.content.decode()
    assert case.channel == "web" and case.owner == org.web
    assert Attachment.objects.get(case=case).kind == "photo"


def _files_under(settings, location):
    """Attachments on the real file system at `location` (the suite keeps them in memory)."""
    backend = "django.core.files.storage.FileSystemStorage"
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": backend, "OPTIONS": {"location": str(location)}}
    }


def test_a_complaint_is_registered_even_when_its_photos_cannot_be_stored(
    client, org, settings, tmp_path
):
    """The attachment store failing (here its root is a file, not a directory) costs the
    citizen the photos, not the complaint; the page says so, and no part-file is left."""
    blocked = tmp_path / "media"
    blocked.write_text("not a directory")
    _files_under(settings, blocked)
    page = client.post("/submit/", _complaint() | {"photos": [_photo()]}, follow=True)
    case = Case.objects.get()
    body = page.content.decode()
    assert case.tracking_number in body and "您的投诉已受理，但照片暂时无法保存。" in body
    assert not Attachment.objects.exists()
    assert not case.events.filter(action="attach").exists()


def test_stored_attachments_take_a_name_of_their_own(client, org, settings, tmp_path):
    """A hostile file name never reaches the file system: the file gets a random name."""
    _files_under(settings, tmp_path)
    client.post("/submit/", _complaint() | {"photos": [_photo("../../../etc/passwd.jpg")]})
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(tmp_path) and "passwd" not in stored.name
    assert stored.suffix == ".jpg" and attachment.original_name.endswith("passwd.jpg")


def test_invalid_submission_shows_chinese_errors_and_saves_nothing(client, org):
    page = client.post("/submit/", _complaint(description="", phone="abc") | {"photos": [_photo()]})
    body = page.content.decode()
    assert page.status_code == 422 and "此项为必填" in body and "请填写正确的电话号码" in body
    page = client.post("/submit/", _complaint() | {"photos": [_photo("x.exe", b"MZ")]})
    assert page.status_code == 422 and "不支持该文件类型" in page.content.decode()
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.parametrize("field", ["description", "district"])
def test_control_characters_are_named_in_chinese_and_save_nothing(client, org, field):
    page = client.post("/submit/", _complaint(**{field: "江北区\x1b路灯\x07坏了"}))
    assert page.status_code == 422 and "含有控制字符，请删除后再提交。" in page.content.decode()
    assert Case.objects.count() == 0


def test_a_double_clicked_submit_registers_one_case(client, org):
    client.get("/submit/")  # the browser holds the form's CSRF cookie, as every real one does
    first = client.post("/submit/", _complaint(token="twice"))
    second = client.post("/submit/", _complaint(token="twice"))
    assert first["Location"] == second["Location"] and Case.objects.count() == 1


def test_a_used_token_from_another_browser_files_its_own_complaint_and_learns_nothing(org):
    """The form's token is the browser's to send: another browser sending a used one (or a
    page cached for everyone) files its own complaint and never sees the first one's
    tracking number or secret link."""
    first_browser, second_browser = Client(), Client()
    for browser in (first_browser, second_browser):
        browser.get("/submit/")
    first = first_browser.post("/submit/", _complaint(token="shared"))
    second = second_browser.post("/submit/", _complaint(token="shared", description="井盖丢失"))
    same_text = second_browser.post("/submit/", _complaint(token="shared"))
    assert Case.objects.count() == 3
    case = Case.objects.earliest("registered_at")
    assert case.tracking_number in first["Location"]
    for answer in (second, same_text):
        assert case.tracking_number not in answer["Location"]
        assert case.public_token not in answer["Location"]


def test_a_second_complaint_from_one_page_is_registered_too(client, org):
    client.get("/submit/")
    client.post("/submit/", _complaint(token="page-1"))
    client.post("/submit/", _complaint(token="page-1", description="另一件事：水表漏水。"))
    assert Case.objects.count() == 2


def test_track_shows_the_public_timeline_without_staff_names_or_notes(client, org):
    case = case_in_state(org, "replied")
    body = client.post(
        "/track/", {"number": case.tracking_number, "phone": "13812345678"}
    ).content.decode()
    assert "已派单" in body and case.reply in body and "管网维修部" in body
    for private in ("repair_handler", "现场查看", "王丽", "13812345678"):
        assert private not in body


def test_the_complainant_rates_and_asks_for_a_reopen(client, org):
    case = case_in_state(org, "replied")
    auth = {"number": case.tracking_number, "token": case.public_token}
    page = client.post("/track/record_rating/", auth | {"confirmation": "unsolved"})
    assert page.status_code == 422 and "此项为必填" in page.content.decode()
    client.post(
        "/track/record_rating/", auth | {"confirmation": "unsolved", "satisfaction": "dissatisfied"}
    )
    case.refresh_from_db()
    assert (case.state, case.satisfaction) == ("confirmed", "dissatisfied")
    assert case.events.last().actor is None and case.events.last().details["by"] == "complainant"
    client.post("/track/reopen/", auth | {"reason": "水压还是很低"})
    case.refresh_from_db()
    assert case.state == "dispatched" and case.reopen_count == 1


def test_the_complainants_own_reasons_are_kept_and_shown_to_them_and_to_staff(client, org):
    case = case_in_state(org, "replied")
    auth = {"number": case.tracking_number, "token": case.public_token}
    client.post("/track/appeal/", auth | {"reason": "答复与事实不符，要求上级复核"})
    do_transition(
        case.pk,
        "dismiss_appeal",
        acting_user=org.hotline_supervisor,
        payload={"reason": "督办内部意见：答复符合规定"},
    )
    client.post("/track/reopen/", auth | {"reason": "又停水了，请重新处理"})
    case.refresh_from_db()
    assert case.state == "dispatched"
    reasons = [e.details.get("reason") for e in case.events.order_by("seq")][-3:]
    assert reasons == [
        "答复与事实不符，要求上级复核",
        "督办内部意见：答复符合规定",
        "又停水了，请重新处理",
    ]
    public = client.get("/track/", auth).content.decode()
    assert "答复与事实不符，要求上级复核" in public and "又停水了，请重新处理" in public
    assert "督办内部意见" not in public
    client.force_login(org.repair_handler)
    staff = client.get(f"/staff/cases/{case.pk}/").content.decode()
    for reason in reasons:
        assert reason in staff


def test_responding_needs_the_secret(client, org):
    case = case_in_state(org, "replied")
    client.post(
        "/track/record_rating/",
        {
            "number": case.tracking_number,
            "token": "guess",
            "confirmation": "solved",
            "satisfaction": "satisfied",
        },
    )
    assert Case.objects.get(pk=case.pk).state == "replied"
