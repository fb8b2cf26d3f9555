"""The staff workspace through Django's test client: what each role sees and can do."""

import re

import pytest

from hearline.accounts.models import User, UserRole
from hearline.accounts.roles import Role
from hearline.cases.models import Case, ComplainantAccess
from hearline.testing.org import case_in_state, register


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "username, landing",
    [
        ("agent", "/staff/cases/?queue=mine"),
        ("dispatcher", "/staff/cases/?queue=dispatch"),
        ("repair_handler", "/staff/cases/?queue=inbox"),
        ("repair_supervisor", "/staff/supervision/"),
        ("manager", "/staff/dashboard/"),
    ],
)
def test_each_role_lands_on_its_own_queue(client, org, username, landing):
    assert _login(client, org.users[username]).get("/staff/")["Location"] == landing


def _intake(**overrides):
    data = {
        "token": "t-1",
        "phone": "13912345678",
        "name": "钱女士",
        "description": "小区二次供水水箱有异味。",
        "address": "鄞州区学士路5号",
        "district": "鄞州区",
        "request": "清洗水箱并检测水质",
        "urgency": "normal",
        "preferred_channel": "sms",
    }
    return data | overrides


def test_agent_registers_a_call_and_reads_it_back(client, org):
    _login(client, org.agent)
    page = client.post("/staff/intake/", _intake(), follow=True)
    case = Case.objects.get()
    body = page.content.decode()
    assert case.tracking_number in body and "复述确认" in body and "钱女士" in body
    assert case.channel == "hotline" and case.owner == org.agent


def test_a_double_submitted_call_registers_one_case(client, org):
    _login(client, org.agent)
    first = client.post("/staff/intake/", _intake(token="same"))
    second = client.post("/staff/intake/", _intake(token="same"))
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


def test_intake_errors_are_in_chinese_next_to_the_field_and_nothing_is_saved(client, org):
    _login(client, org.agent)
    page = client.post("/staff/intake/", _intake(description="", phone="12ab"))
    body = page.content.decode()
    assert page.status_code == 422
    assert re.search(r'id_description-errors"><li>此项为必填', body)
    assert "请填写正确的电话号码" in body
    assert Case.objects.count() == 0


@pytest.mark.parametrize("occurred_at", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_time_at_the_ends_of_the_calendar_is_an_intake_error_not_a_crash(
    client, org, occurred_at
):
    _login(client, org.agent)
    page = client.post("/staff/intake/", _intake(occurred_at=occurred_at))
    assert page.status_code == 422
    assert re.search(r'id_occurred_at-errors"><li>超出范围', page.content.decode())
    assert Case.objects.count() == 0


def test_phone_lookup_shows_earlier_cases(client, org):
    case = register(org).case
    _login(client, org.agent2)
    body = client.get("/staff/intake/lookup/", {"phone": "138-1234-5678"}).content.decode()
    assert case.tracking_number in body


def test_a_phone_lookup_finds_only_the_desks_organisation_and_is_logged(client, org):
    """agent2 did not register the case (so may not reveal its phone): the match is an
    access to the complainant's phone. A desk of another organisation finds nothing."""
    case = register(org).case
    _login(client, org.agent2)
    client.get("/staff/intake/lookup/", {"phone": "13812345678"})
    access = ComplainantAccess.objects.get()
    assert (access.user, access.case, access.fields) == (org.agent2, case, ["phone"])
    metro_desk = User.objects.create_user(
        "metro_desk", password="x", department=org.departments["metro"]
    )
    UserRole.objects.create(user=metro_desk, role=Role.AGENT)
    _login(client, metro_desk)
    body = client.get("/staff/intake/lookup/", {"phone": "13812345678"}).content.decode()
    assert case.tracking_number not in body


def test_the_case_page_offers_only_the_actions_allowed_now(client, org):
    case = case_in_state(org, "dispatched")
    body = _login(client, org.repair_handler).get(f"/staff/cases/{case.pk}/").content.decode()
    assert f"/staff/cases/{case.pk}/act/accept/" in body
    assert f"/staff/cases/{case.pk}/act/return/" in body
    assert "/act/reply/" not in body and "/act/dispatch/" not in body
    body = _login(client, org.agent).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "/act/accept/" not in body
    assert _login(client, org.metro_handler).get(f"/staff/cases/{case.pk}/").status_code == 404


def test_actions_from_the_case_page(client, org):
    case = case_in_state(org, "dispatched")
    _login(client, org.repair_handler)
    page = client.post(
        f"/staff/cases/{case.pk}/act/return/", {"reason": "", "version": case.version}
    )
    assert page.status_code == 422 and "此项为必填" in page.content.decode()
    assert Case.objects.get(pk=case.pk).state == "dispatched"
    client.post(f"/staff/cases/{case.pk}/act/accept/", {"version": case.version})
    assert Case.objects.get(pk=case.pk).state == "in_progress"
    stale = client.post(
        f"/staff/cases/{case.pk}/act/record_investigation/",
        {"note": "x", "version": case.version},
        follow=True,
    )
    assert "已被他人修改" in stale.content.decode()


def test_evidence_upload_and_download(client, org):
    case = case_in_state(org, "in_progress")
    _login(client, org.repair_handler)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hearline.testing.images import photo as real_photo

    photo = SimpleUploadedFile("现场.png", real_photo("PNG"), content_type="image/png")
    client.post(f"/staff/cases/{case.pk}/act/attach/", {"file": photo, "kind": "photo"})
    attachment = case.attachments.get()
    download = client.get(f"/staff/cases/{case.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(
        b"\x89PNG"
    )
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    page = client.post(f"/staff/cases/{case.pk}/act/attach/", {"file": bad, "kind": "photo"})
    assert page.status_code == 422 and "不支持该文件类型" in page.content.decode()
    _login(client, org.metro_handler)
    assert client.get(f"/staff/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 404


def test_complainant_data_is_masked_until_shown_and_the_showing_is_logged(client, org):
    case = case_in_state(org, "in_progress")
    _login(client, org.repair_handler)
    body = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "138****5678" in body and "13812345678" not in body
    body = client.post(f"/staff/cases/{case.pk}/reveal/").content.decode()
    assert "13812345678" in body
    assert ComplainantAccess.objects.filter(case=case, user=org.repair_handler).count() == 1
    _login(client, org.dispatcher)
    body = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "显示完整信息" not in body
    client.post(f"/staff/cases/{case.pk}/reveal/")
    assert not ComplainantAccess.objects.filter(user=org.dispatcher).exists()


def test_dispatch_with_cohandlers_and_bulk_dispatch(client, org):
    one, two, three = (register(org).case for _ in range(3))
    _login(client, org.dispatcher)
    customer = org.departments["customer"]
    client.post(
        f"/staff/cases/{one.pk}/act/dispatch/",
        {"department": org.departments["repair"].pk, "cohandlers": [customer.pk], "version": 1},
    )
    one.refresh_from_db()
    assert one.state == "dispatched" and list(one.co_departments.all()) == [customer]
    client.post("/staff/dispatch/bulk/", {"cases": [two.pk, three.pk], "department": customer.pk})
    assert set(Case.objects.filter(pk__in=[two.pk, three.pk]).values_list("state", flat=True)) == {
        "dispatched"
    }


def test_search_by_number_phone_and_words(client, org):
    case = register(org, description="东门口站自动扶梯异响").case
    other = register(org).case
    _login(client, org.agent)
    for q in (case.tracking_number, "扶梯"):
        body = client.get("/staff/cases/", {"queue": "all", "q": q}).content.decode()
        assert case.tracking_number in body and other.tracking_number not in body, q
    body = client.get("/staff/cases/", {"queue": "all", "q": "138 1234 5678"}).content.decode()
    assert case.tracking_number in body and other.tracking_number in body


def test_lists_paginate(client, org):
    for _ in range(27):
        register(org)
    _login(client, org.agent)
    first = client.get("/staff/cases/", {"queue": "mine"}).content.decode()
    second = client.get("/staff/cases/", {"queue": "mine", "page": 2}).content.decode()
    assert "第 1 页，共 2 页" in first and "第 2 页，共 2 页" in second


def test_manager_dashboard(client, org):
    case_in_state(org, "in_progress")
    body = _login(client, org.manager).get("/staff/dashboard/").content.decode()
    # The last 30 days by default: the one case, its department ranked, the trend drawn.
    assert "响应率" in body and "部门排名" in body and "echarts.min.js" in body
    assert '<a class="figure" href="/staff/analytics/cases/?start=' in body
    assert _login(client, org.agent).get("/staff/dashboard/").status_code == 403


def test_long_lists_count_up_to_a_cap(client, org, monkeypatch):
    from hearline.core.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 5)
    for _ in range(7):
        register(org)
    body = _login(client, org.agent).get("/staff/cases/", {"queue": "mine"}).content.decode()
    assert "(5+)" in body


def test_bulk_dispatch_passes_over_ids_that_are_no_ids(client, org):
    case = register(org).case
    client.force_login(org.dispatcher)
    answer = client.post(
        "/staff/dispatch/bulk/",
        {"cases": ["²", "9" * 40, str(case.pk)], "department": org.departments["repair"].pk},
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.state == "dispatched"
