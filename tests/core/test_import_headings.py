"""Matching agencies' column headings to the canonical entry fields (design §4, CQ-D)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.entries import SIX_HEADINGS, Entry
from chronicle.core.importing.headings import (
    EXTRA,
    FIELDS,
    IGNORE,
    MappingError,
    apply_user_mapping,
    column_letter,
    field_for_heading,
    map_headings,
    resolve_choice,
)


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Date", "date"),
        ("Event date", "date"),
        ("START DATE", "date"),
        ("Date of event", "date"),
        ("Date (dd/mm/yyyy)", "date"),
        ("Time", "time"),
        ("Start time", "time"),
        ("End date", "end_date"),
        ("End time", "end_time"),
        ("Source", "source"),
        ("Source of Information", "source"),
        ("source_of_information", "source"),
        ("Record", "source"),
        ("Record reference", "source"),
        ("Agency", "agency"),
        ("Organisation", "agency"),
        ("Organization", "agency"),
        ("Event", "description"),
        ("Details", "description"),
        ("Description", "description"),
        ("Summary", "description"),
        ("Event details:", "description"),
        ("Event type", "event_type"),
        ("Type", "event_type"),
        ("Category", "event_type"),
        ("Action", "action"),
        ("Action taken", "action"),
        ("Decision", "action"),
        ("Outcome", "outcome"),
        ("Significance", "significance"),
        ("Analysis", "significance"),
        ("Impact", "significance"),
        ("Significance or impact on child", "significance"),
        ("Significance / impact on child", "significance"),
        ("Date precision", "date_precision"),
        ("date_precision", "date_precision"),
        ("Precision", "date_precision"),
        ("Child seen", "child_seen"),
        ("Seen alone", "seen_alone"),
        ("Child's voice", "child_voice"),
        ("Recorded by", "recorded_by"),
        ("Ref", "entry_ref"),
        ("Event Ref", "entry_ref"),
        ("Sequence", "entry_ref"),
        ("Serial", "entry_ref"),
        ("Good practice required", "practice_required"),
        ("Gap in the record", "gap"),
        ("Information obtained from staff", "staff_information"),
        ("Learning point", "learning_point"),
        ("Multi-agency judgement", "multi_agency_point"),
    ],
)
def test_it_maps_common_headings_ignoring_case_and_punctuation(heading: str, field: str) -> None:
    assert field_for_heading(heading) == field


def test_it_maps_the_six_headings_by_their_full_wording() -> None:
    for name, words in SIX_HEADINGS.items():
        assert field_for_heading(words) == name


def test_it_maps_every_field_to_a_real_entry_attribute() -> None:
    attributes = set(Entry.__dataclass_fields__)
    for spec in FIELDS:
        assert spec.name in attributes or spec.name == "date_precision", spec.name


def test_it_reports_unrecognised_headings_and_missing_required_fields() -> None:
    mapping = map_headings(["When", "Agency", "Happening", "Source"])
    assert mapping.mapped == {1: "agency", 3: "source"}
    assert mapping.unrecognised == ["When", "Happening"]
    assert mapping.missing_required == ["date", "description"]
    assert not mapping.is_complete


def test_it_does_not_require_an_agency_column_when_the_agency_is_given() -> None:
    assert "agency" in map_headings(["Date", "Event", "Source"]).missing_required
    assert map_headings(["Date", "Event", "Source"], agency_given=True).missing_required == []


def test_it_reports_a_second_column_for_the_same_field_as_a_duplicate() -> None:
    mapping = map_headings(["Date", "Event date", "Event", "Source", "Agency"])
    assert mapping.mapped[0] == "date"
    assert mapping.duplicates == ((1, "date"),)
    assert not mapping.is_complete


def test_it_applies_a_person_s_mapping_by_heading_or_column() -> None:
    mapping = map_headings(["When", "Agency", "Happening", "Source", "Notes", "Colour"])
    choices: dict[str | int, str | None] = {
        "when": "Date",
        "Happening": "description",
        "Notes": "ignore",
        5: "extra",
    }
    chosen = apply_user_mapping(mapping, choices)
    assert chosen.mapped == {0: "date", 1: "agency", 2: "description", 3: "source"}
    assert chosen.ignored == frozenset({4})
    assert chosen.extra == frozenset({5})
    assert chosen.unrecognised == []
    assert chosen.is_complete


def test_it_moves_a_field_to_the_column_the_person_chose() -> None:
    mapping = map_headings(["Date", "Actual date", "Event", "Source", "Agency"])
    chosen = apply_user_mapping(mapping, {"Actual date": "date"})
    assert chosen.mapped[1] == "date"
    assert 0 not in chosen.mapped
    assert chosen.unrecognised == ["Date"]  # the other column goes back to the person


def test_it_resolves_a_duplicate_when_the_first_column_is_ignored() -> None:
    mapping = map_headings(["Date", "Event date", "Event", "Source", "Agency"])
    chosen = apply_user_mapping(mapping, {"Date": IGNORE})
    assert chosen.mapped[1] == "date"
    assert chosen.duplicates == ()


def test_it_gives_every_decision_needed_to_map_the_same_columns_again() -> None:
    headings = ["when", "Agency", "Happening", "Source", "Notes", "Colour", "Date"]
    chosen = apply_user_mapping(
        map_headings(headings),
        {"when": "date", "Happening": "description", "Notes": IGNORE, 5: EXTRA, 6: IGNORE},
    )
    decisions = chosen.decisions()
    assert decisions == {
        0: "date",
        1: "agency",
        2: "description",
        3: "source",
        4: IGNORE,
        5: EXTRA,
        6: IGNORE,
    }
    again = apply_user_mapping(map_headings(headings), decisions)
    assert (again.mapped, again.ignored, again.extra) == (chosen.mapped, chosen.ignored, chosen.extra)
    assert again.is_complete


def test_it_names_the_unknown_heading_or_field_in_a_mapping_error() -> None:
    mapping = map_headings(["Date", "Event", "Source"])
    with pytest.raises(MappingError, match="'Happening'"):
        apply_user_mapping(mapping, {"Happening": "description"})
    with pytest.raises(MappingError, match="'colour' is not a field"):
        apply_user_mapping(mapping, {"Event": "colour"})


def test_it_accepts_ignore_and_extra_in_several_words() -> None:
    assert resolve_choice(None) == IGNORE
    assert resolve_choice("Skip") == IGNORE
    assert resolve_choice("keep") == EXTRA
    assert resolve_choice("Source of information") == "source"


def test_it_names_columns_as_spreadsheets_do() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_it_names_a_blank_heading_by_its_column_letter() -> None:
    mapping = map_headings(["Date", "", "Event"])
    assert mapping.heading_of(1) == "column B"


@given(st.sampled_from([name for spec in FIELDS for name in (spec.heading, *spec.synonyms)]), st.data())
def test_it_ignores_case_spacing_and_punctuation_in_every_synonym(heading: str, data: st.DataObject) -> None:
    expected = field_for_heading(heading)
    decorated = data.draw(
        st.sampled_from([heading.upper(), f"  {heading.lower()} ", heading.replace(" ", "_"), f"{heading}:"])
    )
    assert field_for_heading(decorated) == expected
