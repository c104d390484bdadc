"""Small chronology files built in tests: XLSX (xlsxwriter), CSV, DOCX (python-docx), ODS (by hand)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

import docx
import xlsxwriter

Cell = str | int | float | dt.date | dt.datetime | dt.time | None


def xlsx_bytes(
    headings: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    sheet: str = "Chronology",
    above: Sequence[Sequence[str]] = (),
    before_sheets: Sequence[str] = (),
) -> bytes:
    """An .xlsx with optional sheets before it and optional title rows above the headings."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name in before_sheets:
        workbook.add_worksheet(name).write(0, 0, "Notes for the reviewer")
    worksheet = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    time_format = workbook.add_format({"num_format": "hh:mm"})
    row_index = 0
    for line in above:
        worksheet.write_row(row_index, 0, line)
        row_index += 1
    worksheet.write_row(row_index, 0, headings)
    for cells in rows:
        row_index += 1
        for column, value in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, dt.datetime | dt.date):
                worksheet.write_datetime(row_index, column, value, date_format)
            elif isinstance(value, dt.time):
                worksheet.write_datetime(row_index, column, value, time_format)
            elif isinstance(value, str):
                worksheet.write_string(row_index, column, value)
            else:
                worksheet.write_number(row_index, column, value)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(
    headings: Sequence[str], rows: Sequence[Sequence[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    lines = [delimiter.join(headings), *(delimiter.join(cells) for cells in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def docx_bytes(tables: Sequence[Sequence[Sequence[str]]], paragraphs: Sequence[str] = ()) -> bytes:
    """A Word document with some paragraphs and the given tables (first row = headings)."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for grid in tables:
        table = document.add_table(rows=len(grid), cols=len(grid[0]))
        for row_index, cells in enumerate(grid):
            for column, text in enumerate(cells):
                table.cell(row_index, column).text = text
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 {extra}
</manifest:manifest>"""

ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="{sheet}">{rows}</table:table></office:spreadsheet></office:body>
</office:document-content>"""


def ods_bytes(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    sheet: str = "Chronology",
    manifest_extra: str = "",
) -> bytes:
    """A minimal OpenDocument spreadsheet with text cells."""

    def row_xml(cells: Sequence[str]) -> str:
        inner = "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(text)}</text:p></table:table-cell>'
            for text in cells
        )
        return f"<table:table-row>{inner}</table:table-row>"

    content = ODS_CONTENT.format(sheet=sheet, rows="".join(row_xml(cells) for cells in [headings, *rows]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml", ODS_MANIFEST.format(extra=manifest_extra), zipfile.ZIP_DEFLATED
        )
    return buffer.getvalue()


STANDARD_HEADINGS = ("Date", "Agency", "Source of information", "Event type", "Event details", "Child seen")
