"""Event types from the transparent lexicon; the agency's own code always wins."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.classify import (
    LEXICON_PATH,
    classify,
    classify_text,
    evaluate_lexicon,
    load_lexicon,
    main,
    resolved_types,
)
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.event_types import EVENT_TYPES

LABELLED = Path(__file__).parent.parent / "data" / "event_types_labelled.csv"


def _entry(text: str, code: str | None = None, outcome: str = "") -> Entry:
    return Entry("Police", PartialDate(2016, 5, 3), text, event_type=code, outcome=outcome)


def test_it_lets_the_agencys_own_code_win() -> None:
    result = classify(_entry("Strategy discussion held", code="police_callout"))
    assert (result.code, result.source, result.matched_words) == ("police_callout", "agency", ())


def test_it_reads_the_type_from_the_words_and_says_which_words() -> None:
    result = classify(_entry("Strategy discussion held with police and health"))
    assert result.code == "strategy_discussion"
    assert result.source == "lexicon"
    assert result.matched_words == ("strategy discussion",)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Referred to children's social care by the GP", "referral"),
        ("MASH contact from police", "referral"),
        ("Strat disc with DS Smith", "strategy_discussion"),
        ("HV new birth visit, baby feeding well", "hv_contact"),
        ("Attended A&E with a fractured wrist", "ae_attendance"),
        ("Police called to domestic incident", "domestic_abuse"),
        ("ICPC held", "icpc"),
        ("Section 47 enquiries concluded, concerns substantiated", "s47_outcome"),
        ("Fixed-term exclusion for 2 days", "school_exclusion"),
    ],
)
def test_it_recognises_common_agency_wording(text: str, code: str) -> None:
    assert classify_text(text).code == code


def test_it_reads_the_action_and_outcome_too() -> None:
    assert classify(_entry("Meeting held", outcome="child made subject to a child protection plan")).code == (
        "cp_plan_start"
    )


def test_it_matches_whole_words_only() -> None:
    assert classify_text("Strategic review of the hvac system").code is None
    assert classify_text("Mum demonstrated good routines at teatime").code is None


def test_it_finds_no_type_in_unrelated_text() -> None:
    result = classify_text("Family moved to a new flat")
    assert (result.code, result.source, result.matched_words) == (None, None, ())


@given(st.text(max_size=200))
def test_it_never_fails_on_any_text(text: str) -> None:
    result = classify_text(text)
    assert result.code is None or result.code in EVENT_TYPES


def test_it_gives_one_type_per_entry_for_other_analyses() -> None:
    entries = [_entry("Strategy discussion"), _entry("x", code="visit"), _entry("Moved house")]
    assert resolved_types(entries) == ["strategy_discussion", "visit", None]


def test_it_reads_repeated_descriptions_with_their_own_action_and_outcome() -> None:
    entries = [
        _entry("Telephone call to mother"),
        Entry(
            "GP", PartialDate(2020), "Telephone call to mother", outcome="referred to children's social care"
        ),
        _entry("Telephone call to mother"),
        Entry("GP", PartialDate(2020), "Telephone call to mother", action="home visit by social worker"),
    ]
    assert resolved_types(entries) == [classify(entry).code for entry in entries]
    assert len(set(resolved_types(entries))) >= 2


def test_it_meets_its_measured_accuracy_on_the_labelled_set() -> None:
    result = evaluate_lexicon(LABELLED)
    assert result.rows >= 200
    assert result.accuracy >= 0.9  # docs/event-types.md reports 92%; a drop means the lexicon got worse
    by_code = {score.code: score for score in result.scores}
    assert all(by_code[code].support >= 3 for code in EVENT_TYPES)  # every type has examples
    assert len(result.mistakes) == result.rows - result.correct


def test_it_prints_the_evaluation_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(LABELLED)]) == 0
    out = capsys.readouterr().out
    assert "| Strategy discussion | `strategy_discussion` |" in out
    assert "descriptions given a different type" in out


def test_it_names_the_row_and_column_of_a_bad_label(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("description,event_type\nStrategy discussion,strategy_discussion\nVisit,home_visit\n")
    with pytest.raises(ValueError, match="row 3, column event_type: 'home_visit' is not a code"):
        evaluate_lexicon(path)


def _lexicon_file(tmp_path: Path, types: dict[str, object]) -> Path:
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps({"types": types}))
    return path


def test_it_names_the_type_and_pattern_at_fault_in_a_lexicon(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=re.escape("types.visit.strong: 'home (visit' is not valid")):
        load_lexicon(_lexicon_file(tmp_path, {"visit": {"strong": ["home (visit"]}}))
    with pytest.raises(ValueError, match=re.escape("types.home_visit is not an event-type code")):
        load_lexicon(_lexicon_file(tmp_path, {"home_visit": {"strong": ["visit"]}}))
    with pytest.raises(ValueError, match=re.escape("types.visit.weak: 'Visit' must be in lower case")):
        load_lexicon(_lexicon_file(tmp_path, {"visit": {"weak": ["Visit"]}}))
    with pytest.raises(ValueError, match=re.escape("types.visit.weak must be a list of non-empty strings")):
        load_lexicon(_lexicon_file(tmp_path, {"visit": {"weak": "visit"}}))


def test_it_keeps_the_shipped_lexicon_valid_and_covering_every_type() -> None:
    lexicon = load_lexicon(LEXICON_PATH)
    coded = {p.code for p in lexicon.patterns}
    assert coded == set(EVENT_TYPES) - {"other"}
