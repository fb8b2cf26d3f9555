"""The monthly report pages: a month's report (HTML, or PDF with `?format=pdf`), the archive
of the reports generated on the 1st of each month, and generating one now."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hearline.core.dates import within_range
from hearline.improvement.actions import may_manage

from .dashboard import chart_data
from .drill import link
from .measures import MEASURES
from .models import MonthlyReport
from .monthly import do_archive_monthly_report, last_month, report_data
from .pdf import render_pdf
from .views import require_analyst


def _month(text: str) -> date:
    """The first day of the month `text` (YYYY-MM); Http404 for anything else or a month
    outside Hearline's range of dates."""
    try:
        month = date.fromisoformat(f"{text}-01")
    except ValueError:
        raise Http404 from None
    if not within_range(month):
        raise Http404
    return month


@login_required
def report_index(request):
    """Pick a month (last month by default) and see the archived reports."""
    require_analyst(request)
    if request.GET.get("month"):
        return redirect("staff:monthly_report", request.GET["month"][:7])
    return render(
        request,
        "analytics/report_index.html",
        {
            "default": last_month(),
            "archived": MonthlyReport.objects.only("month", "generated_at"),
            "may_generate": may_manage(request.user),
        },
    )


@login_required
def monthly_report(request, month: str):
    """One month's report for the departments the user's figures count."""
    require_analyst(request)
    data = report_data(request.user, _month(month))
    if request.GET.get("format") == "pdf":
        response = HttpResponse(render_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="hearline-{month}.pdf"'
        return response
    rows = [
        {
            "measure": m,
            "now": data["measures"][m.key],
            "previous": data["previous"][m.key],
            "last_year": data["last_year"][m.key],
        }
        for m in MEASURES
    ]
    charts = chart_data(data["trend"], data["scorecard"], *data["period"])
    context = {**data, "rows": rows, "charts": charts, "base": link(*data["period"])}
    return render(request, "analytics/report.html", context)


@login_required
def archived_report(request, month: str):
    """The PDF archived for a month."""
    require_analyst(request)
    report = MonthlyReport.objects.filter(month=_month(month)).first()
    if report is None:
        raise Http404
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="hearline-{month}-archived.pdf"'
    return response


@login_required
@require_POST
def archive_now(request, month: str):
    """Generate and archive a month's report now (managers, supervisors, administrators)."""
    require_analyst(request)
    if not may_manage(request.user):
        raise PermissionDenied
    do_archive_monthly_report(_month(month))
    return redirect("staff:monthly_reports")
