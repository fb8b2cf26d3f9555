"""The managers' analytics pages on the June cases of `helpers.build_june`: figures, links
to the cases behind them, exports, comparisons and refusals."""

import csv
import io

import pytest
from openpyxl import load_workbook

from hearline.cases.models import Case

JUNE = {"start": "2026-06-01", "end": "2026-06-30"}


def _as(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_measures_with_their_formulas_and_links(client, june):
    page = _as(client, june.manager).get("/staff/dashboard/", JUNE | {"compare": "last_year"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "响应率" in body and "50.0%" in body  # 3 of 6 responded on time
    assert "66.7%" in body  # satisfaction 2 of 3
    assert "echarts.min.js" in body and 'id="chart-trend"' in body
    assert "/staff/analytics/cases/?start=2026-06-01&amp;end=2026-06-30&amp;measure=overdue" in body
    assert "2025-06-01" in body  # the comparison period, a year before


def test_the_heat_table_and_top_districts_count_the_period(client, june):
    body = _as(client, june.manager).get("/staff/dashboard/", JUNE).content.decode()
    assert "海曙区" in body and "district=%E6%B5%B7%E6%9B%99%E5%8C%BA" in body
    assert ">6</a>" in body  # all six June cases in the one district and category


def test_a_bad_period_is_a_form_error_in_chinese(client, june):
    page = _as(client, june.manager).get(
        "/staff/dashboard/", {"start": "2026-06-30", "end": "2026-06-01"}
    )
    assert page.status_code == 200 and "结束早于开始" in page.content.decode()


@pytest.mark.parametrize(
    "url", ["/staff/dashboard/", "/staff/analytics/scorecard/", "/staff/analytics/measures/"]
)
@pytest.mark.parametrize(
    "period",
    [
        {"start": "0001-01-01", "end": "0001-01-31"},
        {"start": "0001-01-01", "end": "0001-01-01", "compare": "last_year"},
        {"start": "9999-12-30", "end": "9999-12-31"},
    ],
)
def test_a_period_at_the_ends_of_the_calendar_is_a_form_error_in_chinese(client, org, url, period):
    page = _as(client, org.manager).get(url, period)
    assert page.status_code == 200
    assert "请输入 2000-01-01 至 2100-12-31 之间的日期" in page.content.decode()
    assert set(page.context["form"].errors) == {"start", "end"}


def test_a_drill_down_at_the_ends_of_the_calendar_is_named(client, org):
    page = _as(client, org.manager).get(
        "/staff/analytics/cases/", {"start": "0001-01-01", "end": "9999-12-31"}
    )
    assert page.status_code == 400
    assert page.context["errors"] == {"start": "out_of_range", "end": "out_of_range"}
    assert "超出可受理的日期范围" in page.content.decode()


def test_analytics_pages_are_for_analysts_only(client, june):
    agent = _as(client, june.agent)
    for url in ("/staff/dashboard/", "/staff/analytics/scorecard/", "/staff/analytics/cases/"):
        assert agent.get(url, JUNE).status_code == 403


def test_the_drill_down_lists_exactly_the_cases_behind_a_figure(client, june):
    page = _as(client, june.manager).get("/staff/analytics/cases/", JUNE | {"measure": "overdue"})
    shown = {c.pk for c in page.context["page"]}
    # B replied late; C (reopened) and E past their deadline: see test_measures.
    expected = {
        c.pk
        for c in Case.objects.filter(
            complainant__phone__in=["13800000002", "13800000003", "13800000005"]
        )
    }
    assert shown == expected
    repair = _as(client, june.manager).get(
        "/staff/analytics/cases/", JUNE | {"department": "water", "measure": "volume"}
    )
    assert repair.context["page"].paginator.count == 3  # A, B, C were dispatched to repair
    assert "市自来水公司（含下级）" in repair.content.decode()


def test_bad_drill_down_filters_are_named(client, june):
    page = _as(client, june.manager).get(
        "/staff/analytics/cases/", {"start": "June", "end": "2026-06-30", "measure": "colour"}
    )
    assert page.status_code == 400
    assert page.context["errors"] == {"start": "invalid_date", "measure": "invalid_choice"}


def test_the_scorecard_page_ranks_and_exports(client, june):
    manager = _as(client, june.manager)
    body = manager.get("/staff/analytics/scorecard/", JUNE).content.decode()
    assert body.index("83.3") < body.index("25.0")
    download = manager.get("/staff/analytics/scorecard/", JUNE | {"format": "csv"})
    text = b"".join(download.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["排名", "部门", "得分"] and [r[2] for r in rows[1:]] == [
        "83.3",
        "25.0",
        "25.0",
    ]
    book = manager.get("/staff/analytics/scorecard/", JUNE | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [83.3, 25.0, 25.0]


def test_measures_by_slice_and_the_case_export(client, june):
    manager = _as(client, june.manager)
    body = manager.get("/staff/analytics/measures/", JUNE | {"by": "channel"}).content.decode()
    assert "热线" in body or "电话" in body
    download = manager.get("/staff/analytics/cases/", JUNE | {"format": "csv"})
    lines = b"".join(download.streaming_content).decode("utf-8").strip().splitlines()
    assert len(lines) == 1 + 6


def test_the_dashboards_tables_and_a_work_queue_download(client, june):
    manager = _as(client, june.manager)
    heat = manager.get("/staff/dashboard/", JUNE | {"table": "heat", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(heat.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[0] == ["区县", "未分类"] and rows[1] == ["海曙区", "6"]
    trend = manager.get("/staff/dashboard/", JUNE | {"table": "trend", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(trend.content)).active
    assert (
        sheet.max_row == 1 + 30
        and sum(r[2] for r in sheet.iter_rows(min_row=2, values_only=True)) == 6
    )
    queue = manager.get("/staff/cases/", {"queue": "all", "format": "csv"})
    lines = b"".join(queue.streaming_content).decode().strip().splitlines()
    assert len(lines) == 1 + 7 and "13800000001" not in "".join(lines)  # no phone numbers
