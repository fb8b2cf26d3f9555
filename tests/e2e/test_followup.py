"""Follow-up (回访) in a real browser: a complaint that came in by e-mail, answered by the
department, waits in the intake team's "To follow up" queue, and any agent of the team
follows it up."""

import pytest
from playwright.sync_api import expect

from .staff_cases import REPLIED, staff_case
from .test_whole_case import _act, _sign_in

pytestmark = pytest.mark.e2e


def test_the_intake_team_follows_up_a_case_that_came_in_by_email(live_hearline, browser, screens):
    pk, number, _token = staff_case(
        live_hearline,
        "营业厅排队两小时无人叫号。",
        "13700007777",
        REPLIED,
        owner="email",
        channel="email",
    )
    agent = _sign_in(browser, live_hearline.url, "agent2")
    agent.goto(live_hearline.url + "/staff/cases/?queue=followup")
    row = agent.locator("tr", has_text=number)
    expect(row.locator(".followup-due")).to_be_visible()
    screens(agent, "25-followup-queue")
    with agent.expect_navigation():
        row.get_by_role("link", name=number).click()
    _act(agent, "follow_up", {"followup_result": "回访：已有专人叫号，用户表示满意。"})
    expect(agent.locator("main")).to_contain_text("已回访")
    agent.goto(live_hearline.url + "/staff/cases/?queue=followup")
    expect(agent.locator("main")).not_to_contain_text(number)
    agent.context.close()
