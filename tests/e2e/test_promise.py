"""The promise in a real browser: a citizen who complains on the portal reads when they will be
contacted and answered, and reads the same on the progress page the link opens."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
PROMISE = re.compile(
    r"我们将于 \d{4}-\d\d-\d\d \d\d:\d\d 前与您联系，于 \d{4}-\d\d-\d\d \d\d:\d\d 前答复您。"
)


def test_the_citizen_reads_the_time_limits_on_screen(live_hearline, browser, screens):
    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(live_hearline.url + "/submit/")
    citizen.fill("#id_description", "路灯不亮已经一周，晚上行人看不清路。")
    citizen.fill("#id_address", "北仑区新碶街道明州路5号")
    citizen.fill("#id_district", "北仑区")
    citizen.fill("#id_name", "孙女士")
    citizen.fill("#id_phone", "13700004444")
    citizen.click("#submit-complaint")
    expect(citizen.locator("#promise")).to_have_text(PROMISE)
    promised = citizen.inner_text("#promise")
    screens(citizen, "23-citizen-promise")
    with citizen.expect_navigation():
        citizen.get_by_role("link", name="查询此投诉").click()
    expect(citizen.locator("#promise")).to_have_text(promised)
    citizen.context.close()
