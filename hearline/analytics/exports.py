"""Any list or table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
Chinese) or XLSX, streamed or written row by row so long lists don't sit in memory.

Citizens write titles, districts and addresses, so no text is written as it stands: see
`spreadsheet_value`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from hearline.core.characters import strip_invalid_characters

FORMATS = ("csv", "xlsx")
MAX_ROWS = 100_000  # a case export stops here; narrow the filters for more
# A spreadsheet program reads text starting with one of these as a formula (OWASP, CSV
# injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_value(value):
    """`value` as a spreadsheet may hold it: text loses the characters XML cannot carry (an
    XLSX file is XML) and text that would start a formula gets an apostrophe in front, as
    OWASP's CSV-injection rule says, so it is shown as the text it is; numbers and dates
    stay as they are."""
    if not isinstance(value, str):
        return value
    text = strip_invalid_characters(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: Sequence[str], rows: Iterable[Sequence]):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([spreadsheet_value(h) for h in headers])
    for row in rows:
        yield writer.writerow(["" if v is None else spreadsheet_value(v) for v in row])


def export(
    name: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse | StreamingHttpResponse:
    """A download of `rows` under `headers` as `name`.csv or `name`.xlsx, every value passed
    through `spreadsheet_value`."""
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append([spreadsheet_value(h) for h in headers])
        for row in rows:
            sheet.append([spreadsheet_value(v) for v in row])
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


def export_cases(name: str, fmt: str, cases: QuerySet) -> HttpResponse | StreamingHttpResponse:
    """A list of cases (in its order, at most `MAX_ROWS`) as a download; no complainant
    data is ever in it."""
    rows = cases.values_list(*[column for column, _label in CASE_COLUMNS])[:MAX_ROWS]
    headers = [str(label) for _column, label in CASE_COLUMNS]
    table = ([v.isoformat() if hasattr(v, "isoformat") else v for v in row] for row in rows)
    return export(name, fmt, headers, table)
