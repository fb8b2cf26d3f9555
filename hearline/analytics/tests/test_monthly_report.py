"""The monthly report: the page, its PDF, the archive filled by the schedule and on demand."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from hearline.analytics.models import MonthlyReport
from hearline.analytics.tasks import archive_last_months_report
from hearline.core.timetravel import at_time

from .helpers import at


def test_the_report_page_compares_the_month_and_offers_a_pdf(client, june):
    client.force_login(june.manager)
    page = client.get("/staff/analytics/report/2026-06/")
    assert page.status_code == 200
    rows = {r["measure"].key: r for r in page.context["rows"]}
    assert rows["volume"]["now"] == 6 and rows["volume"]["previous"] == 0
    assert [r["department"] for r in page.context["scorecard"]] == ["callcentre", "repair", "water"]
    body = page.content.decode()
    assert "2026-06 月度报告" in body and "去年同月" in body and 'id="chart-trend"' in body
    pdf = client.get("/staff/analytics/report/2026-06/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_schedule_archives_last_month_and_managers_download_it(client, june):
    with at_time(at(2026, 7, 1, 6, 0)):
        archive_last_months_report.call_local()
    archived = MonthlyReport.objects.get()
    assert archived.month == date(2026, 6, 1) and bytes(archived.pdf).startswith(b"%PDF")
    client.force_login(june.manager)
    assert "2026-06" in client.get("/staff/analytics/report/").content.decode()
    download = client.get("/staff/analytics/report/2026-06/archived.pdf")
    assert download.content == bytes(archived.pdf)
    client.force_login(june.agent)
    assert client.get("/staff/analytics/report/2026-06/archived.pdf").status_code == 403


def test_the_command_archives_a_month_on_demand_and_replaces_it(june, tmp_path):
    out = tmp_path / "june.pdf"
    for _ in range(2):
        call_command(
            "analytics", "report", "--month", "2026-06", "--out", str(out), stdout=StringIO()
        )
    assert MonthlyReport.objects.count() == 1 and out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("month", ["0001-01", "0001-02", "1999-12", "9999-12"])
def test_a_month_outside_the_accepted_dates_has_no_report(client, org, month):
    client.force_login(org.manager)
    assert client.get(f"/staff/analytics/report/{month}/").status_code == 404
    assert client.get(f"/staff/analytics/report/{month}/", {"format": "pdf"}).status_code == 404
    assert client.post(f"/staff/analytics/report/{month}/archive/").status_code == 404
    assert not MonthlyReport.objects.exists()
