"""The monthly report as PDF (reportlab), in Chinese with the standard Adobe CJK font
(STSong-Light: every PDF reader has it, so nothing is embedded)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .measures import MEASURES
from .templatetags.analytics_format import change, measure_value

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
TITLE = ParagraphStyle("title", parent=BODY, fontSize=16, leading=22, spaceAfter=6)
HEADING = ParagraphStyle("heading", parent=BODY, fontSize=12, leading=18, spaceBefore=8)
BLUE = colors.HexColor("#1d6fb8")


def _table(rows: list[list], widths=None) -> Table:
    table = Table(
        [[Paragraph(escape(str(cell)), BODY) for cell in row] for row in rows],
        colWidths=widths,
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _daily_chart(trend: list[dict]) -> Drawing:
    drawing = Drawing(170 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 8 * mm, 155 * mm, 42 * mm
    chart.data = [[p["measures"]["volume"] for p in trend] or [0]]
    chart.categoryAxis.categoryNames = [p["start"].strftime("%d") for p in trend]
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BLUE
    drawing.add(chart)
    return drawing


def _score_chart(scorecard: list[dict]) -> Drawing:
    rows = [r for r in scorecard if r["score"] is not None][:12]
    drawing = Drawing(170 * mm, (12 + 6 * len(rows)) * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = 40 * mm, 5 * mm
    chart.width, chart.height = 120 * mm, 6 * mm * max(len(rows), 1)
    chart.data = [[r["score"] for r in reversed(rows)] or [0]]
    chart.categoryAxis.categoryNames = [r["name"] for r in reversed(rows)]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.bars[0].fillColor = colors.HexColor("#2f8f5b")
    drawing.add(chart)
    return drawing


def render_pdf(data: dict) -> bytes:
    """The report of `monthly.report_data` as PDF bytes."""
    start, end = data["period"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title=f"{start:%Y-%m}"
    )
    story = [
        Paragraph(_("Monthly report %(month)s") % {"month": f"{start:%Y-%m}"}, TITLE),
        Paragraph(_("Cases registered from %(s)s to %(e)s") % {"s": start, "e": end}, BODY),
        Paragraph(_("Measures"), HEADING),
    ]
    rows = [[_("Measure"), _("This month"), _("Previous month"), _("Same month last year")]]
    for m in MEASURES:
        now = data["measures"][m.key]
        rows.append(
            [
                str(m.label),
                measure_value(now, m.unit),
                f"{measure_value(data['previous'][m.key], m.unit)} "
                f"{change(now, data['previous'][m.key])}",
                f"{measure_value(data['last_year'][m.key], m.unit)} "
                f"{change(now, data['last_year'][m.key])}",
            ]
        )
    story += [_table(rows, [55 * mm, 30 * mm, 45 * mm, 45 * mm])]
    story += [Paragraph(_("Cases per day"), HEADING), _daily_chart(data["trend"])]
    story += [Paragraph(_("Department scorecard"), HEADING), _score_chart(data["scorecard"])]
    card = [[_("Rank"), _("Department"), _("Score"), _("Volume"), _("Satisfaction rate (满意率)")]]
    for r in data["scorecard"]:
        card.append(
            [
                r["rank"],
                r["name"],
                r["score"] if r["score"] is not None else "—",
                r["measures"]["volume"],
                measure_value(r["measures"]["satisfaction_rate"], "rate"),
            ]
        )
    story.append(_table(card))
    for title, key in ((_("Top categories"), "categories"), (_("Top districts"), "districts")):
        story.append(Paragraph(title, HEADING))
        lines = [[_("Name"), _("Cases"), _("Previous month")]]
        lines += [[r["label"], r["now"], r["before"]] for r in data[key]]
        story.append(_table(lines))
    story.append(Paragraph(_("Corrective actions"), HEADING))
    lines = [[_("What will be changed"), _("Status"), _("Due date"), _("Handling time")]]
    for item in data["actions"]:
        action, effect = item["action"], item["effect"]
        moved = effect["changes"].get("average_handling_hours")
        lines.append(
            [
                action.what,
                action.get_status_display(),
                action.due_date or "—",
                "—" if moved is None else f"{moved:+.1f}%",
            ]
        )
    story += [_table(lines, [85 * mm, 25 * mm, 25 * mm, 35 * mm]), Spacer(1, 4 * mm)]
    doc.build(story)
    return out.getvalue()
