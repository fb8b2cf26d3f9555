"""Notices reach people, in a real browser: a supervisor urges a case with a note; the
handler's badge counts it without a reload, the inbox shows it, opening it leads to the case
with the urging on top, and the handler's acknowledgement reaches the supervisor's inbox. The
handler then chooses to get assignments by SMS."""

import pytest
from playwright.sync_api import expect

from .staff_cases import IN_PROGRESS, staff_case
from .test_whole_case import _act, _sign_in

pytestmark = pytest.mark.e2e


def _case(live_hearline, description: str) -> tuple[int, str]:
    pk, number, _token = staff_case(live_hearline, description, "13600007777", IN_PROGRESS)
    return pk, number


def test_an_urging_reaches_the_handler_and_the_acknowledgement_the_supervisor(
    live_hearline, browser, screens
):
    base = live_hearline.url
    pk, number = _case(live_hearline, "井盖松动，车辆经过时响声很大，担心有人踩空。")
    handler = _sign_in(browser, base, "handler_network")
    before = int(handler.inner_text("#nav-unread").rstrip("+"))

    supervisor = _sign_in(browser, base, "water_supervisor")
    supervisor.goto(f"{base}/staff/cases/{pk}/")
    _act(supervisor, "urge", {"note": "市民反映强烈，请今天下午前到场处理"})

    # The handler's page is not reloaded: its badge asks the server every 30 s, and at once
    # when the window gets the focus back (the handler returns to the tab).
    badge = handler.locator("#nav-unread")
    expect(badge).to_have_attribute("hx-trigger", "every 30s, focus from:window")
    handler.evaluate("window.dispatchEvent(new FocusEvent('focus'))")
    expect(badge).to_have_text(str(before + 1))
    handler.goto(f"{base}/staff/notifications/?unread=1")
    row = handler.locator("#notices tbody tr", has_text=number).filter(has_text="催办").first
    expect(row).to_contain_text("请今天下午前到场处理")
    screens(handler, "20-handler-inbox")
    with handler.expect_navigation():
        row.get_by_role("button", name="打开").click()
    assert handler.url.endswith(f"/staff/cases/{pk}/")
    expect(handler.locator("#urge-banner")).to_contain_text("请今天下午前到场处理")
    _act(handler, "acknowledge_urge", {"note": "下午三点到场"})
    expect(handler.locator("#urge-banner")).to_have_count(0)
    expect(handler.locator("#nav-unread")).to_have_text(str(before))

    supervisor.goto(f"{base}/staff/notifications/?kind=urge_ack")
    acknowledged = supervisor.locator("#notices tbody tr", has_text=number)
    expect(acknowledged).to_contain_text("下午三点到场")
    expect(acknowledged).to_contain_text("催办已确认")
    screens(supervisor, "21-supervisor-acknowledged")
    for page in (handler, supervisor):
        page.context.close()


def test_a_handler_chooses_assignments_by_sms(live_hearline, browser, screens):
    base = live_hearline.url
    handler = _sign_in(browser, base, "handler_cs")
    handler.goto(f"{base}/staff/notifications/settings/")
    handler.get_by_label("本部门新工单: 短信").check()
    handler.fill("#id_mobile", "12345")
    handler.get_by_role("button", name="保存").click()
    expect(handler.locator("main")).to_contain_text("请填写正确的电话号码")
    handler.fill("#id_mobile", "139 0000 8888")
    with handler.expect_navigation():
        handler.get_by_role("button", name="保存").click()
    expect(handler.locator("main")).to_contain_text("通知设置已保存")
    expect(handler.get_by_label("本部门新工单: 短信")).to_be_checked()
    expect(handler.locator("#id_mobile")).to_have_value("13900008888")
    screens(handler, "22-notice-settings")
    handler.context.close()


def test_any_agent_answers_a_progress_call(live_hearline, browser, screens):
    """进度查询: agent2 did not register the case, finds it by its number and by the caller's
    phone, and reads its state, department, time limits and reply; the caller stays masked."""
    base = live_hearline.url
    pk, number = _case(live_hearline, "小区二次供水水箱没有清洗，水有异味。")
    agent = _sign_in(browser, base, "agent2")
    agent.goto(f"{base}/staff/cases/?queue=all")
    agent.fill('input[name="q"]', number)
    with agent.expect_navigation():
        agent.get_by_role("button", name="查询").click()
    with agent.expect_navigation():
        agent.get_by_role("link", name=number).click()
    assert agent.url.endswith(f"/staff/cases/{pk}/")
    expect(agent.locator("hgroup")).to_contain_text("办理中")
    expect(agent.locator("main")).to_contain_text("管网管理部")
    expect(agent.locator("main")).to_contain_text("136****7777")
    expect(agent.locator("main")).not_to_contain_text("13600007777")
    screens(agent, "24-agent-progress-call")
    agent.goto(f"{base}/staff/cases/?queue=all&q=13600007777")
    expect(agent.locator("table")).to_contain_text(number)
    agent.context.close()
