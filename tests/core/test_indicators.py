"""The serious-harm indicator lexicon."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.indicators import (
    INDICATORS,
    TERMS,
    IndicatorKind,
    IndicatorMatch,
    match_indicators,
    serious_harm_matches,
)


def _ids(matches: list[IndicatorMatch]) -> set[str]:
    return {match.indicator_id for match in matches}


def _by_id(text: str, indicator_id: str, *, infant: bool | None = None) -> IndicatorMatch:
    found = {match.indicator_id: match for match in match_indicators(text, infant=infant)}
    assert indicator_id in found, f"{indicator_id} not found in {text!r}: {sorted(found)}"
    return found[indicator_id]


@pytest.mark.parametrize(
    ("text", "indicator_id"),
    [
        ("baby was shaken by father", "SHI-01"),
        ("mother reports shaking him", "SHI-01"),
        ("CT shows a head injury", "SHI-02"),
        ("abusive head trauma suspected", "SHI-02"),
        ("bilateral subdural haemorrhages", "SHI-03"),
        ("SUBDURAL HEMATOMA", "SHI-03"),
        ("retinal haemorrhages seen", "SHI-04"),
        ("retinal hemorrhage (US spelling)", "SHI-04"),
        ("skull fracture on CT", "SHI-05"),
        ("a fractured skull", "SHI-05"),
        ("fracture of the femur in a 10-week-old", "SHI-06"),
        ("infant with rib fractures", "SHI-06"),
        ("broken arm, three months old", "SHI-06"),
        ("bruising to the cheek of a non-mobile child", "SHI-07"),
        ("bruise on the baby's ear", "SHI-07"),
        ("potentially life-threatening injuries", "SHI-08"),
        ("life threatening condition", "SHI-08"),
        ("the child died in hospital", "SHI-09"),
        ("found unresponsive in cot", "SHI-10"),
        ("admitted to PICU", "SHI-11"),
        ("transferred to intensive care", "SHI-11"),
        ("scald to legs, admitted to the burns unit", "SHI-12"),
        ("a small burn on the hand", "SHI-13"),
        ("suspected suffocation", "SHI-14"),
        ("concerns of fabricated or induced illness", "SHI-14"),
        ("methadone poisoning", "SHI-15"),
        ("paracetamol overdose", "SHI-16"),
        ("disclosed sexual abuse", "SHI-17"),
        ("sexually assaulted at a party", "SHI-17"),
        ("serious self-harm requiring stitches", "SHI-18"),
        ("attempted suicide", "SHI-18"),
        ("suspected suicide", "SHI-19"),
        ("lacerated liver", "SHI-20"),
        ("permanent brain damage", "SHI-21"),
    ],
)
def test_it_finds_each_indicator(text: str, indicator_id: str) -> None:
    match = _by_id(text, indicator_id)
    assert not match.negated
    assert match.words


def test_it_reports_the_words_source_and_verification_of_a_match() -> None:
    match = _by_id("A three-month-old with a life-threatening head injury", "SHI-08")
    assert match.words == ("life-threatening",)
    assert match.label == "Life-threatening injury or condition"
    assert "CR-12" in match.source
    assert match.kind is IndicatorKind.SERIOUS_HARM
    assert match.verified is True
    assert _by_id("shaken", "SHI-01").verified is False  # SH-RULE is a proposal [G]


@pytest.mark.parametrize(
    "text",
    [
        "no head injury",
        "No evidence of head injury.",
        "there was no sign of a head injury",
        "head injury ruled out by CT",
        "mother denied shaking the baby",
        "the baby was not shaken",
        "without any fracture in this infant",
    ],
)
def test_it_marks_negated_mentions(text: str) -> None:
    matches = [match for match in match_indicators(text) if match.kind is IndicatorKind.SERIOUS_HARM]
    assert matches, text
    assert all(match.negated for match in matches)
    assert serious_harm_matches(match_indicators(text)) == []


def test_it_does_not_let_a_distant_negation_cancel_a_later_mention() -> None:
    match = _by_id("The baby was not breathing when found and had a head injury", "SHI-02")
    assert match.negated is False


def test_it_stops_a_negation_at_the_end_of_a_clause() -> None:
    assert _by_id("No bruising seen; head injury confirmed", "SHI-02").negated is False


def test_it_counts_a_term_as_not_negated_when_any_mention_is_positive() -> None:
    assert _by_id("No head injury on arrival. Later CT: head injury.", "SHI-02").negated is False


def test_it_needs_a_baby_for_a_fracture_indicator() -> None:
    assert "SHI-06" not in _ids(match_indicators("fractured wrist playing rugby"))
    assert "SHI-07" not in _ids(match_indicators("bruising to the shin after football"))


def test_it_uses_known_infancy_in_place_of_a_companion_word() -> None:
    assert "SHI-06" in _ids(match_indicators("fractured wrist", infant=True))
    assert "SHI-07" in _ids(match_indicators("bruise on the cheek", infant=True))


def test_it_needs_the_companion_nearby() -> None:
    text = "The baby was well at the health visitor contact. " + "x " * 200 + "Sibling's wrist fracture."
    assert "SHI-06" not in _ids(match_indicators(text))


def test_it_treats_bruising_and_minor_burns_as_concerns_not_serious_harm() -> None:
    matches = match_indicators("bruising on a non-mobile baby; small burn to finger")
    assert {match.indicator_id for match in matches} == {"SHI-07", "SHI-13"}
    assert serious_harm_matches(matches) == []


@pytest.mark.parametrize(
    "text",
    ["milkshake spilled", "the retina was normal", "he was a fractious toddler", "the burnside estate", ""],
)
def test_it_ignores_words_that_merely_contain_a_term(text: str) -> None:
    assert match_indicators(text) == []


def test_it_keeps_ids_unique_and_terms_known() -> None:
    term_ids = {term.id for term in TERMS}
    assert len(term_ids) == len(TERMS)
    assert len({indicator.id for indicator in INDICATORS}) == len(INDICATORS)
    for indicator in INDICATORS:
        assert set(indicator.terms) <= term_ids
        assert set(indicator.companions) <= term_ids
        assert indicator.tag in {"P", "S", "G"}
        assert re.search(r"(CR|SH)-", indicator.source)


def test_it_keeps_term_patterns_in_lower_case_for_the_fast_scan() -> None:
    for term in TERMS:
        assert re.sub(r"\\[a-z]", "", term.pattern) == re.sub(r"\\[a-z]", "", term.pattern).lower(), term.id
        assert not re.search(r"\\[A-Z]", term.pattern), term.id


def test_it_matches_upper_case_text_and_keeps_the_original_words() -> None:
    assert _by_id("ADMITTED TO PICU", "SHI-11").words == ("PICU",)
    # "İ" grows when lower-cased; the positions must still point at the right words.
    assert _by_id("İİİ baby SHAKEN", "SHI-01").words == ("SHAKEN",)


@given(st.text(max_size=300))
def test_it_never_fails_on_any_text(text: str) -> None:
    for match in match_indicators(text):
        assert match.words
        for word in match.words:
            assert word in text
