"""Each measure against values computed by hand on small fixed sets of cases, driven
through the real actions at fixed moments (Mondays to Fridays 08:30–12:00, 13:30–17:30;
normal cases: response within 2 working hours, resolution within 5 working days)."""

from datetime import date

import pytest

from hearline.analytics.report import measures_by, period_cases, scorecard
from hearline.api.actions import do_create_api_token
from hearline.cases.actions import do_transition
from hearline.cases.models import Case
from hearline.cases.workflow import InvalidInput, NotAllowed

from .helpers import at, handled, make_case


def test_each_measure_of_a_month(june):
    (everything,) = measures_by(june.manager, date(2026, 6, 1), date(2026, 6, 30), "channel")
    m = everything["measures"]
    assert m["volume"] == 6  # F is July's
    # B and E late; C was reopened and nobody has responded in its new cycle.
    assert m["response_rate"] == pytest.approx(3 / 6, abs=1e-4)
    assert m["resolution_on_time_rate"] == pytest.approx(3 / 6, abs=1e-4)  # A, D, G
    assert m["overdue"] == 3  # B replied late; C (reopened) and E past their deadline
    assert m["resolution_rate"] == pytest.approx(2 / 3, abs=1e-4)  # C's rating was cleared
    assert m["satisfaction_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["strict_satisfaction_rate"] == pytest.approx(1 / 3, abs=1e-4)
    # Replied in this cycle: A 120 min, B 9 working days × 450 min, D and G 0.
    assert m["average_handling_hours"] == pytest.approx((120 + 4050) / 4 / 60, abs=0.01)
    assert m["median_handling_hours"] == 1.0  # (0 + 120) / 2 minutes
    assert m["reopen_rate"] == pytest.approx(1 / 5, abs=1e-4)  # A, B, C, D, G had a reply
    assert m["repeat_rate"] == pytest.approx(1 / 6, abs=1e-4)  # G
    assert m["on_spot_share"] == pytest.approx(2 / 6, abs=1e-4)


def test_a_slice_without_ratings_has_no_rates(june):
    rows = measures_by(june.manager, date(2026, 7, 1), date(2026, 7, 31), "department")
    assert [r["key"] for r in rows] == ["callcentre"]
    m = rows[0]["measures"]
    assert m["volume"] == 1 and m["satisfaction_rate"] is None and m["resolution_rate"] is None
    assert m["average_handling_hours"] is None and m["median_handling_hours"] is None


def test_handling_time_counts_working_hours_only_across_a_holiday(org):
    case = make_case(org, at(2026, 9, 30, 16, 0), "13800000009")
    handled(org, case, at(2026, 9, 30, 16, 10), at(2026, 10, 8, 10, 0))
    (row,) = measures_by(org.manager, date(2026, 9, 1), date(2026, 9, 30), "department")
    # 16:00–17:30 on 30 Sep, National Day 1–7 Oct off, 08:30–10:00 on 8 Oct: 3 hours.
    assert row["measures"]["average_handling_hours"] == 3.0


def test_the_scorecard_ranks_departments_by_weighted_score(june):
    rows = scorecard(june.manager, date(2026, 6, 1), date(2026, 6, 30))
    assert [(r["rank"], r["department"], r["score"]) for r in rows] == [
        # 100 × (0.3 × 2/3 + 0.3 × 1 + 0.4 × 1) − 0.2 × 100 × 1/3 overdue
        (1, "callcentre", 83.3),
        # 100 × (0.3 × 1/3 + 0.3 × 1/2 + 0.4 × 1/2) − 0.2 × 100 × 2/3 − 0.2 × 100 × 1/3
        (2, "repair", 25.0),
        (3, "water", 25.0),  # the water company is its repair department here
    ]


def test_only_analysts_see_figures_and_a_bad_period_is_refused(june):
    with pytest.raises(NotAllowed):
        period_cases(june.agent, date(2026, 6, 1), date(2026, 6, 30))
    with pytest.raises(InvalidInput):
        period_cases(june.manager, date(2026, 6, 30), date(2026, 6, 1))
    with pytest.raises(InvalidInput):
        measures_by(june.manager, date(2026, 6, 1), date(2026, 6, 30), "colour")
    # A supervisor of the water company sees its cases only.
    rows = measures_by(june.water_supervisor, date(2026, 6, 1), date(2026, 6, 30), "channel")
    assert rows[0]["measures"]["volume"] == 3


def test_the_api_answers_the_scorecard_and_measures(client, june):
    token = do_create_api_token(name="bi", role="manager", department_code="hotline")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    card = client.get("/api/v1/analytics/scorecard?start=2026-06-01&end=2026-06-30", **auth)
    assert card.status_code == 200
    assert [r["department"] for r in card.json()] == ["callcentre", "repair", "water"]
    by = client.get(
        "/api/v1/analytics/measures?start=2026-06-01&end=2026-06-30&by=department", **auth
    ).json()
    assert {r["key"]: r["measures"]["volume"] for r in by} == {"repair": 3, "callcentre": 3}
    bad = client.get("/api/v1/analytics/measures?start=2026-06-30&end=2026-06-01", **auth)
    assert bad.status_code == 422 and bad.json()["fields"] == {"end": "before_start"}
    agent = do_create_api_token(name="app", role="agent", department_code="callcentre")[1]
    refused = client.get(
        "/api/v1/analytics/scorecard?start=2026-06-01&end=2026-06-30",
        HTTP_AUTHORIZATION=f"Bearer {agent}",
    )
    assert refused.status_code == 403
    schema = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/analytics/scorecard" in schema and "/api/v1/analytics/measures" in schema


def test_a_period_at_the_end_of_the_calendar_is_refused_not_an_error(june):
    with pytest.raises(InvalidInput):
        period_cases(june.manager, date(9999, 12, 31), date(9999, 12, 31))


def test_root_causes_tag_cases_and_slice_the_figures(june):
    b = Case.objects.get(complainant__phone="13800000002")
    tag = dict(acting_user=june.repair_handler, payload={"root_cause": "aging-network"})
    do_transition(b.pk, "tag_root_cause", **tag)
    assert b.events.order_by("seq").last().details["root_cause"]["to"] == "管网设备老化"
    rows = measures_by(june.manager, date(2026, 6, 1), date(2026, 6, 30), "root_cause")
    assert {r["key"]: r["measures"]["volume"] for r in rows} == {"aging-network": 1, None: 5}
    with pytest.raises(InvalidInput) as refused:
        do_transition(b.pk, "tag_root_cause", **(tag | {"payload": {"root_cause": "sunspots"}}))
    assert refused.value.details["fields"] == {"root_cause": "unknown_root_cause"}


@pytest.mark.parametrize("path", ["scorecard", "measures"])
@pytest.mark.parametrize(
    ("period", "fields"),
    [
        (
            {"start": "0001-01-01", "end": "0001-01-31"},
            {"start": "out_of_range", "end": "out_of_range"},
        ),
        ({"start": "2026-06-01", "end": "9999-12-31"}, {"end": "out_of_range"}),
    ],
)
def test_the_api_refuses_a_period_at_the_ends_of_the_calendar_by_field(
    client, org, path, period, fields
):
    token = do_create_api_token(name="bi", role="manager", department_code="hotline")[1]
    answer = client.get(f"/api/v1/analytics/{path}", period, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "validation_failed" and answer.json()["fields"] == fields
