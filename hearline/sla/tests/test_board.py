"""The supervision board in the browser's terms: sign in, see, approve, urge."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.core.pagination import CappedPaginator
from hearline.core.timetravel import at_time
from hearline.notify.models import Notification
from hearline.sla.board import DepartmentCounts, department_counts
from hearline.sla.models import CaseClock, Level
from hearline.sla.sweep import do_sweep
from hearline.testing.org import case_in_state, register

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def late_org(org):
    with at_time(datetime(2026, 3, 2, 9, 0, tzinfo=TZ)):
        late = case_in_state(org, "in_progress")
        pending = case_in_state(org, "in_progress", pending="suspension")
    do_sweep(datetime(2026, 3, 20, 9, 0, tzinfo=TZ))
    org.late, org.pending = late, pending
    return org


def test_sign_in_leads_to_the_board(client, late_org):
    page = client.post("/accounts/login/", {"username": "repair_supervisor", "password": "x"})
    assert page.status_code == 302 and page["Location"] == "/staff/"
    assert client.get("/staff/")["Location"] == "/staff/supervision/"


def test_board_shows_counts_late_cases_and_requests(client, late_org):
    client.force_login(late_org.repair_supervisor)
    body = client.get("/staff/supervision/").content.decode()
    assert "督办" in body
    assert late_org.late.tracking_number in body and "超时" in body
    assert "管网维修部" in body
    assert "等待投诉人提供材料" in body, "the pending suspension request with its reason"


def test_board_is_for_supervisors_and_managers(client, late_org):
    client.force_login(late_org.repair_handler)
    assert client.get("/staff/supervision/").status_code == 403
    client.force_login(late_org.manager)
    assert client.get("/staff/supervision/").status_code == 200
    client.logout()
    assert client.get("/staff/supervision/").status_code == 302


def test_approve_and_urge_from_the_board(client, late_org):
    client.force_login(late_org.repair_supervisor)
    page = client.post(
        "/staff/supervision/act/",
        {"case": late_org.pending.pk, "action": "approve_suspension"},
        follow=True,
    )
    assert Case.objects.get(pk=late_org.pending.pk).state == "suspended"
    assert late_org.pending.tracking_number in page.content.decode()
    client.post("/staff/supervision/act/", {"case": late_org.late.pk, "action": "urge"})
    assert not Notification.objects.filter(case=late_org.late, kind="urge").exists()  # no note
    client.post(
        "/staff/supervision/act/",
        {"case": late_org.late.pk, "action": "urge", "note": "请今日内办结"},
    )
    urged = Notification.objects.get(
        case=late_org.late, kind="urge", recipient=late_org.repair_handler
    )
    assert "请今日内办结" in urged.text


def test_reject_needs_a_reason_and_errors_are_in_chinese(client, late_org):
    client.force_login(late_org.repair_supervisor)
    page = client.post(
        "/staff/supervision/act/",
        {"case": late_org.pending.pk, "action": "reject_request"},
        follow=True,
    )
    assert "请填写理由" in page.content.decode()
    assert Case.objects.get(pk=late_org.pending.pk).pending_request == "suspension"
    page = client.post(
        "/staff/supervision/act/", {"case": late_org.pending.pk, "action": "archive"}, follow=True
    )
    assert "未知操作" in page.content.decode()


def test_a_missing_calendar_year_is_announced(client, late_org):
    client.force_login(late_org.repair_supervisor)
    with at_time(datetime(2026, 11, 2, 9, 0, tzinfo=TZ)):
        body = client.get("/staff/supervision/").content.decode()
    assert "2027" in body and "节假日" in body


def test_administrators_see_the_warning_on_the_admin_index(client, org):
    from hearline.accounts.models import User

    admin = User.objects.create_superuser(
        "root", password="x", department=org.departments["hotline"]
    )
    client.force_login(admin)
    with at_time(datetime(2026, 11, 2, 9, 0, tzinfo=TZ)):
        body = client.get("/admin/").content.decode()
    assert "缺少 2027 年的官方节假日安排" in body
    with at_time(datetime(2026, 6, 2, 9, 0, tzinfo=TZ)):
        body = client.get("/admin/").content.decode()
    assert "缺少 2027" not in body, "no warning before October"


def test_counts_take_the_worse_of_both_deadlines_of_each_open_case(org):
    """On time, nearly due or overdue by the resolution deadline, or by the response
    deadline while there is no response yet; stopped clocks and other departments' cases
    the user may not see are not counted."""
    cases = [case_in_state(org, "in_progress") for _ in range(5)]
    levels = [
        {"resolution_level": Level.RED},
        {"response_level": Level.RED, "responded_at": timezone.now()},  # responded: on time
        {"response_level": Level.YELLOW, "responded_at": None},
        {"response_level": Level.RED, "responded_at": None, "resolution_level": Level.YELLOW},
        {"resolution_level": Level.RED, "stopped": True},
    ]
    for case, fields in zip(cases, levels, strict=True):
        CaseClock.objects.filter(case=case).update(**fields)
    other = register(org).case
    do_transition(
        other.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "customer"}
    )
    CaseClock.objects.filter(case=other).update(resolution_level=Level.YELLOW)

    repair, customer = (org.departments[code].pk for code in ("repair", "customer"))
    assert department_counts(org.repair_supervisor) == [
        DepartmentCounts("管网维修部", 1, 1, 2, repair)
    ]
    assert department_counts(org.water_supervisor) == [
        DepartmentCounts("管网维修部", 1, 1, 2, repair),
        DepartmentCounts("客户服务部", 0, 1, 0, customer),
    ]


def test_requests_waiting_are_counted_up_to_a_cap(client, late_org, monkeypatch):
    """Beyond the cap the board says "cap+" instead of counting every waiting request."""
    client.force_login(late_org.repair_supervisor)
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    assert "(1)" in client.get("/staff/supervision/").content.decode()
    case_in_state(late_org, "in_progress", pending="extension")
    body = client.get("/staff/supervision/").content.decode()
    assert "(1+)" in body and body.count('value="approve_') == 2, "both still listed"


def test_the_board_puts_decisions_first_lists_a_late_case_once_and_links_every_number(
    client, late_org
):
    CaseClock.objects.filter(case=late_org.late).update(
        response_level=Level.RED, responded_at=None, resolution_level=Level.RED
    )
    client.force_login(late_org.repair_supervisor)
    body = client.get("/staff/supervision/").content.decode()
    assert body.index('id="approvals"') < body.index('id="appeals"') < body.index('id="late"')
    late_rows = [row for row in body.split("<tr") if late_org.late.tracking_number in row]
    assert len(late_rows) == 1 and "两项时限" in late_rows[0]
    assert f'href="/staff/cases/{late_org.late.pk}/"' in body

    repair = late_org.departments["repair"].pk
    link = f"/staff/supervision/cases/?level=red&amp;department={repair}"
    assert link in body
    behind = client.get(link.replace("&amp;", "&"))
    assert late_org.late.tracking_number in behind.content.decode()
    assert client.get("/staff/supervision/cases/?level=purple").status_code == 404


def test_appeals_waiting_are_on_the_board_of_those_who_decide_them(client, org):
    appealed = case_in_state(org, "appealed")
    client.force_login(org.hotline_supervisor)
    body = client.get("/staff/supervision/").content.decode()
    assert appealed.tracking_number in body.split('id="appeals"')[1].split("</details>")[0]
    client.force_login(org.repair_supervisor)
    body = client.get("/staff/supervision/").content.decode()
    assert appealed.tracking_number not in body.split('id="appeals"')[1].split("</details>")[0]
