"""Every form keeps what staff and complainants typed, in a real browser on the demo: an
edit form saved with one change keeps everything else it showed (dates above all, which a
date picker drops when they are not written as it takes them), a reason a form asks for is
on the timeline afterwards, and the restoration time a coordinator gives is the one shown."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .test_whole_case import _act, _sign_in

pytestmark = pytest.mark.e2e
LOCAL = ZoneInfo("Asia/Shanghai")  # the demo server's HEARLINE_TIME_ZONE
SAVED = 10_000  # ms: a form the browser or the server refuses never navigates

CASE_OF_AGENT = """
from hearline.cases.models import Case
case = (
    Case.objects.filter(state="{state}", owner__username="agent", incident_link__isnull=True)
    .order_by("pk")
    .first()
)
print("CASE", case.pk, case.tracking_number, case.public_token)
"""


def _case(live_hearline, state: str) -> tuple[int, str, str]:
    """(id, tracking number, secret token) of a demo case of the agent in `state`."""
    out = live_hearline.run("shell", "-c", CASE_OF_AGENT.format(state=state))
    _mark, pk, number, token = next(x for x in out.splitlines() if x.startswith("CASE ")).split()
    return int(pk), number, token


def _save(page, form):
    with page.expect_navigation(timeout=SAVED):
        form.locator("button[type=submit]").click()


def _local(moment: datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M")


def _shown(moment: datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def test_a_corrective_action_saved_with_a_new_title_keeps_its_dates_and_comparison(
    live_hearline, browser, screens
):
    base = live_hearline.url
    page = _sign_in(browser, base, "manager")
    page.goto(base + "/staff/analytics/actions/")
    page.get_by_text("水费账单增加用量明细").click()
    expect(page.locator("table.effect tbody tr")).to_have_count(7)
    facts = page.locator("dl.facts").inner_text()
    effect = page.locator("table.effect").inner_text()
    assert len(re.findall(r"\d{4}-\d{2}-\d{2}", facts)) == 3, "start, due and completion"

    form = page.locator("form:has(#id_what)")
    page.locator("details > summary").click()
    form.locator("#id_what").fill("水费账单增加用量明细，停水计划短信一次性告知到户（已推广）")
    _save(page, form)

    expect(page.locator("h1")).to_contain_text("（已推广）")
    assert page.locator("dl.facts").inner_text() == facts
    assert page.locator("table.effect").inner_text() == effect
    history = page.locator("article:has(h2) ul li").last.inner_text()
    assert "what" in history
    for kept in ("start_date", "due_date", "done_on", "status", "categories"):
        assert kept not in history
    screens(page, "edit-corrective-action-saved")


def test_an_article_saved_with_a_new_title_keeps_its_review_date(live_hearline, browser, screens):
    base = live_hearline.url
    page = _sign_in(browser, base, "manager")
    page.goto(base + "/staff/kb/?q=水表过户")
    # The click returns once the article page is requested: read it only once it has loaded.
    with page.expect_navigation():
        page.locator("#articles tbody a").first.click()

    def facts():
        return page.evaluate(
            """() => {
              const parts = [];
              for (let n = document.querySelector('main h1').nextElementSibling;
                   n && n.tagName !== 'H2'; n = n.nextElementSibling) parts.push(n.innerText);
              return parts.join('\\n').replace(/(版本|Version)\\s*\\d+/, '');
            }"""
        )

    before = facts()
    assert re.search(r"\d{4}-\d{2}-\d{2}", before), "the review date is shown"
    page.get_by_role("link", name="编辑").click()
    form = page.locator("form:has(#id_title)")
    form.locator("#id_title").fill("水表过户（更名）办理指南")
    _save(page, form)

    expect(page.locator("h1")).to_have_text("水表过户（更名）办理指南")
    assert facts() == before
    assert page.locator("#versions tbody tr").first.locator("td").nth(3).inner_text() == "title"
    screens(page, "edit-article-saved")


def test_the_reasons_of_a_staff_appeal_and_reopen_are_on_the_timeline(
    live_hearline, browser, screens
):
    base = live_hearline.url
    pk, _number, _token = _case(live_hearline, "replied")
    page = _sign_in(browser, base, "agent")
    page.goto(f"{base}/staff/cases/{pk}/")
    _act(page, "appeal", {"reason": "来电称答复与现场不符，代为申诉"})
    assert "申诉中" in page.inner_text("hgroup")
    _act(page, "reopen", {"reason": "经核实确未修复，退回重办"})
    assert "已派单" in page.inner_text("hgroup")
    timeline = page.inner_text("ol.timeline")
    assert "理由: 来电称答复与现场不符，代为申诉" in timeline
    assert "理由: 经核实确未修复，退回重办" in timeline
    screens(page, "edit-staff-reopen-reason")


def test_the_complainants_reopen_reason_is_shown_to_them_and_to_staff(
    live_hearline, browser, screens
):
    base = live_hearline.url
    pk, number, token = _case(live_hearline, "confirmed")
    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(f"{base}/track/?number={number}&token={token}")
    form = citizen.locator('form[action$="/track/reopen/"]')
    form.locator('textarea[name="reason"]').fill("修好两天又坏了，请再派人来看")
    _save(citizen, form)
    assert "已派单" in citizen.inner_text("#case-state")
    assert "修好两天又坏了，请再派人来看" in citizen.inner_text("ol.timeline")
    screens(citizen, "edit-complainant-reopen-reason")

    agent = _sign_in(browser, base, "agent")
    agent.goto(f"{base}/staff/cases/{pk}/")
    assert "理由: 修好两天又坏了，请再派人来看" in agent.inner_text("ol.timeline")


def _open_incident(page, base, title: str, started: datetime, expected: datetime) -> None:
    page.goto(base + "/staff/incidents/")
    page.locator("details > summary", has_text="开启").click()
    form = page.locator('form[action$="/incidents/new/"]')
    form.locator('select[name="kind"]').select_option(value="water-quality")
    form.locator('[name="title"]').fill(title)
    form.locator('[name="districts"]').fill("北仑区")
    form.locator('[name="started_at"]').fill(_local(started))
    form.locator('[name="expected_restoration_at"]').fill(_local(expected))
    form.locator('[name="measures"]').fill("临时供水点：北仑区新碶街道社区中心")
    _save(page, form)


def _incident_facts(page) -> str:
    return page.locator("article:has(h2) dl").first.inner_text()


def test_an_incident_changed_with_a_new_title_keeps_its_times(live_hearline, browser, screens):
    base = live_hearline.url
    now = datetime.now(LOCAL)
    page = _sign_in(browser, base, "coordinator")
    started, expected = now - timedelta(hours=5), now + timedelta(hours=7)
    _open_incident(page, base, "北仑区新碶水质发黄", started, expected)
    facts = _incident_facts(page)
    assert _shown(started) in facts and _shown(expected) in facts

    form = page.locator('form[action$="/act/update/"]')
    form.locator("xpath=..").locator("summary").click()
    form.locator('[name="title"]').fill("北仑区新碶街道水质发黄")
    _save(page, form)

    expect(page.locator("h1")).to_contain_text("北仑区新碶街道水质发黄")
    assert _incident_facts(page) == facts
    _close(page, "供水水质已恢复正常。", restored_at=None)  # leave no incident running
    screens(page, "edit-incident-updated")


def _close(page, notice: str, restored_at: datetime | None) -> None:
    form = page.locator('form[action$="/act/close/"]')
    form.locator("xpath=..").locator("summary").click()
    form.locator('[name="notice"]').fill(notice)
    form.locator('[name="finding"]').fill("管网冲洗不彻底")
    form.locator('[name="resolution"]').fill("分段冲洗并化验合格")
    if restored_at is not None:
        form.locator('[name="restored_at"]').fill(_local(restored_at))
    _save(page, form)


def test_an_incident_closed_later_shows_when_water_came_back(live_hearline, browser, screens):
    base = live_hearline.url
    now = datetime.now(LOCAL)
    page = _sign_in(browser, base, "coordinator")
    _open_incident(page, base, "北仑区大碶水质浑浊", now - timedelta(hours=9), now)
    restored = (now - timedelta(hours=2, minutes=25)).replace(second=0, microsecond=0)
    _close(page, "大碶片区水质已于今日上午恢复正常，可放心使用。", restored)

    expect(page.locator("#incident-state")).to_have_text("已处理")
    assert f"恢复时间\n{_shown(restored)}" in _incident_facts(page)
    screens(page, "edit-incident-closed")
    with page.expect_navigation():
        page.get_by_role("link", name="公开页面").click()
    assert f"恢复时间\n{_shown(restored)}" in page.locator("main dl").inner_text()
    screens(page, "edit-incident-public")
