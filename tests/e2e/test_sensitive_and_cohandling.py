"""A sensitive case and a co-handled one in a real browser: the handler marks a public-safety
risk, the plan's checklist appears and is ticked off, the leaders and the sensitive queue have
it; the co-handling department accepts and answers its part, shown on the case."""

import pytest
from playwright.sync_api import expect

from .staff_cases import IN_PROGRESS, staff_case
from .test_whole_case import _act, _sign_in

pytestmark = pytest.mark.e2e
COHANDLED = [*IN_PROGRESS, ("add_cohandler", "dispatcher", {"department": "water-cs"})]


def test_a_public_safety_risk_starts_the_plan_and_the_co_handler_answers_its_part(
    live_hearline, browser, screens
):
    base = live_hearline.url
    pk, number, _token = staff_case(
        live_hearline, "营业厅门口的台阶破损，老人进出不方便。", "13700008888", COHANDLED
    )
    handler = _sign_in(browser, base, "handler_network")
    handler.goto(f"{base}/staff/cases/{pk}/")
    form = handler.locator('form[action$="/act/mark_sensitive/"]')
    form.locator("xpath=..").locator("summary").click()
    expect(form.locator('[name="public_safety"]')).not_to_be_checked()
    form.locator('[name="public_safety"]').check()
    form.locator('[name="reason"]').fill("台阶塌陷处有钢筋外露，已有老人绊倒")
    with handler.expect_navigation():
        form.locator("button[type=submit]").click()
    plan = handler.locator("section.plan-run")
    expect(plan).to_contain_text("公共安全类投诉处置预案")
    first = plan.locator("tbody tr").first
    first.locator('[name="note"]').fill("已电话报告分管领导")
    with handler.expect_navigation():
        first.get_by_role("button", name="已完成").click()
    expect(handler.locator("section.plan-run tbody tr").first).to_contain_text("✔")
    screens(handler, "25-plan-checklist")
    handler.context.close()

    leader = _sign_in(browser, base, "water_supervisor")
    leader.goto(base + "/staff/notifications/")
    expect(leader.locator("main")).to_contain_text(number)
    leader.goto(base + "/staff/cases/?queue=sensitive")
    expect(leader.locator("main")).to_contain_text(number)
    leader.context.close()

    helper = _sign_in(browser, base, "handler_cs")
    helper.goto(f"{base}/staff/cases/{pk}/")
    _act(helper, "accept_cohandling")
    _act(helper, "answer_cohandling", {"note": "客服中心已联系市政部门补装井盖。"})
    expect(helper.locator(".cohandling-parts")).to_contain_text("已答复")
    expect(helper.locator(".cohandling-parts")).to_contain_text("补装井盖")
    screens(helper, "25-cohandling-part")
    helper.context.close()
