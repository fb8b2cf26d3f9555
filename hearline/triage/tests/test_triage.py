"""Suggestions, thresholds, overrides feeding the next model, lexicon flags, routing rules."""

import pytest

from hearline.cases.actions import do_transition
from hearline.cases.models import Case, Category
from hearline.notify.models import Notification
from hearline.testing.corpus import CORPUS
from hearline.testing.org import case_in_state, register
from hearline.triage.actions import do_triage_case
from hearline.triage.models import LexiconTerm, RoutingRule, TriageOverride
from hearline.triage.service import clear_caches, suggest
from hearline.triage.training import do_train, from_cases

CODES = {"water": "water-outage", "transit": "transit", "school": "school"}


@pytest.fixture
def trained(org):
    Category.objects.create(code="transit", name="公共交通")
    Category.objects.create(code="school", name="教育")
    texts = [t for texts in CORPUS.values() for t in texts]
    labels = [CODES[label] for label, texts in CORPUS.items() for _ in texts]
    model = do_train(texts, labels, target="category", source="test corpus")
    departments = {"water-outage": "repair", "transit": "metro", "school": "customer"}
    do_train(texts, [departments[c] for c in labels], target="department", source="test corpus")
    clear_caches()
    return model


def test_a_clear_text_gets_a_confident_category_and_department(trained, settings):
    settings.HEARLINE_TRIAGE_THRESHOLD = 0.5
    result = suggest("地铁站电梯坏了，公交也不准时")
    assert result.category["code"] == "transit" and result.category_model == trained.pk
    assert result.department["code"] == "metro"
    assert [c["code"] for c in result.category_top][0] == "transit"
    assert len(result.category_top) == 3 and not result.needs_review


def test_below_the_threshold_a_person_chooses_from_three(trained, settings):
    settings.HEARLINE_TRIAGE_THRESHOLD = 0.99
    result = suggest("我有一个问题想反映一下")
    assert result.needs_review
    assert len(result.category_top) == 3
    assert sum(c["confidence"] for c in result.category_top) == pytest.approx(1, abs=0.01)


def test_overrides_are_recorded_and_count_in_the_next_training(org, trained):
    case = register(org, description="学校假期强制补课还收费，孩子很累").case
    triage = do_triage_case(case.pk)
    assert triage.category.code == "school" and triage.category_model_id == trained.pk
    do_transition(
        case.pk, "reclassify", acting_user=org.dispatcher, payload={"category": "transit"}
    )
    override = TriageOverride.objects.get(case=case)
    assert (override.suggested, override.chosen, override.user) == (
        "school",
        "transit",
        org.dispatcher,
    )
    assert override.model_id == trained.pk

    for action, who in (("close_on_spot", org.agent),):
        do_transition(case.pk, action, acting_user=who, payload={"reply": "已转交公交公司核实"})
    texts, labels = from_cases("category")
    assert labels.count("transit") == 2  # the corrected case counts twice
    assert all("强制补课" in t for t, lab in zip(texts, labels, strict=True) if lab == "transit")


def test_accepting_the_suggestion_is_not_an_override(org, trained):
    case = register(org, description="地铁早高峰太挤，希望增加班次").case
    do_triage_case(case.pk)
    do_transition(
        case.pk, "reclassify", acting_user=org.dispatcher, payload={"category": "transit"}
    )
    assert not TriageOverride.objects.exists()


@pytest.mark.parametrize(
    ("text", "urgency", "safety", "opinion", "flags"),
    [
        ("楼道里有很浓的燃气泄漏的味道", "urgent", True, False, ["incident", "safety", "urgent"]),
        ("投诉三次没人管，我要找媒体曝光", "normal", False, True, ["anger", "opinion"]),
        ("家里独居老人行动不便，小区水压低", "normal", False, False, ["vulnerable"]),
        ("小区绿化带需要修剪", "normal", False, False, []),
    ],
)
def test_lexicon_flags_raise_urgency_and_risk(org, text, urgency, safety, opinion, flags):
    case = register(org, description=text).case
    assert (case.urgency, case.public_safety, case.opinion_risk) == (urgency, safety, opinion)
    assert case.triage.flags == flags
    told = Notification.objects.filter(case=case, kind="urgent").exists()
    assert told == (urgency == "urgent")


def test_a_person_setting_urgent_is_never_lowered(org):
    case = register(org, description="小区绿化带需要修剪", urgency="urgent").case
    assert case.urgency == "urgent"


def test_an_administrator_adds_a_term(org):
    LexiconTerm.objects.create(term="化粪池", kind="urgent")
    clear_caches()
    assert register(org, description="化粪池满溢到路面").case.urgency == "urgent"


def test_routing_rules_apply_by_priority_and_automatic_ones_dispatch(
    org, trained, django_capture_on_commit_callbacks
):
    RoutingRule.objects.create(
        name="海曙区停水", priority=20, district="海曙区", keywords="停水 没水",
        department=org.departments["station"], automatic=True,
    )  # fmt: skip
    RoutingRule.objects.create(
        name="所有停水", priority=50, keywords="停水", department=org.departments["repair"]
    )
    clear_caches()
    assert suggest("停水了", district="海曙区").rule["name"] == "海曙区停水"
    assert suggest("停水了", district="江北区").department["code"] == "repair"
    with django_capture_on_commit_callbacks(execute=True):
        case = register(org, description="海曙区停水了，急").case
    case = Case.objects.get(pk=case.pk)
    assert case.state == "dispatched" and case.department.code == "station"
    dispatch = case.events.get(action="dispatch")
    assert dispatch.actor is None and dispatch.details["rule"] == "海曙区停水"

    with django_capture_on_commit_callbacks(execute=True):
        other = register(org, description="江北区停水了", district="江北区").case
    assert Case.objects.get(pk=other.pk).state == "registered"  # a dispatcher decides


def test_no_model_yet_means_no_suggestion_but_flags_still_work(org):
    result = suggest("燃气泄漏")
    assert result.category is None and result.needs_review and "urgent" in result.flags
    case = case_in_state(org, "registered")
    assert do_triage_case(case.pk).category is None


def test_an_agent_choosing_another_category_at_intake_is_an_override(org, trained):
    case = register(
        org, description="地铁早高峰太挤，希望增加班次", category_id=org.category.pk
    ).case
    do_triage_case(case.pk)
    override = TriageOverride.objects.get(case=case)
    assert (override.suggested, override.chosen, override.user) == (
        "transit",
        "water-outage",
        org.agent,
    )


def test_the_intake_panel_and_the_api_show_suggestions_and_duplicates(client, org, trained):
    from hearline.api.actions import do_create_api_token

    first = register(
        org, description="地铁站电梯坏了一个星期没人修，老人上下楼不方便", district="鼓楼区"
    ).case
    client.force_login(org.agent)
    panel = client.get(
        "/staff/intake/suggest/",
        {"description": "地铁站的电梯坏了快一个星期了，一直没人修", "district": "鼓楼区"},
    ).content.decode()
    assert "公共交通" in panel and first.tracking_number in panel
    token = do_create_api_token(name="app", role="agent", department_code="callcentre")[1]
    answer = client.post(
        "/api/v1/triage/suggest",
        {
            "text": "地铁站的电梯坏了快一个星期了，一直没人修",
            "phone": "13812345678",
            "district": "鼓楼区",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert answer["suggestion"]["category"]["code"] == "transit"
    assert [d["tracking_number"] for d in answer["duplicates"]] == [first.tracking_number]
    assert [r["tracking_number"] for r in answer["repeats"]] == [first.tracking_number]


def _suggest(client, token, **body):
    return client.post(
        "/api/v1/triage/suggest",
        {"text": "地铁站的电梯坏了快一个星期了，一直没人修", "district": "鼓楼区", **body},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_suggestions_are_for_intake_staff_and_find_only_their_organisations_cases(
    client, org, trained
):
    """The API answers as the web intake panel does: intake roles only, and duplicates and
    a caller's earlier cases only among the cases of the caller's organisation tree."""
    from hearline.api.actions import do_create_api_token

    first = register(
        org, description="地铁站电梯坏了一个星期没人修，老人上下楼不方便", district="鼓楼区"
    ).case
    handler = do_create_api_token(name="repair-app", role="handler", department_code="repair")
    refused = _suggest(client, handler[1], phone="13812345678")
    assert refused.status_code == 403 and first.tracking_number not in refused.content.decode()
    metro = do_create_api_token(name="metro-desk", role="dispatcher", department_code="metro")
    answer = _suggest(client, metro[1], phone="13812345678")
    assert answer.status_code == 200
    assert answer.json()["duplicates"] == [] and answer.json()["repeats"] == []
    do_transition(first.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "metro"})
    answer = _suggest(client, metro[1], phone="13812345678").json()
    assert [r["tracking_number"] for r in answer["repeats"]] == [first.tracking_number]


def test_the_case_page_shows_flags_suggestions_and_the_earlier_case(client, org, trained):
    first = register(org, description="地铁早高峰太挤，希望增加班次，投诉无门要找媒体曝光").case
    again = register(org, description="地铁早高峰太挤，希望增加班次，投诉无门要找媒体曝光").case
    do_triage_case(again.pk)
    client.force_login(org.dispatcher)
    page = client.get(f"/staff/cases/{again.pk}/").content.decode()
    assert "公共交通" in page and "舆情风险" in page and "重复投诉" in page
    assert f'href="/staff/cases/{first.pk}/"' in page


def test_the_urgency_model_flags_what_the_lexicon_missed_for_a_person_to_decide(org, trained):
    texts = [t for texts in CORPUS.values() for t in texts]
    levels = [
        "urgent" if label == "water" else "normal" for label, ts in CORPUS.items() for _ in ts
    ]
    do_train(texts, levels, target="urgency", source="test corpus")
    clear_caches()
    case = register(org, description="楼上水压太低，早晚几乎没有水用").case
    assert case.urgency == "normal"
    triage = do_triage_case(case.pk)
    assert "urgent_model" in triage.flags
    case.refresh_from_db()
    assert case.urgency == "normal"  # raised by a person, not by the model


def test_a_dispatcher_quicker_than_the_automatic_rule_keeps_their_decision(org, trained):
    RoutingRule.objects.create(
        name="停水自动派单", priority=10, keywords="停水", department=org.departments["station"],
        automatic=True,
    )  # fmt: skip
    clear_caches()
    transit = Category.objects.get(code="transit").pk  # the agent's choice; the model says water
    case = register(org, description="小区停水了，自来水公司也不通知", category_id=transit).case
    do_transition(case.pk, "dispatch", acting_user=org.dispatcher, payload={"department": "repair"})
    for _ in range(2):  # the task, and its retry
        do_triage_case(case.pk)
    case = Case.objects.get(pk=case.pk)
    assert case.department.code == "repair" and case.events.filter(action="dispatch").count() == 1
    assert TriageOverride.objects.filter(case=case, field="category").count() == 1
