"""The knowledge base through its pages and the API: the portal offers public answers and
records the citizen's verdict; staff search, write and use articles; anonymous API callers
never see a staff-only article."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hearline.api.actions import do_create_api_token
from hearline.cases.models import Case
from hearline.knowledge.models import Article, Deflection
from hearline.testing.images import photo
from hearline.testing.knowledge import article
from hearline.testing.org import case_in_state
from hearline.testing.posted_form import posted_form

pytestmark = pytest.mark.django_db

QUESTION = {
    "token": "kb-1",
    "description": "我家停水了，能不能申请临时供水？",
    "address": "海曙区中山西路12号",
    "district": "海曙区",
    "name": "孙先生",
    "phone": "13700001111",
    "preferred_channel": "sms",
}


@pytest.fixture
def articles(org):
    return (
        article(org),
        article(org, title="停水临时供水内部调度口径", summary="调度送水车。", audience="staff"),
    )


def test_the_portal_offers_only_public_answers(client, org, articles):
    public, staff_only = articles
    page = client.get("/submit/answers/", {"description": QUESTION["description"]})
    text = page.content.decode()
    assert public.title in text and "用水户号" in text
    assert staff_only.title not in text
    assert client.get(f"/kb/{public.pk}/").status_code == 200
    assert client.get(f"/kb/{staff_only.pk}/").status_code == 404


def test_this_solved_it_records_a_deflection_and_registers_nothing(client, org, articles):
    public = articles[0]
    page = client.post(f"/kb/{public.pk}/verdict/", QUESTION | {"solved": "1"})
    assert page.status_code == 200 and 'id="deflected"' in page.content.decode()
    assert Deflection.objects.get().solved and not Case.objects.exists()


def test_it_didnt_goes_on_to_the_submission_with_the_text_kept(client, org, articles):
    public = articles[0]
    page = client.post(f"/kb/{public.pk}/verdict/", QUESTION | {"solved": "0"})
    text = page.content.decode()
    assert 'id="go-on"' in text and QUESTION["description"] in text and "13700001111" in text
    assert not Deflection.objects.get().solved
    client.post("/submit/", QUESTION)
    assert Case.objects.get().description == QUESTION["description"]


def test_it_didnt_submits_the_complaint_with_its_photo(client, org, articles):
    """The answer did not help: the same click files the complaint, photos and all."""
    client.get("/submit/")
    page = client.post(
        "/submit/",
        QUESTION
        | {
            "declined_article": str(articles[0].pk),
            "photos": [SimpleUploadedFile("水表.jpg", photo("JPEG"), "image/jpeg")],
        },
    )
    assert page.status_code == 302 and page["Location"].startswith("/submitted/")
    case = Case.objects.get()
    assert case.description == QUESTION["description"] and case.attachments.count() == 1
    assert not Deflection.objects.get().solved


def test_the_kept_form_submits_the_complaint_and_enter_never_presses_an_answer(
    client, org, articles
):
    """The form shown again after a verdict or a look posts to the submission, and the
    first submit button in it (the one Enter in a field presses) files the complaint."""
    for page in (
        client.post(f"/kb/{articles[0].pk}/verdict/", QUESTION | {"solved": "0"}),
        client.post("/submit/", QUESTION | {"look": "1"}),
    ):
        form = page.content.decode().split('<form method="post"', 1)[1]
        assert form.startswith(' action="/submit/"')
        first_button = form.split("<button", 1)[1].split(">", 1)[0]
        assert 'type="submit"' in first_button and "formaction" not in first_button


def test_without_javascript_the_citizen_can_look_first(client, org, articles):
    page = client.post("/submit/", QUESTION | {"look": "1"})
    assert articles[0].title in page.content.decode() and not Case.objects.exists()


def test_anonymous_api_callers_see_public_articles_only(client, org, articles):
    public, staff_only = articles
    found = client.get("/api/v1/articles", {"q": "停水 临时供水"}).json()
    assert [a["id"] for a in found] == [public.pk]
    assert found[0]["documents"] == ["用水户号", "联系电话"]
    assert client.get(f"/api/v1/articles/{staff_only.pk}").status_code == 404
    token = do_create_api_token(name="app", role="agent", department_code="callcentre")[1]
    signed_in = client.get(
        "/api/v1/articles", {"q": "停水 临时供水"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert {a["id"] for a in signed_in} == {public.pk, staff_only.pk}
    wrong = client.get("/api/v1/articles", {"q": "停水"}, HTTP_AUTHORIZATION="Bearer nonsense")
    assert wrong.status_code == 401 and wrong.json()["code"] == "unauthenticated"
    assert client.get("/api/v1/articles", {"q": ""}).status_code in (400, 422)


def test_the_agent_sees_articles_while_typing_and_on_the_read_back(client, org, articles):
    public, staff_only = articles
    client.force_login(org.agent)
    panel = client.get("/staff/intake/suggest/", {"description": "停水了想申请临时供水"})
    assert public.title in panel.content.decode() and staff_only.title in panel.content.decode()
    case = case_in_state(org, "registered")
    page = client.get(f"/staff/cases/{case.pk}/readback/?article={public.pk}").content.decode()
    assert 'id="send-article"' in page and public.summary in page
    page = client.get(f"/staff/cases/{case.pk}/readback/?article={staff_only.pk}")
    assert 'id="send-article"' not in page.content.decode()


def test_an_article_form_error_is_shown_in_chinese_and_saves_nothing(client, org):
    client.force_login(org.manager)
    page = client.post(
        "/staff/kb/new/",
        {"title": "", "summary": "x", "owner": org.departments["customer"].pk},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert page.status_code == 422 and "此项为必填。" in page.content.decode()
    assert not Article.objects.exists()


def test_staff_write_an_article_and_find_it(client, org):
    client.force_login(org.water_supervisor)
    page = client.post(
        "/staff/kb/new/",
        {
            "title": "水费缴纳方式",
            "summary": "银行代扣、营业厅、微信均可缴纳。",
            "documents": "用水户号\n\n户主姓名",
            "owner": org.departments["customer"].pk,
            "audience": "public",
            "status": "published",
            "review_by": "2027-06-30",
            "tags": "缴费，水费",
        },
    )
    saved = Article.objects.get()
    assert page.status_code == 302 and saved.documents == ["用水户号", "户主姓名"]
    assert saved.tags == ["缴费", "水费"]
    listing = client.get("/staff/kb/", {"q": "自来水费怎么交"}).content.decode()
    assert "水费缴纳方式" in listing
    assert client.get(f"/staff/kb/{saved.pk}/").status_code == 200
    client.force_login(org.metro_handler)
    assert client.get(f"/staff/kb/{saved.pk}/edit/").status_code == 403


def test_the_edit_form_saved_with_only_a_new_title_keeps_everything_else(client, org):
    saved = article(org, categories=[org.category], tags=["停水", "送水"])
    client.force_login(org.manager)
    url = f"/staff/kb/{saved.pk}/edit/"
    sent = posted_form(client.get(url).content.decode(), with_field="title")
    assert sent["review_by"] == [saved.review_by.isoformat()]
    sent["title"] = ["停水期间如何申请送水上门"]
    assert client.post(url, sent).status_code == 302
    after = Article.objects.get(pk=saved.pk)
    assert after.title == "停水期间如何申请送水上门"
    for name in ("summary", "body", "documents", "owner", "audience", "status", "tags"):
        assert getattr(after, name) == getattr(saved, name), name
    assert after.review_by == saved.review_by
    assert list(after.categories.all()) == [org.category]


def test_the_handler_turns_a_well_rated_reply_into_a_draft_from_the_case_page(client, org):
    case = case_in_state(org, "confirmed")
    client.force_login(org.repair_handler)
    assert 'id="draft-article"' in client.get(f"/staff/cases/{case.pk}/").content.decode()
    page = client.post(f"/staff/cases/{case.pk}/draft-article/")
    draft = Article.objects.get()
    assert page.url == f"/staff/kb/{draft.pk}/edit/" and draft.status == "draft"


def test_gaps_are_for_managers(client, org):
    client.force_login(org.manager)
    assert client.get("/staff/kb/gaps/").status_code == 200
    client.force_login(org.agent)
    assert client.get("/staff/kb/gaps/").status_code == 403


def test_the_handler_sends_an_article_from_the_case_page(client, org):
    from hearline.notify.models import OutboundMessage, Purpose

    answer = article(org, title="水压偏低的自查与报修", summary="先检查户内总阀是否全开。")
    case = case_in_state(org, "in_progress")
    client.force_login(org.repair_handler)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'id="case-knowledge"' in page and answer.title in page
    assert f'action="/staff/cases/{case.pk}/act/send_article/"' in page
    sent = client.post(
        f"/staff/cases/{case.pk}/act/send_article/",
        {"article": answer.pk, "version": case.version},
    )
    assert sent.status_code == 302
    message = OutboundMessage.objects.get(case=case, purpose=Purpose.ARTICLE)
    assert "先检查户内总阀是否全开" in message.body
