"""The managers' analytics pages: dashboard, scorecard, measures by slice and the drill-down
to the cases behind a figure; each table also as CSV and XLSX (`?format=csv|xlsx`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hearline.cases.workflow import InvalidInput
from hearline.core.pagination import CappedPaginator

from . import dashboard as panels
from .drill import COMPONENT_LABELS, DrillDown, link
from .exports import FORMATS, export, export_cases
from .forms import PeriodForm
from .measures import MEASURE_BY_KEY, MEASURES
from .models import DepartmentDay, HotspotDay
from .report import (
    ANALYST_ROLES,
    Slice,
    measures_by,
    period_rows,
    scope_of,
    scorecard,
    slices,
)
from .terms import rising

HEADLINE = (
    "volume",
    "response_rate",
    "resolution_on_time_rate",
    "resolution_rate",
    "satisfaction_rate",
    "average_handling_hours",
    "median_handling_hours",
    "overdue",
    "reopen_rate",
    "repeat_rate",
    "on_spot_share",
)


def require_analyst(request) -> None:
    """PermissionDenied (403) unless the user is a manager, supervisor or administrator."""
    user = request.user
    if not (user.is_superuser or user.roles & ANALYST_ROLES):
        raise PermissionDenied


def _page(request, template: str, form: PeriodForm, **context):
    return render(request, template, {"form": form, "measures": MEASURES, **context})


def _cells(measures: dict, keys=HEADLINE) -> list[dict]:
    return [{"measure": MEASURE_BY_KEY[k], "value": measures[k]} for k in keys]


def _changes_table(rows, _trend):
    headers = [str(_("Name")), str(_("Cases")), str(_("Before")), str(_("Change"))]
    return headers, [[r["label"], r["now"], r["before"], r["change"]] for r in rows]


def _heat_table(heat, _trend):
    headers = [str(_("District"))] + [c["label"] for c in heat["categories"]]
    return headers, [[r["district"]] + [c["n"] for c in r["cells"]] for r in heat["rows"]]


def _terms_table(terms, _trend):
    headers = [str(_("Term")), str(_("Cases")), str(_("Previous period"))]
    return headers, [[t["term"], t["now"], t["before"]] for t in terms]


def _trend_table(_rows, trend):
    keys = ("volume", "response_rate", "satisfaction_rate", "average_handling_hours")
    headers = [str(_("From")), str(_("To"))] + [str(MEASURE_BY_KEY[k].label) for k in keys]
    return headers, [
        [p["start"].isoformat(), p["end"].isoformat()] + [p["measures"][k] for k in keys]
        for p in trend
    ]


# The dashboard's tables as downloads: `?table=…&format=csv|xlsx`.
PANEL_TABLES = {
    "categories": _changes_table,
    "districts": _changes_table,
    "causes": _changes_table,
    "heat": _heat_table,
    "terms": _terms_table,
    "trend": _trend_table,
}


@login_required
def dashboard(request):
    """Headline measures against the comparison period, trend, ranking, hotspots, heat."""
    require_analyst(request)
    form = PeriodForm.read(request.GET)
    if not form.is_valid():
        return _page(request, "analytics/dashboard.html", form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    compare = form.cleaned_data["compare"]
    user = request.user
    rows = period_rows(user, start, end, DepartmentDay)
    before_period = panels.comparison_period(start, end, compare)
    before = period_rows(user, *before_period, DepartmentDay) if before_period else None
    now = slices(rows, None).get(None, Slice()).measures()
    then = slices(before, None).get(None, Slice()).measures() if before else None
    headline = [
        {**cell, "before": then[cell["measure"].key] if then else None} for cell in _cells(now)
    ]
    trend = panels.trend(rows, start, end, form.cleaned_data["grain"] or "day")
    counts = panels.volumes(period_rows(user, start, end, HotspotDay))
    counts_before = (
        panels.volumes(period_rows(user, *before_period, HotspotDay)) if before_period else {}
    )
    ranking = scorecard(user, start, end)
    panels_shown = {
        "categories": panels.top_changes(counts, counts_before, "category_id"),
        "districts": panels.top_changes(counts, counts_before, "district"),
        "causes": panels.top_changes(counts, counts_before, "root_cause_id"),
        "heat": panels.heat(counts),
        "terms": rising(start, end) if scope_of(user) is None else None,
    }
    fmt, table = request.GET.get("format"), request.GET.get("table")
    if fmt in FORMATS and table in PANEL_TABLES:
        headers, lines = PANEL_TABLES[table](panels_shown.get(table) or [], trend)
        return export(f"{table}-{start}-{end}", fmt, headers, lines)
    charts = panels.chart_data(trend, ranking, start, end)
    return _page(
        request,
        "analytics/dashboard.html",
        form,
        headline=headline,
        period=(start, end),
        before_period=before_period,
        ranking=ranking,
        **panels_shown,
        charts=charts,
        base=link(start, end),
    )


SCORE_COLUMNS = (
    "volume",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "overdue",
    "reopen_rate",
    "average_handling_hours",
    "incident_cases",
)


@login_required
def scorecard_page(request):
    """The department scorecard, every number linking to its cases."""
    require_analyst(request)
    form = PeriodForm.read(request.GET)
    if not form.is_valid():
        return _page(request, "analytics/scorecard.html", form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = scorecard(request.user, start, end)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        headers = [str(_("Rank")), str(_("Department")), str(_("Score"))] + [
            str(MEASURE_BY_KEY[k].label) for k in SCORE_COLUMNS
        ]
        table = (
            [r["rank"], r["name"], r["score"]] + [r["measures"][k] for k in SCORE_COLUMNS]
            for r in rows
        )
        return export(f"scorecard-{start}-{end}", fmt, headers, table)
    for row in rows:
        row["cells"] = _cells(row["measures"], SCORE_COLUMNS)
        row["link"] = link(start, end, department=row["department"])
    return _page(
        request,
        "analytics/scorecard.html",
        form,
        rows=rows,
        columns=[MEASURE_BY_KEY[k] for k in SCORE_COLUMNS],
        period=(start, end),
    )


@login_required
def measures_page(request):
    """Every measure by department, category, channel, district or urgency."""
    require_analyst(request)
    form = PeriodForm.read(request.GET)
    if not form.is_valid():
        return _page(request, "analytics/measures.html", form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    by = form.cleaned_data["by"] or "department"
    rows = measures_by(request.user, start, end, by)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        headers = [str(_("Slice"))] + [str(m.label) for m in MEASURES]
        table = ([r["label"]] + [r["measures"][m.key] for m in MEASURES] for r in rows)
        return export(f"measures-{by}-{start}-{end}", fmt, headers, table)
    for row in rows:
        row["cells"] = _cells(row["measures"], [m.key for m in MEASURES])
        none = "-" if by in ("category", "root_cause") else ""
        row["link"] = link(start, end, **{by: row["key"] or none})
    return _page(request, "analytics/measures.html", form, rows=rows, by=by, period=(start, end))


FILTER_LABELS = {
    "start": _("From"),
    "end": _("To"),
    "measure": _("Figure"),
    "department": _("Department"),
    "category": _("Category"),
    "channel": _("Channel"),
    "urgency": _("Urgency"),
    "root_cause": _("Root cause"),
}
ERROR_TEXTS = {
    "invalid_date": _("not a date (YYYY-MM-DD)"),
    "invalid_choice": _("not one of the choices"),
    "unknown": _("no such code"),
    "before_start": _("before the start"),
    "too_far": _("the period is too long"),
    "out_of_range": _("outside the dates accepted"),
}


@login_required
def drill_down(request):
    """The cases behind a figure (a page of them, or all of them exported)."""
    require_analyst(request)
    try:
        drill = DrillDown.from_query(request.GET)
        cases = drill.cases(request.user)
    except InvalidInput as error:
        wrong = error.details.get("fields", {})
        explained = [
            f"{FILTER_LABELS.get(name, name)}：{ERROR_TEXTS.get(code, code)}"
            for name, code in wrong.items()
        ]
        return render(
            request,
            "analytics/cases.html",
            {"errors": wrong, "explained": explained},
            status=400,
        )
    cases = cases.select_related("department", "category").order_by("-registered_at", "-id")
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_cases(f"cases-{drill.start}-{drill.end}", fmt, cases)
    page = CappedPaginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "analytics/cases.html",
        {
            "drill": drill,
            "page": page,
            "component_label": COMPONENT_LABELS[drill.measure],
            "filters": drill.described(),
            "query": drill.query(),
        },
    )
