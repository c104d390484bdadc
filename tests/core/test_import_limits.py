"""Tables are bounded before any reader builds them: columns, rows, cells, and NUL in a CSV."""

from __future__ import annotations

import io
import zipfile

import pytest
import xlsxwriter

from chronicle.core.importing import ReadError, import_file, read_table
from chronicle.core.importing.guards import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, column_letters
from tests.core.import_files import docx_bytes, xlsx_bytes

HEADINGS = "Date,What happened,Source\n"
ROW = "03/02/2024,Police called to the home,Niche 1\n"


def csv_file(text: str) -> bytes:
    return text.encode("utf-8")


def test_it_names_the_column_limit_the_row_and_the_column() -> None:
    wide = HEADINGS + ROW + ROW.rstrip("\n") + "," * MAX_COLUMNS + "\n"
    with pytest.raises(ReadError) as refused:
        read_table(csv_file(wide), "police.csv")
    message = str(refused.value)
    assert f"{MAX_COLUMNS + 3:,} columns on row 3" in message
    assert f"at most {MAX_COLUMNS} columns" in message
    assert f"column {MAX_COLUMNS + 1} ({column_letters(MAX_COLUMNS + 1)})" in message


def test_it_refuses_a_million_column_line_without_building_it() -> None:
    data = csv_file("," * 1_000_000 + "\n" + ROW)
    with pytest.raises(ReadError, match="1,000,001 columns on row 1"):
        import_file(data, "wide.csv")


def test_it_reads_a_table_exactly_at_the_column_limit() -> None:
    headings = ",".join(["Date", "What happened", *[f"Extra {n}" for n in range(MAX_COLUMNS - 2)]])
    table = read_table(csv_file(headings + "\n" + ROW), "police.csv")
    assert len(table.headings) == MAX_COLUMNS


def test_it_counts_quoted_commas_as_text_not_columns() -> None:
    long_text = '"' + "a, " * (MAX_COLUMNS * 2) + '"'
    table = read_table(csv_file(HEADINGS + f"03/02/2024,{long_text},Niche 1\n"), "police.csv")
    assert len(table) == 1


def test_it_names_the_row_limit() -> None:
    data = csv_file(HEADINGS + ROW * MAX_ROWS)
    with pytest.raises(
        ReadError, match=f"more than {MAX_ROWS:,} rows \\(row {MAX_ROWS + 1:,} is past the limit\\)"
    ):
        read_table(data, "long.csv")


def test_it_names_the_cell_limit_and_the_row_it_is_reached_on() -> None:
    columns = MAX_COLUMNS
    rows = MAX_CELLS // columns + 1
    line = ",".join(["x"] * columns) + "\n"
    with pytest.raises(ReadError) as refused:
        read_table(csv_file(line * rows), "big.csv")
    assert f"more than {MAX_CELLS:,} cells (the limit is reached on row {rows:,})" in str(refused.value)


def test_it_refuses_a_nul_anywhere_in_a_csv_naming_its_row_and_column() -> None:
    # Past the first 8 KiB, where the upload guard's quick look at the start does not reach.
    data = csv_file(HEADINGS + ROW * 400 + "03/02/2024,Police\x00 called,Niche 2\n")
    assert len(data) > 8192
    with pytest.raises(ReadError, match=r"NUL character .* on row 402, column 2"):
        import_file(data, "police.csv")


def test_it_refuses_a_nul_in_a_utf16_csv() -> None:
    data = (HEADINGS + "03/02/2024,Police\x00 called,Niche 2\n").encode("utf-16")
    with pytest.raises(ReadError, match=r"NUL character .* on row 2"):
        read_table(data, "police.csv")


def test_it_refuses_a_spreadsheet_cell_past_the_column_limit() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Chronology")
    sheet.write_row(0, 0, ["Date", "What happened"])
    sheet.write(900, 16_000, "far away")  # one cell, but the reader would hold 901 x 16,001 of them
    workbook.close()
    with pytest.raises(
        ReadError,
        match=rf"a cell in column 16,001 \({column_letters(16_001)}901\); Chronicle reads at most 200",
    ):
        import_file(buffer.getvalue(), "police.xlsx")


def test_it_refuses_a_spreadsheet_with_too_many_rows() -> None:
    data = xlsx_bytes(["Date", "What happened"], [["03/02/2024", "x"]] * 5)
    # Rewrite the sheet with more rows than the limit, as a stream of tiny rows.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/"))
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="n"><v>1</v></c></row>' % (n, n) for n in range(1, MAX_ROWS + 2)
    )
    parts[sheet] = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows + b"</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(ReadError, match=f"more than {MAX_ROWS:,} rows"):
        read_table(buffer.getvalue(), "police.xlsx")


def test_it_refuses_a_word_table_row_past_the_column_limit() -> None:
    data = docx_bytes([[["Date", "What happened"], ["03/02/2024", "x"]]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    wide_row = b"<w:tr>" + b"<w:tc><w:p/></w:tc>" * (MAX_COLUMNS + 1) + b"</w:tr>"
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"</w:tbl>", wide_row + b"</w:tbl>", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(ReadError, match=f"{MAX_COLUMNS + 1} columns on row 3"):
        read_table(buffer.getvalue(), "police.docx")
