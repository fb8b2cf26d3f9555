"""The supervision board in a real browser: the summary fits one screen, decisions waiting
come first, and a number opens the cases behind it, and a case its page."""

import pytest
from playwright.sync_api import expect

from .test_whole_case import _sign_in

pytestmark = pytest.mark.e2e


def test_the_supervisor_goes_from_a_number_to_the_cases_behind_it(live_hearline, browser, screens):
    page = _sign_in(browser, live_hearline.url, "supervisor")
    page.goto(live_hearline.url + "/staff/supervision/")
    summary = page.locator(".board-summary")
    expect(summary).to_be_visible()
    assert summary.bounding_box()["y"] + summary.bounding_box()["height"] < 900  # one screen
    overdue = int(page.inner_text("#n-red"))
    assert overdue > 0, "the demo has overdue cases"
    screens(page, "25-supervision-board")
    with page.expect_navigation():
        summary.get_by_role("link", name="超时").click()
    rows = page.locator("table.board-cases tbody tr")
    expect(rows.first).to_have_class("red")
    assert rows.count() == min(overdue, 50)
    number = rows.first.locator("a").inner_text()
    with page.expect_navigation():
        rows.first.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_contain_text(number)
    page.context.close()
