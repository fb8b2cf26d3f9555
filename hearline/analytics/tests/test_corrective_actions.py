"""Corrective actions: created and tracked with a history, and the before/after page that
must show a planted 40 % drop in handling time in the targeted slice only."""

from datetime import date, timedelta

import pytest

from hearline.cases.models import Category
from hearline.cases.workflow import InvalidInput, NotAllowed
from hearline.improvement.actions import do_create_corrective_action, do_update_corrective_action
from hearline.improvement.models import CorrectiveAction
from hearline.testing.org import register
from hearline.testing.posted_form import posted_form

from .helpers import at, handled

START, DONE = date(2026, 6, 1), date(2026, 6, 15)


def _weekdays(first: date, count: int) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _handled_case(org, day: date, district: str, category, reply_at: tuple[int, int]):
    from hearline.core.timetravel import at_time

    with at_time(at(day.year, day.month, day.day, 8, 30)):
        case = register(org, district=district, category_id=category.pk).case
    handled(
        org,
        case,
        at(day.year, day.month, day.day, 8, 30),
        at(day.year, day.month, day.day, *reply_at),
    )
    return case


@pytest.fixture
def planted(org):
    """Ten 海曙区 water cases in March each handled in 450 working minutes (08:30 → 17:30),
    ten after the action in 270 (08:30 → 14:30): 40 % less. 江北区 goes the other way, and
    the bills category stays as it was: outside the action's target."""
    water, bills = org.category, Category.objects.create(code="bills", name="水费")
    slow, fast = (17, 30), (14, 30)
    for day in _weekdays(date(2026, 3, 9), 10):
        _handled_case(org, day, "海曙区", water, slow)
        _handled_case(org, day, "江北区", water, fast)
        _handled_case(org, day, "海曙区", bills, slow)
    for day in _weekdays(date(2026, 6, 29), 10):
        _handled_case(org, day, "海曙区", water, fast)
        _handled_case(org, day, "江北区", water, slow)
        _handled_case(org, day, "海曙区", bills, slow)
    action = do_create_corrective_action(
        what="海曙区老旧管网分段改造，抢修班组前置",
        owner=org.repair_supervisor,
        department=org.departments["repair"],
        start_date=START,
        due_date=date(2026, 6, 30),
        status="in_progress",
        categories=[water],
        districts=["海曙区"],
        acting_user=org.manager,
    )
    do_update_corrective_action(
        action.pk, status="done", done_on=DONE, acting_user=org.repair_supervisor
    )
    return action


def test_the_before_after_page_shows_the_planted_40_percent_drop(client, org, planted):
    client.force_login(org.manager)
    page = client.get(f"/staff/analytics/actions/{planted.pk}/")
    assert page.status_code == 200
    rows = {r["measure"].key: r for r in page.context["rows"]}
    assert rows["average_handling_hours"]["before"] == 7.5
    assert rows["average_handling_hours"]["after"] == 4.5
    assert rows["average_handling_hours"]["change"] == -40.0
    assert rows["median_handling_hours"]["change"] == -40.0
    body = page.content.decode()
    assert 'data-measure="average_handling_hours">-40.0%' in body
    assert "2026-03-03" in body and "2026-05-31" in body  # the 90 days before the start
    assert "2026-06-15" in body  # the after window runs from completion


def test_the_change_form_saved_with_only_a_new_title_keeps_the_dates_and_the_comparison(
    client, org, planted
):
    client.force_login(org.manager)
    url = f"/staff/analytics/actions/{planted.pk}/"
    before = client.get(url)
    sent = posted_form(before.content.decode(), with_field="what")
    assert sent["start_date"] == ["2026-06-01"] and sent["done_on"] == ["2026-06-15"]
    sent["what"] = ["海曙区老旧管网分段改造（第一期）"]
    assert client.post(url, sent).status_code == 302
    planted.refresh_from_db()
    assert planted.what == "海曙区老旧管网分段改造（第一期）"
    assert (planted.start_date, planted.due_date, planted.done_on) == (
        START,
        date(2026, 6, 30),
        DONE,
    )
    assert [e.details for e in planted.events.all()][-1] == {
        "what": ["海曙区老旧管网分段改造，抢修班组前置", "海曙区老旧管网分段改造（第一期）"]
    }
    after = client.get(url)
    assert after.context["rows"] == before.context["rows"]


def test_the_change_form_keeps_an_owner_and_a_category_no_longer_offered_for_new_actions(
    client, org, planted
):
    from hearline.accounts.models import User

    User.objects.filter(pk=org.repair_supervisor.pk).update(is_active=False)
    Category.objects.filter(pk=org.category.pk).update(is_active=False)
    client.force_login(org.manager)
    url = f"/staff/analytics/actions/{planted.pk}/"
    sent = posted_form(client.get(url).content.decode(), with_field="what")
    sent["notes"] = ["负责人已调离，待交接"]
    assert client.post(url, sent).status_code == 302
    planted.refresh_from_db()
    assert planted.notes == "负责人已调离，待交接"
    assert planted.owner == org.repair_supervisor
    assert list(planted.categories.all()) == [org.category]


def test_the_history_records_each_change_and_status_done_is_dated(org, planted):
    kinds = [(e.kind, e.details.get("status")) for e in planted.events.all()]
    assert kinds == [("created", "in_progress"), ("updated", ["in_progress", "done"])]
    planted.refresh_from_db()
    assert planted.done_on == DONE


def test_bad_corrective_actions_are_refused_and_change_nothing(client, org):
    with pytest.raises(NotAllowed):
        do_create_corrective_action(what="x", status="planned", acting_user=org.agent)
    with pytest.raises(InvalidInput) as refused:
        do_create_corrective_action(
            what=" ",
            status="planned",
            start_date=date(2026, 6, 2),
            due_date=date(2026, 6, 1),
            acting_user=org.manager,
        )
    assert refused.value.details["fields"] == {"what": "required", "due_date": "before_start"}
    client.force_login(org.manager)
    page = client.post(
        "/staff/analytics/actions/new/",
        {
            "what": "一次性告知清单上墙",
            "status": "planned",
            "start_date": "2026-06-02",
            "due_date": "2026-06-01",
        },
    )
    assert page.status_code == 200 and "结束早于开始" in page.content.decode()
    assert not CorrectiveAction.objects.exists()
    created = client.post(
        "/staff/analytics/actions/new/",
        {"what": "一次性告知清单上墙", "status": "planned", "districts": "海曙区，江北区"},
    )
    action = CorrectiveAction.objects.get()
    assert created.url == f"/staff/analytics/actions/{action.pk}/"
    assert action.districts == ["海曙区", "江北区"]
    client.force_login(org.agent)
    assert client.get("/staff/analytics/actions/").status_code == 403
