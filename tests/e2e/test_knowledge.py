"""The knowledge base in a real browser on the demo: a citizen finds the answer on the portal
before submitting and says it solved the question; an agent taking a call about the same
question gets the same article suggested, reads it out, sends it and closes on the spot."""

import pytest

from hearline.testing.images import photo

from .test_whole_case import _sign_in

pytestmark = pytest.mark.e2e
ARTICLE = "计划停水与抢修停水的查询和临时供水"


def _usage(page, base, article_id):
    page.goto(f"{base}/staff/kb/{article_id}/")
    return [int(cell) for cell in page.locator("#usage td").all_inner_texts()]


def test_the_portal_and_the_intake_answer_from_the_same_article(live_hearline, browser, screens):
    base = live_hearline.url
    agent = _sign_in(browser, base, "agent")
    agent.goto(base + "/staff/kb/?q=" + ARTICLE)
    article_id = int(agent.get_attribute("#articles tbody a", "href").rstrip("/").split("/")[-1])
    before = _usage(agent, base, article_id)

    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(base + "/submit/")
    citizen.locator("#id_description").press_sequentially("家里停水了，能不能派送水车？")
    answer = citizen.locator(f'#portal-answers [data-article="{article_id}"]')
    answer.wait_for()
    screens(citizen, "knowledge-portal-answers")
    answer.locator("button.solved").click()
    citizen.wait_for_selector("#deflected")
    screens(citizen, "knowledge-portal-solved")

    agent.goto(base + "/staff/intake/")
    agent.fill("#id_phone", "13700004444")
    agent.fill("#id_name", "郑女士")
    agent.locator("#id_description").press_sequentially("小区停水了，想问送水车什么时候来")
    suggested = agent.locator(f'#article-suggestions [data-article="{article_id}"]')
    suggested.wait_for()
    screens(agent, "knowledge-intake-suggestion")
    suggested.locator("button.use-article").click()
    agent.fill("#id_address", "海曙区柳汀街88号")
    agent.click("main button[type=submit]")

    agent.wait_for_selector("#article-answer")
    assert ARTICLE in agent.inner_text("#article-answer")
    agent.click("#send-article")
    agent.wait_for_selector("#article-answer")
    close = agent.locator('form[action$="/act/close_on_spot/"]')
    assert "送水车" in close.locator('[name="reply"]').input_value()
    screens(agent, "knowledge-readback")
    close.locator("button[type=submit]").click()
    agent.wait_for_url("**/staff/cases/*/")
    assert "当场办结" in agent.inner_text("main")

    after = _usage(agent, base, article_id)
    closed, sent, solved = 0, 2, 3  # rows of the usage table
    for row in (closed, sent, solved):
        assert after[row] == before[row] + 1, row
    screens(agent, "knowledge-article-usage")


def _complaint(page, base, phone):
    page.goto(base + "/submit/")
    page.locator("#id_description").press_sequentially("家里停水了，能不能派送水车？")
    page.locator("#portal-answers").wait_for()
    page.fill("#id_address", "海曙区柳汀街12号")
    page.fill("#id_district", "海曙区")
    page.fill("#id_name", "冯女士")
    page.fill("#id_phone", phone)


def _attachments(live_hearline, number: str) -> int:
    code = (
        "from hearline.cases.models import Case;"
        f"print(Case.objects.get(tracking_number='{number}').attachments.count())"
    )
    return int(live_hearline.run("shell", "--no-imports", "-c", code).strip())


def test_a_citizen_who_writes_a_complaint_gets_it_registered(live_hearline, browser, screens):
    """Answers are offered while the citizen writes; Enter in a field, or "it didn't solve
    it", files the complaint (with its photo), never a verdict that files nothing."""
    base = live_hearline.url
    citizen = browser.new_context(locale="zh-CN").new_page()
    _complaint(citizen, base, "13700005555")
    citizen.locator("#id_phone").press("Enter")
    citizen.wait_for_selector("#tracking-number")

    other = browser.new_context(locale="zh-CN").new_page()
    _complaint(other, base, "13700006666")
    other.locator("#id_photos").set_input_files(
        {"name": "停水.png", "mimeType": "image/png", "buffer": photo("PNG")}
    )
    other.locator("#portal-answers button.not-solved").first.click()
    other.wait_for_selector("#tracking-number")
    screens(other, "knowledge-portal-not-solved-submitted")
    assert _attachments(live_hearline, other.inner_text("#tracking-number")) == 1
