"""The public progress look-up needs the tracking number and the phone (or the token)."""

from hearline.cases.actions import do_register_case
from hearline.cases.models import Case, ComplainantAccess
from hearline.cases.queries import lookup_public
from hearline.cases.submission import ComplainantData, IntakeSubmission
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
    """Phone guesses for one number from twenty addresses stop look-ups by phone for it
    from anywhere; the secret link of the acknowledgement still opens the case."""
    case = case_in_state(org, "in_progress")
    for n in range(20):
        _look_up(client, case.tracking_number, f"139000000{n:02}", address=f"10.0.1.{n}")
    page = _look_up(client, case.tracking_number, "13812345678", address="10.0.2.1")
    assert page.status_code == 429 and case.title not in page.content.decode()
    page = client.get(
        "/track/",
        {"number": case.tracking_number, "token": case.public_token},
        REMOTE_ADDR="10.0.1.0",
    )
    assert page.status_code == 200 and case.title in page.content.decode()


def test_the_secret_link_opens_the_case_while_its_number_is_locked_from_one_client(org, client):
    """Five wrong phones for one number from one address lock that number for that address
    only: the same address may look up another number, and the link holder gets in."""
    case, other = case_in_state(org, "in_progress"), case_in_state(org, "replied")
    for n in range(5):
        _look_up(client, case.tracking_number, f"1390000000{n}")
    assert _look_up(client, case.tracking_number, "13812345678").status_code == 429
    assert other.title in _look_up(client, other.tracking_number, "13812345678").content.decode()
    page = client.get("/track/", {"number": case.tracking_number, "token": case.public_token})
    assert page.status_code == 200 and case.title in page.content.decode()


def test_other_spellings_of_a_number_share_its_allowance(org, client):
    """Lower case, full-width letters and the long s (ſ, which upper-cases to S) are the
    same tracking number for the counters as for the look-up."""
    case = case_in_state(org, "in_progress")
    Case.objects.filter(pk=case.pk).update(tracking_number="251103-S1234")
    spellings = [
        "251103-ſ1234",
        "251103-s1234",
        "２５１１０３-Ｓ１２３４",
        "251103-ſ1234",
        " 251103-S1234",
    ]
    for n, spelling in enumerate(spellings):
        assert _look_up(client, spelling, f"1390000000{n}").status_code == 200
    assert _look_up(client, "251103-S1234", "13812345678").status_code == 429


def _api_look_up(client, number, phone, address="10.0.0.1"):
    return client.get(
        f"/api/v1/public/cases/{number}", HTTP_X_COMPLAINANT_PHONE=phone, REMOTE_ADDR=address
    )


def test_the_api_takes_the_phone_in_a_header_never_in_the_url(org, client):
    case = case_in_state(org, "in_progress")
    answer = client.get(f"/api/v1/public/cases/{case.tracking_number}", {"phone": "13812345678"})
    assert answer.status_code == 422
    assert answer.json()["fields"] == {"phone": "not_allowed_in_url"}
    answer = _api_look_up(client, case.tracking_number, "138 1234 5678")
    assert answer.status_code == 200 and answer.json()["state"] == "in_progress"
    answer = client.get(
        f"/api/v1/public/cases/{case.tracking_number}", HTTP_X_TRACKING_TOKEN=case.public_token
    )
    assert answer.status_code == 200


def test_the_api_and_the_track_page_count_wrong_phones_together(org, client):
    """Masked phones (138****5678) can't be completed by guessing through either door:
    the API's failures lock /track/ and the other way round."""
    case = case_in_state(org, "in_progress")
    for n in range(3):
        assert _api_look_up(client, case.tracking_number, f"1380000{n}678").status_code == 404
    for n in range(2):
        _look_up(client, case.tracking_number, f"1381111{n}678")
    answer = _api_look_up(client, case.tracking_number, "13812345678")
    assert answer.status_code == 429 and answer.json()["code"] == "throttled"
    assert case.title not in answer.content.decode()
    assert _look_up(client, case.tracking_number, "13812345678").status_code == 429


def test_staff_search_by_a_full_phone_is_logged_for_roles_that_may_not_reveal_it(org, client):
    """A search that matches tells the phone in full: for a dispatcher (who sees it masked)
    each case found is an access to the complainant's phone; the owner's is not logged."""
    case = case_in_state(org, "in_progress")
    client.force_login(org.dispatcher)
    page = client.get("/staff/cases/", {"queue": "all", "q": "138-1234-5678"})
    assert case.tracking_number in page.content.decode()
    access = ComplainantAccess.objects.get(case=case)
    assert access.user == org.dispatcher and access.fields == ["phone"]
    client.get("/staff/cases/", {"queue": "all", "q": "13900000000"})
    client.get("/staff/cases/", {"queue": "all", "q": "水管"})
    assert ComplainantAccess.objects.count() == 1
    client.force_login(org.agent)
    page = client.get("/staff/cases/", {"queue": "all", "q": "13812345678"})
    assert case.tracking_number in page.content.decode()
    assert ComplainantAccess.objects.count() == 1


def test_phones_typed_in_other_digits_are_stored_and_found_as_ascii(org, client):
    case = do_register_case(
        IntakeSubmission(
            channel="hotline",
            description="水压太低",
            complainant=ComplainantData(name="李四", phone="１３９ ０００٠ ١١١١"),
        ),
        acting_user=org.agent,
    ).case
    assert case.complainant.phone == "13900001111"
    assert lookup_public(case.tracking_number, phone="13900001111") == case
    assert lookup_public(case.tracking_number, phone="１３９０００٠١١١١") == case
    client.force_login(org.agent)
    page = client.get("/staff/cases/", {"queue": "all", "q": "１３９００００１１１１"})
    assert case.tracking_number in page.content.decode()


def test_the_phone_is_never_taken_from_the_url(org, client):
    """A phone in a query string would end up in access logs: only a posted one counts."""
    case = case_in_state(org, "in_progress")
    page = client.get("/track/", {"number": case.tracking_number, "phone": "13812345678"})
    assert case.title not in page.content.decode()
    page = client.get("/track/", {"number": case.tracking_number, "token": case.public_token})
    assert case.title in page.content.decode()
