"""One complaint after another through the whole loop, in a real browser, as each person
sees it: citizen, intake agent, dispatcher, department handler, citizen again, supervisor."""

import re

import pytest

from hearline.testing.images import photo

pytestmark = pytest.mark.e2e
PNG = photo("PNG")


def _sign_in(browser, base, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "hearline-demo")
    page.click("main button[type=submit]")
    # The click returns once the next page is committed, not yet parsed: wait for all of it.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _act(page, action, fields=None, files=None, selects=None):
    form = page.locator(f'form[action$="/act/{action}/"]')
    form.locator("xpath=..").locator("summary").click()
    for name, value in (fields or {}).items():
        form.locator(f'[name="{name}"]').fill(value)
    for name, label in (selects or {}).items():
        form.locator(f'select[name="{name}"]').select_option(label=label)
    for name, payload in (files or {}).items():
        form.locator(f'input[name="{name}"]').set_input_files(payload)
    # The post answers with a redirect to the case page: wait until that page has loaded,
    # or what follows may read the page in between (an empty document).
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_the_whole_loop(live_hearline, browser, screens):
    base = live_hearline.url

    # A citizen complains on the portal and gets the tracking number on screen.
    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(base + "/submit/")
    citizen.fill("#id_description", "小区门口消防栓漏水三天了，路面结冰。")
    citizen.fill("#id_address", "鄞州区钱湖北路18号")
    citizen.fill("#id_district", "鄞州区")
    citizen.fill("#id_request", "尽快维修")
    citizen.fill("#id_name", "周女士")
    citizen.fill("#id_phone", "13700002222")
    citizen.locator("#id_photos").set_input_files(
        {"name": "漏水.png", "mimeType": "image/png", "buffer": PNG}
    )
    citizen.click("#submit-complaint")
    web_number = citizen.inner_text("#tracking-number")
    assert re.fullmatch(r"\d{6}-[0-9A-Z]{5}", web_number)
    screens(citizen, "01-citizen-submitted")

    # An agent registers a phone call and reads it back.
    agent = _sign_in(browser, base, "agent")
    agent.goto(base + "/staff/intake/")
    agent.fill("#id_phone", "13700003333")
    agent.fill("#id_name", "吴先生")
    agent.fill("#id_description", "家里自来水水压很低，洗澡时水流很小。")
    agent.fill("#id_address", "海曙区柳汀街66号")
    agent.fill("#id_request", "尽快解决水压问题")
    agent.click("main button[type=submit]")
    phone_number = agent.inner_text("#tracking-number")
    assert "吴先生" in agent.inner_text("#readback") and "水压" in agent.inner_text("#readback")
    screens(agent, "02-agent-readback")

    # The dispatcher sees both in the queue and dispatches them together.
    dispatcher = _sign_in(browser, base, "dispatcher")
    queue = dispatcher.inner_text("table")
    assert web_number in queue and phone_number in queue
    for number in (web_number, phone_number):
        dispatcher.get_by_label(f"选择 {number}").check()
    dispatcher.locator('#bulk select[name="department"]').select_option(label="管网管理部")
    screens(dispatcher, "03-dispatcher-queue")
    dispatcher.click("text=批量派单")
    assert "已派单 2 件" in dispatcher.inner_text("ul.messages")

    # The handler returns the web case and handles the phone case to its reply.
    handler = _sign_in(browser, base, "handler_network")
    inbox = handler.inner_text("table")
    assert web_number in inbox and phone_number in inbox
    handler.click(f"text={web_number}")
    _act(handler, "return", {"reason": "消防栓属消防部门管理，请转派"})
    assert "已退单" in handler.inner_text("hgroup")
    handler.goto(base + "/staff/")
    handler.click(f"text={phone_number}")
    _act(handler, "accept")
    assert "办理中" in handler.inner_text("hgroup")
    _act(
        handler,
        "attach",
        files={"file": {"name": "水压测试.png", "mimeType": "image/png", "buffer": PNG}},
    )
    assert "水压测试.png" in handler.content()
    _act(
        handler,
        "resolve",
        {"finding": "该楼栋减压阀故障", "resolution": "已更换减压阀，水压恢复正常"},
        selects={"resolution_type": "维修整改"},
    )
    # The reply starts from a template: the case's facts are filled in for review.
    reply = handler.locator('form[action$="/act/reply/"]')
    reply.locator("xpath=..").locator("summary").click()
    reply.locator('select[name="template"]').select_option(label="通用答复")
    handler.wait_for_function(
        "n => document.querySelector('form[action$=\"/act/reply/\"] textarea').value.includes(n)",
        arg=phone_number,
    )
    assert "已更换减压阀，水压恢复正常" in reply.locator("textarea").input_value()
    screens(handler, "04-handler-reply-template")
    reply.locator("textarea").fill("您好，经查系减压阀故障，已于今日更换，水压已恢复。")
    reply.locator("button[type=submit]").click()
    assert "已答复" in handler.inner_text("hgroup")
    screens(handler, "04-handler-replied")

    # The citizen follows the phone case, is not satisfied and asks for a reopen.
    tracker = browser.new_context(locale="zh-CN").new_page()
    tracker.goto(base + "/track/")
    tracker.fill("#number", phone_number)
    tracker.fill("#phone", "13700003333")
    tracker.click("main button[type=submit]")
    assert "减压阀" in tracker.inner_text("#reply")
    tracker.wait_for_load_state()
    assert "handler_network" not in tracker.content() and "王强" not in tracker.content()
    tracker.get_by_label("未解决").check()
    tracker.get_by_label("不满意").check()
    tracker.click("text=提交评价")
    assert "已评价" in tracker.inner_text("#case-state")
    tracker.fill('textarea[name="reason"] >> nth=0', "水压只好了一天，又不行了")
    tracker.click("text=申请重办")
    assert "已派单" in tracker.inner_text("#case-state")
    screens(tracker, "05-citizen-reopened")

    # The supervisor sees the red card of an overdue case on the board.
    supervisor = _sign_in(browser, base, "supervisor")
    assert supervisor.url.endswith("/staff/supervision/")
    supervisor.locator("#late > summary").click()  # the late cases are listed on demand
    supervisor.locator("table.late tr.red").first.wait_for()
    assert "超时" in supervisor.inner_text("table.late")
    screens(supervisor, "06-supervisor-board")
