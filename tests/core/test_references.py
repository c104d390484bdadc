from __future__ import annotations

import pytest

from chronicle.core.references import PatternError, check_pattern, next_reference


def test_it_numbers_a_years_cases_from_one() -> None:
    assert next_reference("NS-{year}-{number:03}", 2026, []) == "NS-2026-001"


def test_it_follows_the_highest_number_of_the_year_only() -> None:
    existing = ["NS-2026-001", "NS-2026-017", "NS-2025-140", "OLD-7", "ns-2026-009"]
    assert next_reference("NS-{year}-{number:03}", 2026, existing) == "NS-2026-018"
    assert next_reference("NS-{year}-{number:03}", 2025, existing) == "NS-2025-141"


def test_it_grows_past_the_width() -> None:
    assert next_reference("NS-{year}-{number:03}", 2026, ["NS-2026-999"]) == "NS-2026-1000"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("NS-{year}", "must contain {number} exactly once"),
        ("NS-{number}-{number}", "must contain {number} exactly once"),
        ("NS-{child}-{number}", "only {year} and {number}"),
        ("NS-{year:>8}-{number}", "Only {number} takes a width"),
        ("NS-{number", "unmatched brace"),
    ],
)
def test_it_refuses_a_pattern_it_cannot_number(pattern: str, message: str) -> None:
    with pytest.raises(PatternError, match=message.replace("{", r"\{").replace("}", r"\}")):
        check_pattern(pattern)


def test_it_accepts_a_plain_pattern() -> None:
    check_pattern("{year}/{number}")
    check_pattern("NS-{year}-{number:03}")
