"""Rising terms: each complaint's words counted once per day, compared with the period
before, linking to the cases that use the word."""

from datetime import date

from hearline.analytics.models import TermDay
from hearline.analytics.terms import case_terms, count_terms, rising
from hearline.core.timetravel import at_time
from hearline.testing.org import register

from .helpers import at


def _complaint(org, day, text, capture):
    with at_time(at(2026, 6, day, 10, 0)), capture(execute=True):
        return register(org, description=text).case


def test_a_jump_in_a_word_is_found_and_leads_to_its_cases(
    client, org, django_capture_on_commit_callbacks
):
    for day in (1, 2):
        _complaint(org, day, "小区水压偏低，六楼出水很小。", django_capture_on_commit_callbacks)
    for day in (8, 9, 10, 11, 12):
        _complaint(org, day, "楼道里水管漏水，墙面渗水严重。", django_capture_on_commit_callbacks)
    _complaint(org, 9, "小区水压偏低，早上几乎没水。", django_capture_on_commit_callbacks)
    terms = rising(date(2026, 6, 8), date(2026, 6, 14))
    assert {"term": "漏水", "now": 5, "before": 0} in terms
    assert {t["now"] for t in terms} == {5}  # the leak's words, all in five new cases
    assert "水压" not in [t["term"] for t in terms]  # 2 cases before, 1 now: no rise
    client.force_login(org.manager)
    page = client.get(
        "/staff/analytics/cases/", {"start": "2026-06-08", "end": "2026-06-14", "q": "漏水"}
    )
    assert page.context["page"].paginator.count == 5


def test_each_case_is_counted_once(org, django_capture_on_commit_callbacks):
    case = _complaint(org, 3, "燃气表计量不准，账单偏高。", django_capture_on_commit_callbacks)
    assert count_terms(case.pk) is False  # the triage task counted it already
    assert TermDay.objects.get(day=date(2026, 6, 3), term="账单").cases == 1


def test_stop_words_numbers_and_single_characters_are_not_terms():
    assert case_terms("反映问题", "我们小区3号楼停水了，希望尽快解决！") == {"停水", "小区"}
