"""Consistent pseudonyms across agencies, the key holder's way back, and formula-safe cells."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.pseudonyms import (
    FORMULA_STARTS,
    Person,
    Pseudonymiser,
    neutralise_formula,
    neutralise_row,
    pseudonymise_fields,
)

KEY = b"0123456789abcdef-partnership-key"
PEOPLE = [
    Person("Jane Smith", aliases=("Mum", "Janey")),
    Person("Kyle Brown", aliases=("Mr Brown",)),
    Person("Ann Lee"),
]


def test_it_gives_the_same_pseudonym_to_the_same_name_whatever_the_case_or_spacing() -> None:
    maker = Pseudonymiser(KEY)
    assert maker.pseudonym("Jane Smith") == maker.pseudonym("  JANE   smith ")
    assert maker.pseudonym("Jane Smith").startswith("Person ")
    assert maker.pseudonym("Jane Smith") != maker.pseudonym("Kyle Brown")


def test_it_gives_the_same_pseudonym_across_agencies_and_exports() -> None:
    police = Pseudonymiser(KEY).apply("Jane Smith called police.", PEOPLE)
    health = Pseudonymiser(KEY).apply("HV saw jane smith at home.", PEOPLE)
    code = Pseudonymiser(KEY).pseudonym("Jane Smith")
    assert police == f"{code} called police."
    assert health == f"HV saw {code} at home."


def test_it_gives_different_pseudonyms_under_a_different_key() -> None:
    assert Pseudonymiser(KEY).pseudonym("Jane Smith") != Pseudonymiser(b"another-key-of-16-bytes").pseudonym(
        "Jane Smith"
    )


def test_it_replaces_aliases_with_the_persons_pseudonym_as_whole_words_only() -> None:
    maker = Pseudonymiser(KEY)
    jane, kyle, ann = (maker.pseudonym(p.name) for p in PEOPLE)
    text = "Mum (Janey) said Mr Brown hit her; Annual review with Ann Lee. Mummy's friend Annette came."
    result = maker.apply(text, PEOPLE)
    assert result == (
        f"{jane} ({jane}) said {kyle} hit her; Annual review with {ann}. Mummy's friend Annette came."
    )


def test_it_prefers_the_longest_name_where_names_overlap() -> None:
    maker = Pseudonymiser(KEY)
    people = [Person("Kyle"), Person("Kyle Brown")]
    assert maker.apply("Kyle Brown and Kyle", people) == (
        f"{maker.pseudonym('Kyle Brown')} and {maker.pseudonym('Kyle')}"
    )


def test_it_lets_only_the_key_holders_table_reverse_pseudonyms() -> None:
    maker = Pseudonymiser(KEY)
    table = maker.table(PEOPLE)
    hidden = maker.apply("Jane Smith and Mr Brown", table)
    assert "Jane" not in hidden and "Brown" not in hidden
    assert table.reverse(hidden) == "Jane Smith and Kyle Brown"


def test_it_refuses_one_name_for_two_people() -> None:
    with pytest.raises(ValueError, match="the name 'mum' is given for both 'Jane Smith' and 'Lisa Smith'"):
        Pseudonymiser(KEY).table([Person("Jane Smith", ("Mum",)), Person("Lisa Smith", ("mum",))])


def test_it_refuses_a_short_key_and_never_shows_the_key() -> None:
    with pytest.raises(ValueError, match="at least 16 random bytes"):
        Pseudonymiser(b"short")
    assert "0123456789abcdef" not in repr(Pseudonymiser(KEY))


def test_it_refuses_an_empty_name() -> None:
    with pytest.raises(ValueError, match="empty name"):
        Pseudonymiser(KEY).pseudonym("   ")


def test_it_replaces_names_in_chosen_fields_of_a_record() -> None:
    maker = Pseudonymiser(KEY)
    table = maker.table(PEOPLE)
    record = {"description": "Ann Lee seen", "source": "Ann Lee's file", "agency": "Ann Lee School"}
    result = pseudonymise_fields(record, table, fields=["description", "source"])
    assert result["agency"] == "Ann Lee School"
    assert result["description"] == f"{maker.pseudonym('Ann Lee')} seen"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Home visit", "Home visit"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_it_neutralises_spreadsheet_formulas(cell: str, safe: str) -> None:
    assert neutralise_formula(cell) == safe


@given(st.text())
def test_it_never_leaves_a_cell_starting_with_a_formula_character(cell: str) -> None:
    safe = neutralise_formula(cell)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe.endswith(cell)
    assert neutralise_row([cell, "x"]) == [safe, "x"]


def test_it_matches_names_with_either_kind_of_apostrophe() -> None:
    maker = Pseudonymiser(KEY)
    code = maker.pseudonym("Sean O'Brien")
    assert maker.apply("Seen: Sean O\u2019Brien and sean o'brien", [Person("Sean O'Brien")]) == (
        f"Seen: {code} and {code}"
    )
