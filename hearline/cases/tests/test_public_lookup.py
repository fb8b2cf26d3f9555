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


def _look_up(client, number, phone, address="10.0.0.1"):
    return client.post("/track/", {"number": number, "phone": phone}, REMOTE_ADDR=address)


def test_guessing_phones_from_one_address_is_throttled(org, client):
    """Ten wrong pairs from one address within fifteen minutes: the eleventh look-up is
    refused even when right, so numbers and phones can't be enumerated."""
    case = case_in_state(org, "in_progress")
    for n in range(10):
        page = _look_up(client, f"{case.tracking_number[:-1]}{n}", "13800000000")
        assert page.status_code == 200 and "没有找到" in page.content.decode()
    page = _look_up(client, case.tracking_number, "13812345678")
    assert page.status_code == 429 and case.title not in page.content.decode()
    assert "查询失败次数过多，请15分钟后再试。" in page.content.decode()
    assert (
        case.title
        in _look_up(client, case.tracking_number, "13812345678", "10.0.0.2").content.decode()
    )


def test_guessing_one_numbers_phone_from_many_addresses_is_throttled(org, client):
    case = case_in_state(org, "in_progress")
    for n in range(5):
        _look_up(client, case.tracking_number, f"1390000000{n}", address=f"10.0.1.{n}")
    page = _look_up(client, case.tracking_number, "13812345678", address="10.0.2.1")
    assert page.status_code == 429 and case.title not in page.content.decode()


def test_the_phone_is_never_taken_from_the_url(org, client):
    """A phone in a query string would end up in access logs: only a posted one counts."""
    case = case_in_state(org, "in_progress")
    page = client.get("/track/", {"number": case.tracking_number, "phone": "13812345678"})
    assert case.title not in page.content.decode()
    page = client.get("/track/", {"number": case.tracking_number, "token": case.public_token})
    assert case.title in page.content.decode()
