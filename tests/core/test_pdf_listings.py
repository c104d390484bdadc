"""Long tables in PDFs: drawn as listings beside WeasyPrint's pages, one tagged row per row."""

from __future__ import annotations

import re
import subprocess
import tempfile

from chronicle.core.documents import Document, Heading, PageBreak, Paragraph, Table, to_pdf
from chronicle.core.pdf_listings import SIZE, _font_tables, wrap

LONG = (
    "Home visit by the health visitor; the baby was seen and weighed, the mother was tired but engaging "
    "and said the partner had moved out of the address a fortnight ago."
)


def pdf_tool(tool: str, data: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        command = [tool, *args, handle.name] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def listing_document(rows: int) -> Document:
    document = Document(title="Rapid review: report to the Panel", marking="OFFICIAL-SENSITIVE")
    document.add(
        Heading("1. Case summary"),
        Paragraph("The text before the appendix."),
        PageBreak(landscape=True),
        Heading("Appendix A: composite multi-agency chronology"),
        Paragraph("Entries in date order."),
        Table(
            ["No.", "Date", "Agency", "What happened"],
            [
                [str(n), "04/03/2024", "Northshire Police", f"{LONG} Entry E{n:04d}."]
                for n in range(1, rows + 1)
            ],
            caption=f"{rows} entries in date order",
            widths=(4, 8, 12, 76),
            row_fills=["#e8f1f8"] * rows,
            compact=True,
        ),
        Heading("After the chronology"),
        Paragraph("The text after the appendix."),
    )
    return document


def test_it_draws_each_row_once_with_the_text_around_it_in_order() -> None:
    data = to_pdf(listing_document(400))
    text = " ".join(pdf_tool("pdftotext", data, "-raw").split())
    found = re.findall(r"Entry E(\d{4})\.", text)
    assert found == [f"{n:04d}" for n in range(1, 401)]  # every row, once, in order
    assert text.index("The text before") < text.index("400 entries in date order") < text.index("Entry E0001")
    assert text.index("Entry E0400") < text.index("The text after the appendix.")
    assert "mother was tired but engaging and said" in text  # a wrapped line keeps its space


def test_it_numbers_every_page_and_repeats_the_heading_row() -> None:
    data = to_pdf(listing_document(400))
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_tool("pdfinfo", data)).group(1))  # type: ignore[union-attr]
    assert pages > 5
    for number in (1, 3, pages):
        page = pdf_tool("pdftotext", data, "-f", str(number), "-l", str(number))
        assert f"Page {number} of {pages}" in page
        assert "OFFICIAL-SENSITIVE" in page
    third = pdf_tool("pdftotext", data, "-f", "3", "-l", "3")
    assert "400 entries in date order (continued)" in third and "What happened" in third
    sizes = pdf_tool("pdfinfo", data, "-f", "1", "-l", str(pages))
    assert sizes.count("841.89 x 595.276") == pages - 1  # the appendix and its listing are landscape


def test_it_tags_the_listing_as_a_table_with_one_row_per_row() -> None:
    data = to_pdf(listing_document(120))
    assert re.search(r"Tagged:\s+yes", pdf_tool("pdfinfo", data))
    structure = pdf_tool("pdfinfo", data, "-struct-text")
    table = structure[structure.index("Table") :]
    assert table.count("TR\n") == 121  # the heading row and one per entry
    assert table.count("/Scope /Column") == 4
    assert '"120 entries in date order"' in table  # the caption
    assert "Entry E0120." in table  # the last row's cell
    # The table sits between the text before it and the heading after it.
    assert (
        structure.index("Entries in date order")
        < structure.index("Table")
        < structure.index("After the chronology")
    )


def test_it_wraps_text_to_the_column_and_cuts_words_longer_than_it() -> None:
    regular, _ = _font_tables()
    lines = wrap(f"{LONG}\nAction: letter sent. {'x' * 80}", 100, regular)
    assert len(lines) > 4
    for line in lines:
        assert regular.width(line) * SIZE / 1000 <= 100
    assert " ".join(lines).replace(" ", "") == f"{LONG}Action: letter sent. {'x' * 80}".replace(" ", "")
    assert lines[0].startswith("Home visit") and "x" * 10 in lines[-1]


def test_it_leaves_short_documents_to_weasyprint() -> None:
    document = Document(title="Notification summary")
    document.add(Paragraph("One paragraph."), Table(["A", "B"], [["1", "2"]]))
    data = to_pdf(document)
    assert "Page 1 of 1" in pdf_tool("pdftotext", data)
    assert re.search(r"Tagged:\s+yes", pdf_tool("pdfinfo", data))


def test_it_splits_a_row_longer_than_a_page_and_keeps_letters_beyond_english() -> None:
    document = Document(title="Composite chronology")
    long_cell = "\n".join(f"Line {n:03d} of a very long record." for n in range(1, 151))
    document.add(
        Paragraph("Before."),
        Table(
            ["No.", "What happened"],
            [["1", "Zoë and Łukasz were seen at home."], ["2", long_cell], ["3", "The last entry."]],
            widths=(1, 9),
            compact=True,
        ),
    )
    data = to_pdf(document)
    text = " ".join(pdf_tool("pdftotext", data, "-raw").split())
    assert "Zoë and Łukasz were seen at home." in text
    assert re.findall(r"Line (\d{3}) of", text) == [f"{n:03d}" for n in range(1, 151)]
    assert text.index("Line 150") < text.index("The last entry.")
    structure = pdf_tool("pdfinfo", data, "-struct-text")
    assert structure.count("TR\n") == 4 and "Line 001 of a very long record." in structure
    assert "Line 150 of a very long record." in structure  # the part on the next page, same cell
