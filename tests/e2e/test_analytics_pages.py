"""The manager's analytics in a real browser on the demo: the dashboard with its charts, the
scorecard, a drill-down from a figure to its cases, a corrective action's before/after and
the monthly report; each saved as a screenshot."""

from datetime import date

import pytest
from playwright.sync_api import expect

from .test_whole_case import _sign_in

pytestmark = pytest.mark.e2e


def test_a_manager_reads_the_figures_and_the_cases_behind_them(live_hearline, browser, screens):
    base = live_hearline.url
    page = _sign_in(browser, base, "manager")

    page.goto(base + "/staff/dashboard/")
    page.wait_for_selector("#chart-trend canvas")
    page.wait_for_selector("#chart-ranking canvas")
    expect(page.locator(".card")).to_have_count(11)
    volume = int(page.locator(".card a.figure").first.inner_text().replace(",", ""))
    assert volume > 0
    screens(page, "analytics-dashboard")

    page.goto(base + "/staff/analytics/scorecard/")
    first = page.locator("table.scorecard tbody tr").first
    assert first.locator("td").first.inner_text() == "1"
    screens(page, "analytics-scorecard")

    first.locator("td a").first.click()  # the first department's volume
    page.wait_for_url("**/staff/analytics/cases/**")
    page.locator("tbody tr td a").first.wait_for()
    screens(page, "analytics-drilldown")

    page.goto(base + "/staff/analytics/actions/")
    page.get_by_text("老旧管网分段改造").click()
    expect(page.locator("table.effect tbody tr")).to_have_count(7)
    screens(page, "analytics-corrective-action")

    page.goto(base + f"/staff/analytics/report/{date.today():%Y-%m}/")
    page.wait_for_selector("#chart-trend canvas")
    assert "月度报告" in page.locator("h1").inner_text()
    screens(page, "analytics-monthly-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
