"""Validating a table into entries, all or nothing, with every error by row and column (CQ-01, CQ-03)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.core.dates import PartialDate
from chronicle.core.importing.headings import map_headings
from chronicle.core.importing.readers import Table
from chronicle.core.importing.validate import ImportResult, RowError, import_file, import_table
from tests.core.import_files import csv_bytes, xlsx_bytes

HEADINGS = ["Date", "Time", "Agency", "Source of information", "Event type", "Event details", "Child seen"]


def _table(rows: Sequence[Sequence[Any]], headings: list[str] | None = None, fmt: str = "xlsx") -> Table:
    numbered = [(number, list(cells)) for number, cells in enumerate(rows, start=2)]
    return Table.from_rows(headings or HEADINGS, numbered, fmt=fmt)


GOOD = ["22/05/2016", "14:30", "Police", "Log 123", "Police call-out", "Call to the home", "yes"]


def _errors(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.errors]


def test_it_makes_entries_from_valid_rows() -> None:
    result = import_table(_table([GOOD, ["?May 2016", "", "Police", "PNC", "", "Neighbour's report", ""]]))
    assert result.ok
    first, second = result.entries
    assert first.date == PartialDate(2016, 5, 22)
    assert first.time == dt.time(14, 30)
    assert first.agency == "Police"
    assert first.source == "Log 123"
    assert first.event_type == "police_callout"
    assert first.description == "Call to the home"
    assert first.child_seen is True
    assert first.row == 2
    assert second.date == PartialDate(2016, 5, uncertain=True)
    assert second.child_seen is None
    assert second.row == 3


def test_it_collects_every_error_with_row_and_heading_as_written() -> None:
    rows = [
        GOOD,
        ["31/02/2016", "", "Police", "Log", "", "Call", ""],  # impossible date
        ["05/22/2016", "", "Police", "Log", "", "Call", ""],  # month-first
        ["", "", "Police", "Log", "", "Call", ""],  # missing date
        ["22/05/2016", "", "Police", "", "", "Call", ""],  # no source (CQ-03)
        ["22/05/2016", "", "Police", "Log", "", "", ""],  # no description
        ["22/05/2016", "", "Police", "Log", "Tea party", "Call", ""],  # unknown event type: not an error
        ["22/05/2016", "", "Police", "Log", "", "Call", "maybe"],  # bad yes/no
        ["22/05/2016", "25:00", "Police", "Log", "", "Call", ""],  # bad time
    ]
    result = import_table(_table(rows))
    assert not result.ok
    assert result.entries == []  # all or nothing
    found = _errors(result)
    assert [(row, column) for row, column, _ in found] == [
        (3, "Date"),
        (4, "Date"),
        (5, "Date"),
        (6, "Source of information"),
        (7, "Event details"),
        (9, "Child seen"),
        (10, "Time"),
    ]
    messages = dict(((row, column), message) for row, column, message in found)
    assert "February 2016 has no day 31" in messages[(3, "Date")]
    assert "month-first" in messages[(4, "Date")]
    assert "missing" in messages[(5, "Date")]
    assert "CQ-03" in messages[(6, "Source of information")]
    assert "'maybe'" in messages[(9, "Child seen")]


def test_it_reports_several_errors_on_one_row_left_to_right() -> None:
    result = import_table(_table([["", "", "Police", "", "", "", ""]]))
    assert [(row, column) for row, column, _ in _errors(result)] == [
        (2, "Date"),
        (2, "Source of information"),
        (2, "Event details"),
    ]


def test_it_uses_the_heading_exactly_as_written_in_the_file() -> None:
    headings = ["EVENT DATE ", "Agency", "Source of Information", "Details"]
    result = import_table(_table([["32/01/2016", "Police", "Log", "Call"]], headings))
    assert _errors(result)[0][:2] == (2, "EVENT DATE")


def test_it_maps_event_type_codes_labels_and_common_wordings() -> None:
    rows = [
        [*GOOD[:4], value, *GOOD[5:]]
        for value in (
            "strategy_discussion",
            "Strategy discussion",
            "Strategy meeting",
            "S47",
            "A&E",
            "home visit",
        )
    ]
    result = import_table(_table(rows), agency_type="childrens_social_care")
    assert result.ok
    assert [entry.event_type for entry in result.entries] == [
        "strategy_discussion",
        "strategy_discussion",
        "strategy_discussion",
        "s47_start",
        "ae_attendance",
        "visit",
    ]


def test_it_reads_yes_no_answers_in_their_usual_forms() -> None:
    rows = [[*GOOD[:6], value] for value in ("Yes", "Y", "no", "N", "TRUE", "n/a", "", True, 0)]
    result = import_table(_table(rows))
    assert [entry.child_seen for entry in result.entries] == [
        True,
        True,
        False,
        False,
        True,
        None,
        None,
        True,
        False,
    ]


def test_it_uses_the_agency_given_at_upload_and_warns_once_about_other_names() -> None:
    rows = [GOOD, [*GOOD[:2], "", *GOOD[3:]], [*GOOD[:2], "Police - CAIT", *GOOD[3:]]]
    result = import_table(_table(rows), agency="Northshire Police")
    assert result.ok
    assert {entry.agency for entry in result.entries} == {"Northshire Police"}
    assert len(result.warnings) == 1
    assert "2 rows name another agency" in result.warnings[0].message


def test_it_requires_an_agency_on_every_row_when_none_is_given() -> None:
    result = import_table(_table([[*GOOD[:2], "", *GOOD[3:]]]))
    assert _errors(result) == [(2, "Agency", "the agency is missing")]


def test_it_reports_missing_required_columns_on_the_heading_row_and_stops() -> None:
    result = import_table(_table([["22/05/2016", "Call"]], ["When", "Event"]))
    assert [(row, column) for row, column, _ in _errors(result)] == [
        (1, "Date"),
        (1, "Agency"),
        (1, "Source of information"),
    ]
    assert "'Event date'" in result.errors[0].message
    assert result.unrecognised_headings == ["When"]


def test_it_applies_a_person_s_mapping_given_as_choices() -> None:
    headings = ["When", "Happening", "Record", "Colour"]
    table = _table([["22/05/2016", "Call", "Log", "blue"]], headings)
    result = import_table(table, agency="Police", mapping={"When": "date", "Happening": "description"})
    assert result.ok
    entry = result.entries[0]
    assert entry.description == "Call"
    assert entry.extra == {"Colour": "blue"}  # undecided columns are kept, never dropped
    ignored = import_table(
        table, agency="Police", mapping={"When": "date", "Happening": "description", "Colour": "ignore"}
    )
    assert ignored.entries[0].extra == {}


def test_it_accepts_a_heading_mapping_object_from_the_mapping_step() -> None:
    table = _table([["22/05/2016", "Call", "Log"]], ["Date", "Event", "Source"])
    mapping = map_headings(table.headings)  # made without knowing the agency
    assert import_table(table, agency="Police", mapping=mapping).ok


def test_it_refuses_two_columns_for_the_same_field() -> None:
    table = _table(
        [["22/05/2016", "23/05/2016", "Police", "Log", "Call"]],
        ["Date", "Event date", "Agency", "Source", "Event"],
    )
    result = import_table(table)
    assert _errors(result)[0][:2] == (1, "Event date")
    assert "'Date'" in result.errors[0].message


def test_it_coarsens_dates_by_the_precision_column_and_reports_bad_precisions() -> None:
    headings = ["Date", "Date precision", "Agency", "Source", "Event"]
    rows: list[list[Any]] = [
        [dt.date(2016, 5, 1), "month", "Police", "Log", "Call"],
        ["01/01/2016", "year", "Police", "Log", "Call"],
        ["22/05/2016", "fortnight", "Police", "Log", "Call"],
        ["May 2016", "day", "Police", "Log", "Call"],
    ]
    result = import_table(_table(rows, headings))
    assert [(row, column) for row, column, _ in _errors(result)] == [(4, "Date precision"), (5, "Date")]
    fixed = import_table(_table(rows[:2], headings))
    assert [entry.date for entry in fixed.entries] == [PartialDate(2016, 5), PartialDate(2016)]


def test_it_refuses_an_end_before_the_start() -> None:
    headings = ["Date", "Time", "End date", "End time", "Agency", "Source", "Event"]
    rows = [
        ["22/05/2016", "", "21/05/2016", "", "Police", "Log", "Missing episode"],
        ["22/05/2016", "14:00", "22/05/2016", "13:00", "Police", "Log", "Missing episode"],
        ["22/05/2016", "14:00", "", "15:00", "Police", "Log", "Missing episode"],
        ["May 2016", "", "03/05/2016", "", "Police", "Log", "Admission"],  # cannot tell: accepted
    ]
    result = import_table(_table(rows, headings))
    assert [(row, column) for row, column, _ in _errors(result)] == [(2, "End date"), (3, "End date")]
    assert "before the start date" in result.errors[0].message
    assert "end time 13:00 is before the start time 14:00" in result.errors[1].message


def test_it_keeps_the_end_date_and_time() -> None:
    headings = ["Date", "End date", "End time", "Agency", "Source", "Event"]
    result = import_table(
        _table([["22/05/2016", "24/05/2016", "09:00", "Health", "Ward notes", "Admitted"]], headings)
    )
    entry = result.entries[0]
    assert entry.end_date == PartialDate(2016, 5, 24)
    assert entry.end_time == dt.time(9, 0)


def test_it_takes_the_time_from_a_date_cell_when_there_is_no_time() -> None:
    headings = ["Date", "Agency", "Source", "Event"]
    result = import_table(_table([[dt.datetime(2016, 5, 22, 9, 15), "Health", "Notes", "Seen"]], headings))
    assert result.entries[0].time == dt.time(9, 15)


def test_it_warns_about_two_digit_years_approximate_dates_and_formulas_in_csv() -> None:
    headings = ["Date", "Agency", "Source", "Event"]
    rows = [
        ["22/05/16", "Police", "Log", "Call"],
        ["approx May 2016", "Police", "Log", "Call"],
        ["22/05/2016", "Police", "=cmd|' /C calc'!A0", "Call"],
    ]
    result = import_table(_table(rows, headings, fmt="csv"))
    assert result.ok
    assert [(w.row, w.column) for w in result.warnings] == [(2, "Date"), (3, "Date"), (4, "Source")]
    assert "two-digit year" in result.warnings[0].message
    assert "approximate" in result.warnings[1].message
    assert "never run" in result.warnings[2].message
    assert result.entries[2].source == "=cmd|' /C calc'!A0"  # kept as text


def test_it_keeps_text_from_numbers_and_reads_the_other_fields() -> None:
    headings = [
        "Ref", "Date", "Agency", "Source", "Event", "Action taken", "Outcome", "Significance", "Seen alone",
        "Child's voice", "Recorded by", "Date recorded", "First-hand or third-party", "Significant",
        "Gap in the record", "Learning point",
    ]  # fmt: skip
    row = [
        7.0, "22/05/2016", "Health", "EMIS", "Seen", "Referred", "Plan", "Bruise on a baby", "no", "Said it hurt",
        "Health visitor", "23/05/2016", "third-party", "yes", "No record of the body map", "Body maps",
    ]  # fmt: skip
    entry = import_table(_table([row], headings)).entries[0]
    assert entry.entry_ref == "7"
    assert (entry.action, entry.outcome, entry.significance) == ("Referred", "Plan", "Bruise on a baby")
    assert entry.seen_alone is False
    assert entry.child_voice == "Said it hurt"
    assert entry.recorded_by == "Health visitor"
    assert entry.recorded_on == dt.date(2016, 5, 23)
    assert entry.first_hand is False
    assert entry.significant is True
    assert entry.gap == "No record of the body map"
    assert entry.learning_point == "Body maps"


def test_it_skips_blank_rows_and_refuses_a_file_with_no_entries() -> None:
    result = import_table(_table([["", "", "", "", "", "", ""], GOOD, [None] * 7]))
    assert [entry.row for entry in result.entries] == [3]
    empty = import_table(_table([["", "", "", "", "", "", ""]]))
    assert "no entries" in empty.errors[0].message


def test_it_handles_rows_shorter_than_the_headings() -> None:
    result = import_table(_table([GOOD[:6]]))
    assert result.ok
    assert result.entries[0].child_seen is None


def test_it_imports_a_file_end_to_end() -> None:
    data = xlsx_bytes(HEADINGS, [[dt.date(2016, 5, 22), dt.time(14, 30), *GOOD[2:]]])
    result = import_file(data, "police.xlsx")
    assert result.ok
    assert result.entries[0].time == dt.time(14, 30)
    assert result.format == "xlsx"


def test_it_imports_a_csv_file_from_a_path(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "police.csv"
    path.write_bytes(csv_bytes(HEADINGS, [GOOD]))
    assert import_file(path).ok


def test_it_formats_row_errors_for_people() -> None:
    assert str(RowError(4, "Date", "the date is missing")) == "Row 4, column 'Date': the date is missing"
    assert RowError(4, "Date", "x").as_dict() == {"row": 4, "column": "Date", "message": "x"}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
            st.booleans(),
            st.text(alphabet="abc xyz", min_size=0, max_size=8),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_it_is_all_or_nothing(rows: list[tuple[dt.date, bool, str]]) -> None:
    cells = [
        [f"{day:%d/%m/%Y}", "", "Police", "Log" if has_source else "", "", text, ""]
        for day, has_source, text in rows
    ]
    result = import_table(_table(cells))
    expected_errors = sum((not has_source) + (not text.strip()) for _, has_source, text in rows)
    assert len(result.errors) == expected_errors
    if expected_errors:
        assert result.entries == []
    else:
        assert [entry.date.start for entry in result.entries] == [day for day, _, _ in rows]


def test_it_keeps_values_from_a_column_without_a_heading() -> None:
    table = _table(
        [["22/05/2016", "Police", "Log", "Call", "note"]], ["Date", "Agency", "Source", "Event", ""]
    )
    assert import_table(table).entries[0].extra == {"column E": "note"}
