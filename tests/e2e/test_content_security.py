"""The pages work under the Content-Security-Policy in a real browser: the portal with its
live answers, the intake page's suggestion buttons, the dashboard's ECharts charts with
their tooltips, the admin, and the API docs (Swagger UI from this server). Every response
carries the policy and the browser reports no violation of it and no script error."""

import pytest
from playwright.sync_api import expect

from .test_whole_case import _sign_in

pytestmark = pytest.mark.e2e


def _watch(page, problems: list[str]):
    """Collects the page's CSP violations (the browser reports them on the console) and
    uncaught script errors into `problems`."""
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.location.get('url')}: {m.text}")
            if "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return page


def _open(page, url):
    response = page.goto(url)
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy, url
    assert "'unsafe-eval'" not in policy, url
    return response


def test_the_pages_run_under_the_policy(live_hearline, browser, screens):
    base = live_hearline.url
    problems: list[str] = []

    citizen = _watch(browser.new_context(locale="zh-CN").new_page(), problems)
    _open(citizen, base + "/")
    _open(citizen, base + "/submit/")
    citizen.locator("#id_description").press_sequentially("家里停水了，能不能派送水车？")
    citizen.locator("#portal-answers article").first.wait_for()

    agent = _watch(_sign_in(browser, base, "agent"), problems)
    _open(agent, base + "/staff/intake/")
    agent.locator("#id_description").press_sequentially("小区停水了，想问送水车什么时候来")
    use = agent.locator("#article-suggestions button.use-article").first
    use.click()
    assert agent.input_value("#id_article") == use.get_attribute("data-id")
    expect(use).not_to_have_class("outline use-article")

    manager = _watch(_sign_in(browser, base, "manager"), problems)
    _open(manager, base + "/staff/dashboard/")
    manager.wait_for_selector("#chart-trend canvas")
    manager.wait_for_selector("#chart-ranking canvas")
    manager.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById("chart-trend"))
               .on("showtip", () => { window.tooltipShown = true; })"""
    )
    manager.locator("#chart-trend").hover()  # ECharts' HTML tooltips would break the policy
    manager.wait_for_function("window.tooltipShown === true")
    screens(manager, "csp-dashboard")

    _open(manager, base + "/api/v1/docs")
    manager.locator("#swagger-ui .opblock").first.wait_for()
    assert "Hearline API" in manager.locator("#swagger-ui .info .title").inner_text()
    manager.locator("#swagger-ui .opblock-summary").first.click()
    manager.locator("#swagger-ui .opblock-body").first.wait_for()
    screens(manager, "csp-api-docs")

    admin = _watch(_sign_in(browser, base, "admin"), problems)
    for path in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/1/change/"):
        _open(admin, base + path)
    admin.locator(".select2-selection").first.click()  # the department autocomplete
    admin.locator(".select2-results__option").first.wait_for()
    screens(admin, "csp-admin")

    assert not problems, "\n".join(problems)
