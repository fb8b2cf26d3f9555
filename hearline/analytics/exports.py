"""Any list or table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
Chinese) or XLSX, streamed or written row by row so long lists don't sit in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
MAX_ROWS = 100_000  # a case export stops here; narrow the filters for more


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: Sequence[str], rows: Iterable[Sequence]):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in row])


def export(name: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A download of `rows` under `headers` as `name`.csv or `name`.xlsx."""
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


CASE_COLUMNS = (
    ("tracking_number", _("Tracking number")),
    ("title", _("Subject")),
    ("category__name", _("Category")),
    ("department__name", _("Department")),
    ("channel", _("Channel")),
    ("district", _("District")),
    ("urgency", _("Urgency")),
    ("state", _("State")),
    ("registered_at", _("Registered")),
)


def export_cases(name: str, fmt: str, cases: QuerySet) -> HttpResponse:
    """A list of cases (in its order, at most `MAX_ROWS`) as a download; no complainant
    data is ever in it."""
    rows = cases.values_list(*[column for column, _label in CASE_COLUMNS])[:MAX_ROWS]
    headers = [str(label) for _column, label in CASE_COLUMNS]
    table = ([v.isoformat() if hasattr(v, "isoformat") else v for v in row] for row in rows)
    return export(name, fmt, headers, table)
