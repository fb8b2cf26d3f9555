"""Articles at work: sent and closing cases on the spot (counted, reopenings too), reply
templates recorded, portal deflections, drafts from well-rated replies, versions."""

import pytest
from django.db import DatabaseError, transaction

from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.cases.workflow import InvalidInput, NotAllowed
from hearline.knowledge.actions import (
    do_draft_article_from_case,
    do_record_deflection,
    do_save_article,
    do_save_template,
)
from hearline.knowledge.models import ArticleVersion, Deflection, KnowledgeUse
from hearline.knowledge.stats import answering_articles, stale, uncovered_categories, usage
from hearline.notify.models import OutboundMessage, Purpose
from hearline.testing.knowledge import article
from hearline.testing.org import case_in_state, register

pytestmark = pytest.mark.django_db


def test_sending_an_article_messages_the_complainant_everything_at_once(
    org, django_capture_on_commit_callbacks
):
    a = article(org)
    case = register(org).case
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(case.pk, "send_article", acting_user=org.agent, payload={"article": a.pk})
    message = OutboundMessage.objects.get(case=case, purpose=Purpose.ARTICLE)
    assert "停水期间如何申请临时供水" in message.body
    assert "1. 用水户号；2. 联系电话" in message.body
    assert f"/kb/{a.pk}/" in message.body
    assert case.events.get(action="send_article").details["article"]["id"] == a.pk
    assert usage(a)["sent"] == 1


def test_a_staff_only_article_is_not_sent_to_a_complainant(org):
    a = article(org, audience="staff")
    case = register(org).case
    with pytest.raises(InvalidInput) as error:
        do_transition(case.pk, "send_article", acting_user=org.agent, payload={"article": a.pk})
    assert error.value.details["fields"] == {"article": "not_public"}
    assert not KnowledgeUse.objects.exists()


def test_closures_and_reopenings_are_counted_per_article(org):
    a = article(org)
    closed = []
    for _ in range(3):
        case = register(org).case
        do_transition(
            case.pk,
            "close_on_spot",
            acting_user=org.agent,
            payload={"reply": a.summary, "article": a.pk},
        )
        closed.append(case)
    do_transition(closed[0].pk, "reopen", acting_user=org.agent, payload={"reason": "仍无水"})
    assert Case.objects.get(pk=closed[1].pk).closed_on_spot
    assert usage(a) == {"closed": 3, "reopened": 1, "sent": 0, "solved": 0, "not_solved": 0}
    do_record_deflection(a.pk, solved=True, question="停水了")
    assert answering_articles() == [
        {"article": a, "closed": 3, "reopened": 1, "solved_on_portal": 1}
    ]


def test_a_reply_from_a_template_records_it(org):
    template = do_save_template(
        values={"name": "抢修完毕", "body": "您反映的{诉求}（编号{编号}）已由{承办部门}处理完毕。"},
        acting_user=org.repair_supervisor,
    )
    case = case_in_state(org, "resolved")
    do_transition(
        case.pk,
        "reply",
        acting_user=org.repair_handler,
        payload={"reply": "已处理完毕。", "template": template.pk},
    )
    assert case.events.last().details["template"] == {"id": template.pk, "name": "抢修完毕"}
    assert KnowledgeUse.objects.get(case=case).template == template


def test_templates_refuse_unknown_placeholders_and_handlers(org):
    with pytest.raises(InvalidInput) as error:
        do_save_template(values={"name": "x", "body": "编号{编码}"}, acting_user=org.manager)
    assert error.value.details["unknown"] == ["编码"]
    with pytest.raises(NotAllowed):
        do_save_template(values={"name": "x", "body": "您好"}, acting_user=org.repair_handler)


def test_the_template_preview_fills_in_the_case(org, client):
    template = do_save_template(
        values={"name": "抢修", "body": "编号{编号}，{承办部门}，{受理日期}。"},
        acting_user=org.manager,
    )
    case = case_in_state(org, "resolved")
    client.force_login(org.repair_handler)
    page = client.get(f"/staff/cases/{case.pk}/template-preview/?template={template.pk}")
    text = page.content.decode()
    assert case.tracking_number in text and "管网维修部" in text and "年" in text
    kept = client.get(f"/staff/cases/{case.pk}/template-preview/?template=&reply=我写的<答复>")
    assert "我写的&lt;答复&gt;" in kept.content.decode()  # no template chosen: the text stays


def test_deflections_are_recorded_with_the_question_masked(org):
    a = article(org)
    do_record_deflection(a.pk, solved=True, question="停水了，我的电话13812345678")
    do_record_deflection(a.pk, solved=False, question="还是不行")
    assert Deflection.objects.get(solved=True).question == "停水了，我的电话138****5678"
    assert usage(a)["solved"] == 1 and usage(a)["not_solved"] == 1
    staff_only = article(org, title="内部口径", audience="staff")
    with pytest.raises(Exception, match="no such article"):
        do_record_deflection(staff_only.pk, solved=True)


def test_every_change_is_a_version_with_who_and_what(org):
    a = article(org)
    do_save_article(
        article_id=a.pk,
        values={"fees": "免费", "title": a.title},
        note="补充收费",
        acting_user=org.manager,
    )
    do_save_article(
        article_id=a.pk, values={"fees": "免费"}, acting_user=org.manager
    )  # nothing new
    versions = list(ArticleVersion.objects.filter(article=a).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].changed == ["fees"] and versions[1].note == "补充收费"
    assert versions[1].actor == org.manager and versions[1].content["fees"] == "免费"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ArticleVersion.objects.filter(pk=versions[0].pk).update(note="改写历史")


def test_handlers_write_drafts_of_their_department_only_supervisors_publish(org):
    fields = {
        "title": "水表报修",
        "summary": "拨打热线。",
        "owner": org.departments["repair"],
        "review_by": "2027-01-01",
    }
    draft = do_save_article(values=fields, acting_user=org.repair_handler)
    with pytest.raises(NotAllowed):
        do_save_article(
            article_id=draft.pk, values={"status": "published"}, acting_user=org.repair_handler
        )
    with pytest.raises(NotAllowed):
        do_save_article(values=fields, acting_user=org.customer_handler)
    published = do_save_article(
        article_id=draft.pk, values={"status": "published"}, acting_user=org.repair_supervisor
    )
    assert published.status == "published" and published.version == 2


def test_a_well_rated_reply_becomes_a_draft_in_one_step(org):
    case = case_in_state(org, "confirmed")
    assert case.satisfaction == "satisfied"
    draft = do_draft_article_from_case(case.pk, acting_user=org.repair_handler)
    assert (draft.status, draft.title, draft.summary) == ("draft", case.title, case.reply)
    assert draft.owner == case.department and draft.source_case == case
    assert do_draft_article_from_case(case.pk, acting_user=org.repair_handler) == draft
    unrated = case_in_state(org, "replied")
    with pytest.raises(InvalidInput):
        do_draft_article_from_case(unrated.pk, acting_user=org.repair_handler)
    with pytest.raises(NotAllowed):
        do_draft_article_from_case(case.pk, acting_user=org.agent)


def test_stale_articles_are_flagged_to_their_owner(org, client):
    article(org, title="过期口径", review_by="2020-01-01")
    article(org, title="新口径")
    assert [a.title for a in stale()] == ["过期口径"]
    client.force_login(org.customer_handler)
    page = client.get("/staff/kb/").content.decode()
    assert 'id="stale-articles"' in page and "过期口径" in page
    client.force_login(org.repair_handler)
    assert 'id="stale-articles"' not in client.get("/staff/kb/").content.decode()


def test_frequent_categories_without_an_article_are_shown(org):
    from hearline.cases.models import Category

    bills = Category.objects.create(code="bills", name="水费")
    for _ in range(3):
        register(org, category_id=org.category.pk)
    register(org, category_id=bills.pk)
    assert [(r["category"].name, r["cases"]) for r in uncovered_categories()] == [
        ("停水", 3),
        ("水费", 1),
    ]
    article(org, categories=[org.category])
    assert [r["category"].name for r in uncovered_categories()] == ["水费"]


def test_owners_are_told_once_when_the_review_date_passes(org, django_capture_on_commit_callbacks):
    from hearline.knowledge.review import do_notify_stale_articles
    from hearline.notify.models import Notification

    org.repair_supervisor.email = "supervisor@water.example"
    org.repair_supervisor.save()
    old = article(org, title="过期口径", owner=org.departments["station"], review_by="2020-01-01")
    article(org, title="新口径", owner=org.departments["station"])
    with django_capture_on_commit_callbacks(execute=True):
        assert do_notify_stale_articles() == 1
    notice = Notification.objects.get()
    assert notice.recipient == org.repair_supervisor and "过期口径" in notice.text
    mail = OutboundMessage.objects.get(purpose="article_review")
    assert mail.status == "sent" and f"/staff/kb/{old.pk}/" in mail.body
    assert do_notify_stale_articles() == 0
    do_save_article(article_id=old.pk, values={"review_by": "2021-01-01"}, acting_user=org.manager)
    assert do_notify_stale_articles() == 1
    assert Notification.objects.count() == 2
