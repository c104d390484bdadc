"""An agency's own event-type values: kept as written, coded only when Chronicle knows them or the agency says."""

from __future__ import annotations

from collections.abc import Sequence

from chronicle.core.importing.readers import Table
from chronicle.core.importing.validate import import_file, import_table
from tests.core.import_files import csv_bytes

HEADINGS = ["Date", "Source of information", "Event type", "Event details"]


def _table(types: Sequence[str]) -> Table:
    rows = [
        (number, ["22/05/2016", "Niche log", value, "Officers attended"])
        for number, value in enumerate(types, 2)
    ]
    return Table.from_rows(HEADINGS, rows, fmt="xlsx")


POLICE_TYPES = ["Concern", "Arrest", "Information sharing", "Home visit", "Concern", "Police call-out", ""]


def test_it_accepts_a_file_of_the_agencys_own_event_types() -> None:
    result = import_table(_table(POLICE_TYPES), agency="Police", agency_type="police")
    assert result.ok
    assert len(result.entries) == len(POLICE_TYPES)


def test_it_keeps_every_value_exactly_as_written() -> None:
    result = import_table(_table(POLICE_TYPES), agency="Police", agency_type="police")
    assert [e.agency_event_type for e in result.entries] == POLICE_TYPES


def test_it_codes_only_the_values_chronicle_knows() -> None:
    result = import_table(_table(POLICE_TYPES), agency="Police", agency_type="police")
    assert [e.event_type for e in result.entries] == [
        None,
        "arrest",
        None,
        None,
        None,
        "police_callout",
        None,
    ]


def test_it_lists_each_unknown_value_once_with_its_rows() -> None:
    result = import_table(_table(POLICE_TYPES), agency="Police", agency_type="police")
    assert result.unknown_event_types == {
        "Concern": 2,
        "Information sharing": 1,
        "Home visit": 1,
    }


def test_it_warns_about_each_value_left_uncoded() -> None:
    result = import_table(_table(POLICE_TYPES), agency="Police", agency_type="police")
    messages = [w.message for w in result.warnings if w.column == "Event type"]
    assert len(messages) == 3
    assert any("2 rows have the event type 'Concern'" in m and "left uncoded" in m for m in messages)


def test_it_never_makes_a_police_home_visit_a_social_workers_visit() -> None:
    for agency_type in ("police", "health_trust", ""):
        result = import_table(_table(["Home visit", "Visit"]), agency="A", agency_type=agency_type)
        assert [e.event_type for e in result.entries] == [None, None], agency_type


def test_it_codes_a_social_workers_home_visit() -> None:
    result = import_table(_table(["Home visit"]), agency="CSC", agency_type="childrens_social_care")
    assert [e.event_type for e in result.entries] == ["visit"]
    assert result.unknown_event_types == {}


def test_it_applies_the_agencys_own_decisions_ignoring_case_and_spaces() -> None:
    decided = {
        "concern": "contact",
        "Home visit": "police_visit",
        "Information sharing": "",
    }
    result = import_table(
        _table(POLICE_TYPES), agency="Police", agency_type="police", event_type_codes=decided
    )
    assert [e.event_type for e in result.entries] == [
        "contact",
        "arrest",
        None,
        "police_visit",
        "contact",
        "police_callout",
        None,
    ]
    assert result.unknown_event_types == {}  # every value decided, even the one left uncoded
    assert result.event_type_codes == {
        "Concern": "contact",
        "Information sharing": "",
        "Home visit": "police_visit",
    }
    assert any("'Information sharing'" in w.message for w in result.warnings)  # uncoded: still warned


def test_it_reads_unknown_values_from_a_file_offline() -> None:
    data = csv_bytes(HEADINGS, [["22/05/2016", "Log 1", "Concern", "Call from school"]])
    result = import_file(data, "police.csv", agency="Police")
    assert result.ok
    assert result.entries[0].agency_event_type == "Concern"
    assert result.entries[0].event_type is None
