"""An appeal in a real browser: the citizen appeals on the progress page; the hotline's
supervisor (the level above the water company) finds it in the appeals queue with its reason
and deadline, upholds it with an instruction, and the case is back in the department's
inbox as 重办 with the instruction on top."""

import pytest
from playwright.sync_api import expect

from .staff_cases import REPLIED, staff_case
from .test_whole_case import _act, _sign_in

pytestmark = pytest.mark.e2e


def test_an_appeal_is_decided_above_and_the_case_handled_again(live_hearline, browser, screens):
    base = live_hearline.url
    pk, number, token = staff_case(
        live_hearline, "楼道水管漏水，墙面发霉。", "13600006666", REPLIED
    )

    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(f"{base}/track/?number={number}&token={token}")
    appeal = citizen.locator('form[action$="/track/appeal/"]')
    appeal.locator("textarea").fill("维修后仍然漏水，答复与事实不符")
    with citizen.expect_navigation():
        appeal.locator("button[type=submit]").click()
    expect(citizen.locator("#case-state")).to_have_text("申诉中")

    supervisor = _sign_in(browser, base, "supervisor")
    supervisor.goto(f"{base}/staff/cases/?queue=appeals")
    with supervisor.expect_navigation():
        supervisor.get_by_role("link", name=number).click()
    banner = supervisor.locator("#appeal-banner")
    expect(banner).to_contain_text("维修后仍然漏水，答复与事实不符")
    expect(banner).to_contain_text("复核期限")
    screens(supervisor, "25-supervisor-appeal")
    _act(supervisor, "uphold_appeal", {"instruction": "请重新上门查漏并拍照留证"})
    expect(supervisor.locator("hgroup")).to_contain_text("已派单")

    handler = _sign_in(browser, base, "handler_network")
    handler.goto(f"{base}/staff/cases/{pk}/")
    banner = handler.locator("#reopen-banner")
    expect(banner).to_contain_text("申诉成立")
    expect(banner).to_contain_text("请重新上门查漏并拍照留证")
    screens(handler, "26-handler-appeal-upheld")
    for page in (citizen, supervisor, handler):
        page.context.close()
