"""Any list or table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
Chinese) or XLSX, streamed or written row by row so long lists don't sit in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
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
