"""A case's list of people with readable pseudonyms, as the business manager writes it."""

from __future__ import annotations

import pytest

from chronicle.core.pseudonyms import (
    CaseListError,
    Person,
    Pseudonymiser,
    format_case_list,
    looks_pseudonymous,
    parse_case_list,
)

KEY = b"0123456789abcdef-test-key"


def test_it_keeps_names_already_written_as_pseudonyms_and_numbers_the_rest() -> None:
    people = parse_case_list("Jane Smith | Mum\nParent M | Dad\nDr Ahmed = GP 1\nKevin Smith\n")
    assert [(p.name, p.aliases, p.pseudonym) for p in people] == [
        ("Jane Smith", ("Mum",), "Adult 1"),
        ("Parent M", ("Dad",), "Parent M"),
        ("Dr Ahmed", (), "GP 1"),
        ("Kevin Smith", (), "Adult 2"),
    ]


def test_it_skips_an_adult_number_the_manager_has_given() -> None:
    people = parse_case_list("Jane Smith\nKevin Smith = Adult 1")
    assert [p.pseudonym for p in people] == ["Adult 2", "Adult 1"]


def test_it_writes_the_list_back_with_every_pseudonym() -> None:
    people = parse_case_list("Jane Smith | Mum\nBaby = Child A")
    assert format_case_list(people) == "Jane Smith | Mum = Adult 1\nBaby = Child A"
    assert parse_case_list(format_case_list(people)) == people


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Jane Smith = Child A\nKevin Smith = Child A",
            "Line 2: the pseudonym “Child A” is already Jane Smith's, on line 1",
        ),
        ("Jane Smith | Mum\nLisa Jones | mum", "Line 2: “mum” is already given for Jane Smith on line 1"),
        ("Jane Smith =", "Line 1: give a pseudonym for Jane Smith after the “=”"),
        (
            "Jane Smith\nKevin Smith = Jane Smith",
            "Line 2: the pseudonym “Jane Smith” is a name of Jane Smith, on line 1",
        ),
        ("= Child A", "Line 1: give the person's name"),
    ],
)
def test_it_names_the_line_of_a_list_it_cannot_use(text: str, message: str) -> None:
    with pytest.raises(CaseListError, match=message):
        parse_case_list(text)


def test_it_replaces_names_with_the_readable_pseudonyms() -> None:
    people = parse_case_list("Jane Smith | Mum = Parent J\nParent M")
    maker = Pseudonymiser(KEY)
    assert maker.apply("Mum and Parent M met Jane Smith.", people) == "Parent J and Parent M met Parent J."


def test_it_falls_back_to_keyed_codes_for_people_without_a_pseudonym() -> None:
    assert Pseudonymiser(KEY).apply("Jane Smith", [Person("Jane Smith")]).startswith("Person ")


@pytest.mark.parametrize(
    ("name", "already"),
    [("Parent M", True), ("Child A", True), ("GP 1", True), ("Jane Smith", False), ("M", False)],
)
def test_it_recognises_a_name_already_pseudonymous(name: str, already: bool) -> None:
    assert looks_pseudonymous(name) is already
