"""Reading agency files into tables: XLSX, ODS, CSV, DOCX, with the row numbers a person sees."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from chronicle.core.importing.readers import ReadError, Table, decode_text, read_table, sniff_delimiter
from tests.core.import_files import STANDARD_HEADINGS, csv_bytes, docx_bytes, ods_bytes, xlsx_bytes

ROW = ["22/05/2016", "Police", "Command and control log 123", "police_callout", "Call to the home", "yes"]


def test_it_reads_an_xlsx_with_excel_row_numbers_and_real_dates() -> None:
    data = xlsx_bytes(STANDARD_HEADINGS, [[dt.date(2016, 5, 22), "Police", "Log 1", "", "Call", "yes"], ROW])
    table = read_table(data, "police.xlsx")
    assert table.headings == list(STANDARD_HEADINGS)
    assert table.numbers == [2, 3]
    assert table.grid[0][0] == dt.date(2016, 5, 22)
    assert table.format == "xlsx"
    assert table.sheet == "Chronology"


def test_it_finds_the_heading_row_below_a_title_and_keeps_excel_row_numbers() -> None:
    data = xlsx_bytes(
        STANDARD_HEADINGS, [ROW, ROW], above=[["Northshire Police chronology"], ["Child A"], []]
    )
    table = read_table(data, "police.xlsx")
    assert table.header_row == 4
    assert table.numbers == [5, 6]
    assert "row 4" in table.notes[0]


def test_it_prefers_a_sheet_named_like_chronology_over_earlier_sheets() -> None:
    data = xlsx_bytes(STANDARD_HEADINGS, [ROW], sheet="Agency chronology", before_sheets=["Cover"])
    table = read_table(data, "police.xlsx")
    assert table.sheet == "Agency chronology"
    assert table.headings == list(STANDARD_HEADINGS)


def test_it_reads_the_first_sheet_with_data_when_none_is_named_chronology() -> None:
    data = xlsx_bytes(STANDARD_HEADINGS, [ROW], sheet="Sheet2", before_sheets=["Sheet1"])
    # Sheet1 holds one note and no headings, but it has data, so it is read first.
    assert read_table(data, "police.xlsx").sheet == "Sheet1"


def test_it_reads_an_ods_spreadsheet() -> None:
    table = read_table(ods_bytes(STANDARD_HEADINGS, [ROW]), "police.ods")
    assert table.headings == list(STANDARD_HEADINGS)
    assert table.numbers == [2]
    assert table.grid[0][4] == "Call to the home"


def test_it_reads_a_csv_with_a_byte_order_mark() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(STANDARD_HEADINGS, [ROW])
    table = read_table(data, "police.csv")
    assert table.headings[0] == "Date"
    assert table.numbers == [2]
    assert table.grid[0] == ROW


def test_it_falls_back_to_windows_1252_for_csv() -> None:
    data = csv_bytes(
        STANDARD_HEADINGS, [[*ROW[:4], "Mother said “it’s fine” – café", "yes"]], encoding="cp1252"
    )
    table = read_table(data, "police.csv")
    assert table.grid[0][4] == "Mother said “it’s fine” – café"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_sniffs_the_csv_delimiter(delimiter: str) -> None:
    data = csv_bytes(STANDARD_HEADINGS, [ROW], delimiter=delimiter)
    assert read_table(data, "police.csv").grid[0] == ROW
    assert sniff_delimiter(data.decode()) == delimiter


def test_it_keeps_a_csv_formula_as_text() -> None:
    data = csv_bytes(STANDARD_HEADINGS, [[*ROW[:4], '=HYPERLINK("http://x")', "yes"]])
    assert read_table(data, "police.csv").grid[0][4] == '=HYPERLINK("http://x")'


def test_it_keeps_csv_row_numbers_over_blank_lines_and_pads_short_rows() -> None:
    data = b"Date,Agency,Source,Event\r\n22/05/2016,Police,Log,Call\r\n\r\n23/05/2016,Police\r\n"
    table = read_table(data, "police.csv")
    assert table.numbers == [2, 3, 4]
    assert table.grid[1] == ["", "", "", ""]
    assert table.grid[2] == ["23/05/2016", "Police", "", ""]


def test_it_decodes_utf16_text_with_a_byte_order_mark() -> None:
    assert decode_text("Date\tEvent\n".encode("utf-16")) == "Date\tEvent\n"


def test_it_reads_the_docx_table_with_a_date_heading_and_table_row_numbers() -> None:
    layout = [["Name", "Role"], ["A", "B"], ["C", "D"], ["E", "F"], ["G", "H"]]
    chronology = [list(STANDARD_HEADINGS), ROW, ROW]
    table = read_table(docx_bytes([layout, chronology], ["Chronology for Child A"]), "gp.docx")
    assert table.headings == list(STANDARD_HEADINGS)
    assert table.numbers == [2, 3]
    assert table.sheet == "table 2"
    assert "table 2 of the 2" in table.notes[0]


def test_it_reads_the_largest_docx_table_when_none_has_a_date_heading() -> None:
    small = [["A", "B"], ["1", "2"]]
    large = [["When", "What"], ["x", "y"], ["z", "w"]]
    assert read_table(docx_bytes([small, large]), "gp.docx").headings == ["When", "What"]


def test_it_skips_a_heading_row_repeated_inside_a_docx_table() -> None:
    grid = [list(STANDARD_HEADINGS), ROW, list(STANDARD_HEADINGS), ROW]
    table = read_table(docx_bytes([grid]), "gp.docx")
    assert table.numbers == [2, 4]


def test_it_explains_a_word_document_without_a_table() -> None:
    with pytest.raises(ReadError, match="no table"):
        read_table(docx_bytes([], ["Just a letter"]), "gp.docx")


def test_it_refuses_formats_it_cannot_read() -> None:
    with pytest.raises(ReadError, match="not a file Chronicle can import"):
        read_table(b"%PDF-1.7", "chronology.pdf")


def test_it_explains_a_corrupt_spreadsheet() -> None:
    with pytest.raises(ReadError, match="could not be read as XLSX"):
        read_table(b"PK\x03\x04 not really a workbook", "police.xlsx")


def test_it_explains_an_empty_csv() -> None:
    with pytest.raises(ReadError, match="empty"):
        read_table(b"\r\n\r\n", "police.csv")


def test_it_reads_from_a_path(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "police.csv"
    path.write_bytes(csv_bytes(STANDARD_HEADINGS, [ROW]))
    assert read_table(path).numbers == [2]


def test_it_builds_a_table_from_row_pairs() -> None:
    table = Table.from_rows(["Date"], [(2, ["22/05/2016"]), (5, ["23/05/2016"])])
    assert table.rows == [(2, ["22/05/2016"]), (5, ["23/05/2016"])]
    assert len(table) == 2


def test_it_reads_a_docx_heading_merged_across_two_columns_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for column, heading in enumerate(["Date", "Event details", "", "Source"]):
        table.cell(0, column).text = heading
    table.cell(0, 1).merge(table.cell(0, 2))
    for column, text in enumerate(["22/05/2016", "Call to the home", "", "Log 1"]):
        table.cell(1, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_table(buffer.getvalue(), "gp.docx")
    assert read.headings == ["Date", "Event details", "", "Source"]
    assert read.grid[0] == ["22/05/2016", "Call to the home", "", "Log 1"]


def test_it_keeps_values_typed_right_of_the_last_heading() -> None:
    table = read_table(
        xlsx_bytes(["Date", "Event"], [["22/05/2016", "Call", None, "see note"]]), "police.xlsx"
    )
    assert table.headings == ["Date", "Event", "", ""]
    assert table.grid[0][3] == "see note"
