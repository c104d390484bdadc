"""The downloadable chronology templates: every heading, drop-downs, guidance, and a clean round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from chronicle.core.entries import SIX_HEADINGS
from chronicle.core.event_types import EVENT_TYPES
from chronicle.core.importing.headings import FIELDS, map_headings
from chronicle.core.importing.validate import import_file
from chronicle.core.templates_xlsx import (
    CHRONOLOGY_SHEET,
    GUIDANCE_SHEET,
    LISTS_SHEET,
    TEMPLATE_HEADINGS,
    build_csv_template,
    build_xlsx_template,
)
from tests.core.import_files import xlsx_bytes


def _workbook() -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(io.BytesIO(build_xlsx_template()))


def test_it_has_every_canonical_heading_including_the_six() -> None:
    headings = [str(cell) for cell in _workbook().get_sheet_by_name(CHRONOLOGY_SHEET).to_python()[0]]
    assert headings == list(TEMPLATE_HEADINGS)
    for words in SIX_HEADINGS.values():
        assert words in headings
    mapping = map_headings(headings)
    assert mapping.is_complete
    assert sorted(mapping.mapped.values()) == sorted(spec.name for spec in FIELDS)


def test_it_has_guidance_and_a_hidden_lists_sheet() -> None:
    workbook = _workbook()
    assert workbook.sheet_names == [CHRONOLOGY_SHEET, GUIDANCE_SHEET, LISTS_SHEET]
    visibility = {sheet.name: sheet.visible for sheet in workbook.sheets_metadata}
    assert visibility[LISTS_SHEET] is SheetVisibleEnum.Hidden
    guidance = " ".join(
        str(cell) for row in workbook.get_sheet_by_name(GUIDANCE_SHEET).to_python() for cell in row
    )
    assert "?22/05/2016" in guidance
    assert "full contact extract" in guidance
    assert "nothing is saved" in guidance
    for spec in FIELDS:
        assert spec.heading in guidance
    lists = workbook.get_sheet_by_name(LISTS_SHEET).to_python()
    assert [row[0] for row in lists[1 : len(EVENT_TYPES) + 1]] == list(EVENT_TYPES.values())


def test_it_freezes_the_heading_row_and_adds_drop_downs() -> None:
    archive = zipfile.ZipFile(io.BytesIO(build_xlsx_template()))
    sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in sheet
    # event type, date precision, child seen, seen alone, first-hand, significant
    assert sheet.count("<dataValidation ") == 6
    assert "Lists!$A$2" in sheet
    assert "Lists!$B$2" in sheet
    assert "Lists!$C$2" in sheet
    assert "<cols>" in sheet


def test_it_imports_cleanly_once_filled_in() -> None:
    headings = [str(cell) for cell in _workbook().get_sheet_by_name(CHRONOLOGY_SHEET).to_python()[0]]
    column = {heading: index for index, heading in enumerate(headings)}
    rows = []
    for values in (
        {"Ref": 1, "Date": dt.date(2016, 5, 22), "Time": dt.time(14, 30), "Agency": "Northshire Police",
         "Source of information": "Command and control log 123", "Event type": "Police call-out or incident",
         "Event details": "Neighbour called about shouting", "Child seen": "yes", "Seen alone": "no"},
        {"Ref": 2, "Date": "?May 2016", "Agency": "Northshire Police", "Source of information": "PNC",
         "Event details": "Intelligence report", "Date precision": "uncertain", "First-hand or third-party": "third-party",
         SIX_HEADINGS["gap"]: "No record of a check on the child"},
    ):  # fmt: skip
        row: list[object] = [None] * len(headings)
        for heading, value in values.items():
            row[column[heading]] = value
        rows.append(row)
    data = xlsx_bytes(headings, rows)  # type: ignore[arg-type]
    result = import_file(data, "filled-in.xlsx")
    assert result.errors == []
    assert result.warnings == []
    first, second = result.entries
    assert first.event_type == "police_callout"
    assert first.seen_alone is False
    assert second.date.uncertain
    assert second.gap == "No record of a check on the child"


def test_it_makes_a_csv_template_with_the_same_headings() -> None:
    assert next(csv.reader(io.StringIO(build_csv_template()))) == list(TEMPLATE_HEADINGS)
