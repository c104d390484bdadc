from __future__ import annotations

import pytest

from chronicle.core.names import name_like


def test_it_finds_a_name_and_a_date_of_birth() -> None:
    assert name_like("Baby Smith born 1/1/2026 was brought to A&E.") == ["Baby Smith", "born 1/1/2026"]


@pytest.mark.parametrize(
    "text",
    [
        "Baby H was shaken; CT shows a subdural haemorrhage.",
        "Child A and Parent M were seen at home.",
        "A Child Protection Plan was in place; Child Protection Conference held.",
        "The baby, born at 34 weeks, was seen by the health visitor.",
    ],
)
def test_it_leaves_pseudonyms_and_service_names_alone(text: str) -> None:
    assert name_like(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mrs O'Neill called the police.", ["Mrs O'Neill"]),
        ("Mother Jade Wilson said the bruise was from the cot.", ["Mother Jade Wilson"]),
        ("DOB: 03-04-2025", ["DOB: 03-04-2025"]),
    ],
)
def test_it_finds_names_after_titles_and_relations(text: str, found: list[str]) -> None:
    assert name_like(text) == found
