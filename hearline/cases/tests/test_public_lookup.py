"""The public progress look-up needs the tracking number and the phone (or the token)."""

from hearline.cases.queries import lookup_public
from hearline.testing.org import case_in_state


def test_number_and_phone_open_the_case(org):
    case = case_in_state(org, "in_progress")
    assert lookup_public(case.tracking_number, phone="138 1234 5678") == case
    assert lookup_public(case.tracking_number.lower(), phone="13812345678") == case


def test_number_alone_or_with_a_wrong_phone_reveals_nothing(org):
    case = case_in_state(org, "in_progress")
    assert lookup_public(case.tracking_number) is None
    assert lookup_public(case.tracking_number, phone="13900000000") is None
    assert lookup_public(case.tracking_number, phone="5678") is None
    assert lookup_public("000000-AAAAA", phone="13812345678") is None


def test_secret_token_opens_the_case(org):
    case = case_in_state(org, "registered")
    assert lookup_public(case.tracking_number, token=case.public_token) == case
    assert lookup_public(case.tracking_number, token="x" * 22) is None


def test_track_page_shows_progress_only_with_the_right_phone(org, client):
    case = case_in_state(org, "replied")
    page = client.post("/track/", {"number": case.tracking_number, "phone": "13812345678"})
    body = page.content.decode()
    assert page.status_code == 200 and case.reply in body
    assert "已派单" in body and "已答复" in body, "the timeline speaks the complainant's language"
    assert "13812345678" not in body and "王丽" not in body
    page = client.post("/track/", {"number": case.tracking_number, "phone": "13900000000"})
    body = page.content.decode()
    assert case.reply not in body and 'class="error"' in body
