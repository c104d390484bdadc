"""export_composite(): the composite chronology with findings as XLSX, CSV, Word, PDF and JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from python_calamine import CalamineWorkbook

from chronicle.core import exports
from chronicle.core.analysis import Analysis, analyse, analysis_to_json
from chronicle.core.colours import (
    PALETTE,
    TEXT_BLACK,
    AgencyColour,
    assign_colours,
    contrast_ratio,
    text_colour_for,
)
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry, EntryKind
from chronicle.core.exports import (
    COLUMNS,
    ExportError,
    entry_to_dict,
    export_composite,
    pseudonymise_analysis,
    row_tint,
)
from chronicle.core.pseudonyms import Person, Pseudonymiser

KEY = b"a partnership key of 32 bytes!!!"
HV = "Health Visiting"
POLICE = "Police"
TITLE = "Composite chronology: Child A"


def entries() -> list[Entry]:
    return [
        Entry(HV, PartialDate(2020, 2, 3), "Home visit, Jane Brown and baby seen", source="HV notes", row=2),
        Entry(
            POLICE,
            PartialDate(2020, 2, 3),
            "Home visit with health visitor, Jane Brown and baby not seen",
            source="Log 7",
            row=2,
            event_type="visit",
        ),
        Entry(
            POLICE, PartialDate(2020, 3, uncertain=True), '=HYPERLINK("http://x","y")', source="Log 8", row=3
        ),
        Entry(HV, PartialDate(2020, 4, 1), "+44 7700 900000 rang about Mum", source="@HV duty", row=3),
        Entry(
            HV,
            PartialDate(2020, 4, 9),
            "Mother (Jane Brown) said the baby was well",
            source="Staff",
            row=4,
            kind=EntryKind.PRACTITIONER,
            time=dt.time(9, 30),
        ),
    ]


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(entries(), child_born_on=dt.date(2019, 12, 1))


def test_it_writes_the_four_sheets_with_one_row_per_entry(analysis: Analysis) -> None:
    data = export_composite(analysis, "xlsx", title=TITLE)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert workbook.sheet_names == [
        "Composite chronology",
        "Findings",
        "Quality",
        "Silent periods",
        "Summary",
    ]
    rows = workbook.get_sheet_by_name("Composite chronology").to_python()
    assert tuple(rows[0]) == COLUMNS
    assert [row[0] for row in rows[1:]] == [1, 2, 3, 4, 5]
    column = {name: n for n, name in enumerate(COLUMNS)}
    uncertain = rows[3]
    assert (uncertain[column["Date"]], uncertain[column["Date precision"]]) == (
        "?March 2020",
        "month only, uncertain",
    )
    assert rows[1][column["Source of information"]] == "Health Visiting: HV notes"  # agency as source prefix
    assert rows[2][column["Event type inferred"]] == "no"
    assert rows[1][column["Event type inferred"]] == "yes"
    accounts = str(rows[1][column["Other accounts of the same event, and where they differ"]])
    assert accounts.startswith("One event, 2 accounts: ")
    assert "Also recorded as No. 2" in accounts and "Differs from No. 2" in accounts
    assert accounts.endswith("Not yet confirmed.")
    quality = workbook.get_sheet_by_name("Quality").to_python()
    assert {row[0] for row in quality[1:]} == {HV, POLICE}
    assert len(quality) == 1 + 2 * 11  # every agency against every check


def test_it_writes_every_cell_as_text_never_a_formula(analysis: Analysis) -> None:
    data = export_composite(analysis, "xlsx", title=TITLE)
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Composite chronology").to_python()
    )
    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert "'+44 7700 900000 rang about Mum" in cells
    assert "Health Visiting: @HV duty" in cells  # only the start of a cell matters
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode("utf-8")


def test_it_freezes_the_header_and_adds_a_filter_on_every_sheet(analysis: Analysis) -> None:
    data = export_composite(analysis, "xlsx", title=TITLE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for number in range(1, 5):
            sheet = archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")
            assert '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' in sheet
            assert "<autoFilter ref=" in sheet


def test_it_fills_rows_with_a_light_tint_and_the_agency_cell_with_its_colour(analysis: Analysis) -> None:
    data = export_composite(analysis, "xlsx", title=TITLE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode("utf-8")
    for colour in assign_colours([HV, POLICE]).values():
        assert f'rgb="FF{row_tint(colour).lstrip("#").upper()}"' in styles
        assert f'rgb="FF{colour.fill.lstrip("#").upper()}"' in styles
        assert f'rgb="FF{colour.text.lstrip("#").upper()}"' in styles


@pytest.mark.parametrize("fill", PALETTE)
def test_it_tints_every_palette_colour_light_enough_for_black_text(fill: str) -> None:
    colour = AgencyColour(fill, text_colour_for(fill))
    tint = row_tint(colour)
    assert contrast_ratio(tint, TEXT_BLACK) >= 7
    assert tint != "#ffffff"


def test_it_writes_a_csv_with_a_bom_the_same_columns_and_no_formulas(analysis: Analysis) -> None:
    data = export_composite(analysis, "csv", title=TITLE)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 6
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert rows[3][COLUMNS.index("Description")] == '\'=HYPERLINK("http://x","y")'


def test_it_writes_json_with_canonical_entries_and_the_analysis(analysis: Analysis) -> None:
    payload = json.loads(export_composite(analysis, "json", title=TITLE, generated_on=dt.date(2024, 1, 2)))
    assert payload["title"] == TITLE and payload["produced"] == "2024-01-02"
    assert payload["analysis"] == json.loads(json.dumps(analysis_to_json(analysis)))
    uncertain = payload["entries"][2]
    assert (uncertain["index"], uncertain["date"], uncertain["agency"], uncertain["row"]) == (
        2,
        "?2020-03",
        POLICE,
        3,
    )
    assert payload["entries"][4]["time"] == "09:30" and payload["entries"][4]["kind"] == "practitioner"
    assert all(event.get("source", "text") == "text" for event in payload["entries"][0]["events"])
    assert payload["entries"][1]["event_type"] == "visit"
    assert payload["entries"][1]["events"][0] == {
        "type": "visit",
        "negated": False,
        "hypothetical": False,
        "historical": False,
        "subject": "child",
        "words": ["visit"],
        "source": "agency",
    }


def test_it_turns_an_entry_into_plain_json_values() -> None:
    entry = Entry(
        HV, PartialDate(2016, 5, uncertain=True), "Contact", end_date=PartialDate(2016), extra={"a": "b"}
    )
    values = entry_to_dict(entry)
    assert (values["date"], values["end_date"], values["extra"], values["kind"]) == (
        "?2016-05",
        "2016",
        {"a": "b"},
        "record",
    )
    json.dumps(values)


def test_it_gives_the_same_pseudonym_to_one_person_in_every_agency_and_message(analysis: Analysis) -> None:
    names = [Person("Jane Brown", ("Mum",))]
    payload = export_composite(
        analysis, "json", title=TITLE + " (Jane Brown)", pseudonymiser=Pseudonymiser(KEY), names=names
    )
    text = payload.decode("utf-8")
    pseudonym = Pseudonymiser(KEY).pseudonym("Jane Brown")
    assert "Jane Brown" not in text and "Mum" not in text
    data = json.loads(text)
    assert data["title"] == f"{TITLE} ({pseudonym})"
    descriptions = {(e["agency"], e["row"]): e["description"] for e in data["entries"]}
    assert descriptions[(HV, 2)] == f"Home visit, {pseudonym} and baby seen"
    assert descriptions[(POLICE, 2)] == f"Home visit with health visitor, {pseudonym} and baby not seen"
    assert descriptions[(HV, 3)] == f"+44 7700 900000 rang about {pseudonym}"  # the alias too
    reasons = " ".join(data["analysis"]["conflicts"][0]["reasons"])
    assert "child was not seen" in reasons


def test_it_pseudonymises_the_analysis_without_touching_the_original(analysis: Analysis) -> None:
    renamed = pseudonymise_analysis(analysis, Pseudonymiser(KEY), ["Jane Brown"])
    assert "Jane Brown" in analysis.entries[0].description
    assert "Jane Brown" not in renamed.entries[0].description
    assert len(renamed.entries) == len(analysis.entries)
    assert [k.kind for k in renamed.links] == [k.kind for k in analysis.links]
    assert renamed.findings == [] == analysis.findings


def test_it_writes_a_landscape_word_report_with_a_picture_and_tinted_rows(analysis: Analysis) -> None:
    data = export_composite(analysis, "docx", title=TITLE)
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (section.page_width or 0) > (section.page_height or 0)
    assert len(document.inline_shapes) == 1
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "No.")
    assert [row.cells[0].text for row in table.rows[1:]] == ["1", "2", "3", "4", "5"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    tints = {row_tint(c).lstrip("#") for c in assign_colours([HV, POLICE]).values()}
    assert tints <= set(re.findall(r'w:fill="([0-9a-f]{6})"', body))


def test_it_writes_a_tagged_landscape_pdf_report(analysis: Analysis, tmp_path: Path) -> None:
    data = export_composite(analysis, "pdf", title=TITLE)
    assert data.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info  # for screen readers
    assert "841.89 x 595.276" in info  # A4 landscape
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    for heading in ("Summary", "Timeline", "Composite chronology", "Compliance findings", "Silent periods"):
        assert heading in text


def test_it_refuses_unknown_formats_and_names_without_a_key(analysis: Analysis) -> None:
    with pytest.raises(ExportError, match="unknown export format 'odt'"):
        export_composite(analysis, "odt", title=TITLE)
    with pytest.raises(ExportError, match="without a pseudonymisation key"):
        export_composite(analysis, "csv", title=TITLE, names=["Jane Brown"])


def test_it_exports_only_the_filtered_entries_numbered_as_in_the_whole(analysis: Analysis) -> None:
    rows = list(
        csv.reader(
            io.StringIO(export_composite(analysis, "csv", title=TITLE, only=[3, 1]).decode("utf-8-sig"))
        )
    )
    assert [row[0] for row in rows[1:]] == ["2", "4"]
    document = docx.Document(io.BytesIO(export_composite(analysis, "docx", title=TITLE, only=[4])))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "No.")
    assert [row.cells[0].text for row in table.rows[1:]] == ["5"]
    assert any("1 of the 5 entries (filtered)" in p.text for p in document.paragraphs)


def test_it_sets_long_tables_in_compact_type_in_word(
    analysis: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "COMPACT_FROM", 2)
    data = export_composite(analysis, "docx", title=TITLE)
    table = next(t for t in docx.Document(io.BytesIO(data)).tables if t.rows[0].cells[0].text == "No.")
    assert [row.cells[0].text for row in table.rows[1:]] == ["1", "2", "3", "4", "5"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert '<w:sz w:val="14"/>' in body and "<w:tblHeader/>" in body  # 7 pt, the heading row repeated


@pytest.mark.parametrize("lanes", [1, 3, 20, 40])
def test_it_widens_the_timeline_so_many_lanes_still_fit_a_landscape_page(lanes: int) -> None:
    from chronicle.core.timeline_svg import LANE_HEIGHT, LEGEND_HEIGHT, TOP

    width = exports.timeline_width(lanes)
    assert width >= 1100
    assert (TOP + lanes * LANE_HEIGHT + LEGEND_HEIGHT) / width <= exports.TIMELINE_MAX_ASPECT
