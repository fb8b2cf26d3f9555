"""Incident cases in a real browser: a citizen whose complaint joins a running outage reads
that the incident answers it; discoloured water after the restoration is proposed to the
coordinator, who links it from the incident page."""

import pytest
from playwright.sync_api import expect

from .test_whole_case import _sign_in

pytestmark = pytest.mark.e2e

DISTRICT = "慈溪市"  # no demo incident or case is there
OPEN = """
from hearline.accounts.models import User
from hearline.incidents import actions
coordinator = User.objects.get(username="coordinator")
incident = actions.do_open_incident(
    kind="water-supply", title="慈溪市浒山街道爆管停水", districts=["慈溪市"],
    acting_user=coordinator,
)
print("INCIDENT", incident.pk)
"""
CLOSE = """
from hearline.accounts.models import User
from hearline.incidents import actions
actions.do_close_incident(
    {pk}, notice="浒山街道供水已恢复。", finding="DN300主管爆裂", resolution="更换破损管段",
    acting_user=User.objects.get(username="coordinator"),
)
"""


def _complain(browser, base, description, phone):
    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(base + "/submit/")
    citizen.fill("#id_description", description)
    citizen.fill("#id_address", f"{DISTRICT}浒山街道北二环东路18号")
    citizen.fill("#id_district", DISTRICT)
    citizen.fill("#id_name", "沈先生")
    citizen.fill("#id_phone", phone)
    citizen.click("#submit-complaint")
    expect(citizen.locator("#tracking-number")).to_be_visible()
    return citizen


def test_an_outage_answers_its_complaints_and_the_aftermath_is_proposed(
    live_hearline, browser, screens
):
    out = live_hearline.run("shell", "-c", OPEN)
    incident = int(next(x for x in out.splitlines() if x.startswith("INCIDENT ")).split()[1])

    citizen = _complain(browser, live_hearline.url, "家里停水了，一直没有来水。", "13700005555")
    expect(citizen.locator("#promise")).to_contain_text("已并入突发事件统一处置")
    screens(citizen, "25-citizen-incident-promise")
    citizen.context.close()

    live_hearline.run("shell", "-c", CLOSE.format(pk=incident))
    citizen = _complain(
        browser, live_hearline.url, "来水以后水龙头出来的都是黄水，还有沉淀。", "13700006666"
    )
    number = citizen.inner_text("#tracking-number")
    citizen.context.close()

    coordinator = _sign_in(browser, live_hearline.url, "coordinator")
    coordinator.goto(f"{live_hearline.url}/staff/incidents/{incident}/")
    row = coordinator.locator(f"#aftermath-{number}")
    expect(row).to_contain_text("黄水")
    screens(coordinator, "25-coordinator-aftermath")
    with coordinator.expect_navigation():
        row.get_by_role("button", name="关联到本事件").click()
    expect(coordinator.locator("main")).to_contain_text(f"工单 {number} 已关联到本事件")
    expect(coordinator.locator(f"#aftermath-{number}")).to_have_count(0)
    expect(coordinator.locator("section[aria-labelledby=linked-heading]")).to_contain_text(number)
    coordinator.context.close()
