"""Context rows: an agency column value that is not an agency (family, court, coroner, media, review)."""

from __future__ import annotations

import datetime as dt

import pytest

from chronicle.core.agency_kinds import is_context_source
from chronicle.core.analysis import analyse
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry, EntryKind
from chronicle.core.importing.readers import read_table
from chronicle.core.importing.validate import import_table

CSV = (
    b"Agency,Date,Source of information,Event details\n"
    b"Police,03/01/2024,Niche 24/101,Police called to the home\n"
    b"Family (context),05/01/2024,Mother's account to the review,Mother says the baby was unsettled\n"
    b"Crown Court,20/06/2024,Court record,Father sentenced\n"
    b"Crown Court,21/06/2024,Court record,Reporting restrictions made\n"
)


@pytest.mark.parametrize(
    "name",
    [
        "Family (context)",
        "Family",
        "Community context",
        "Crown Court",
        "Coroner",
        "Inquest",
        "Media report",
        "Serious case review",
        "Local newspaper",
    ],
)
def test_it_reads_family_court_coroner_media_and_review_as_context(name: str) -> None:
    assert is_context_source(name)


@pytest.mark.parametrize(
    "name",
    [
        "Police",
        "Children's Social Care",
        "Family Nurse Partnership",
        "Family Support Service",
        "Independent Reviewing Officer",
        "Riverside GP Practice",
    ],
)
def test_it_reads_agencies_as_agencies(name: str) -> None:
    assert not is_context_source(name)


def test_it_keeps_context_rows_as_context_entries_under_their_own_name() -> None:
    result = import_table(read_table(CSV, "composite.csv"))
    assert not result.errors
    assert [(e.agency, e.kind) for e in result.entries] == [
        ("Police", EntryKind.RECORD),
        ("Family (context)", EntryKind.CONTEXT),
        ("Crown Court", EntryKind.CONTEXT),
        ("Crown Court", EntryKind.CONTEXT),
    ]
    assert result.context_sources == {"Crown Court": 2, "Family (context)": 1}


def test_it_lets_a_person_say_a_value_is_an_agency_after_all() -> None:
    result = import_table(read_table(CSV, "composite.csv"), not_context=["crown court"])
    assert [e.kind for e in result.entries if e.agency == "Crown Court"] == [EntryKind.RECORD] * 2
    assert result.context_sources == {"Family (context)": 1}


def test_it_keeps_the_written_source_of_a_context_row_when_the_agency_is_chosen_at_upload() -> None:
    result = import_table(read_table(CSV, "police.csv"), agency="Police")
    court = [e for e in result.entries if e.kind is EntryKind.CONTEXT]
    assert [(e.agency, e.extra) for e in court] == [
        ("Police", {"Agency": "Family (context)"}),
        ("Police", {"Agency": "Crown Court"}),
        ("Police", {"Agency": "Crown Court"}),
    ]
    assert not any("name another agency" in w.message for w in result.warnings)  # context is no agency


def _day(month: int, day: int) -> PartialDate:
    return PartialDate(2024, month, day)


def test_it_gives_context_no_scorecard_and_lets_it_end_no_silence() -> None:
    entries = [
        Entry("Police", _day(1, 3), "Police called to the home", source="Niche", row=2),
        Entry(
            "Crown Court",
            _day(3, 1),
            "Father appeared at court",
            source="Court record",
            row=2,
            kind=EntryKind.CONTEXT,
        ),
        Entry("Police", _day(6, 1), "Police welfare check at the home", source="Niche", row=3),
    ]
    result = analyse(entries, silence_threshold_days=42)
    assert set(result.scorecards) == {"Police"}
    assert "Crown Court" in result.agencies  # still shown and filterable
    assert [e.agency for e in result.entries].count("Crown Court") == 1
    assert [(p.start, p.end) for p in result.silent_periods] == [(dt.date(2024, 1, 4), dt.date(2024, 5, 31))]
