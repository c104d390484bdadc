"""Case references made from a partnership's pattern, such as ``NS-{year}-{number:03}``.

``{year}`` is the year the local authority became aware; ``{number}`` counts that year's cases
from 1, and takes a width as ``{number:03}``. The reporter never types the reference.
"""

from __future__ import annotations

import re
import string

DEFAULT_PATTERN = "SI-{year}-{number:03}"
_FORMAT_SPEC = re.compile(r"0?\d?")


class PatternError(ValueError):
    """A pattern Chronicle cannot make references from; the message says why."""


def check_pattern(pattern: str) -> None:
    """Raise PatternError unless ``pattern`` names {number} once, and only {year} and {number}."""
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise PatternError(f"The pattern has an unmatched brace: {error}") from None
    names = [name for name, _ in fields]
    if names.count("number") != 1:
        raise PatternError(
            "The pattern must contain {number} exactly once, for example NS-{year}-{number:03}"
        )
    for name, spec in fields:
        if name not in {"year", "number"}:
            raise PatternError(f"The pattern may contain only {{year}} and {{number}}, not {{{name}}}")
        if spec and (name != "number" or not _FORMAT_SPEC.fullmatch(spec)):
            raise PatternError("Only {number} takes a width, such as {number:03}")
    if len(make(pattern, 2026, 1)) > 60:
        raise PatternError("References made from the pattern must be 60 characters or fewer")


def make(pattern: str, year: int, number: int) -> str:
    return pattern.format(year=year, number=number)


def _matcher(pattern: str, year: int) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "year":
            parts.append(str(year))
        elif name == "number":
            parts.append(r"(\d+)")
    return re.compile("".join(parts), re.IGNORECASE)


def next_reference(pattern: str, year: int, existing: list[str]) -> str:
    """The next reference for ``year``: one more than the highest number already made from the pattern."""
    matcher = _matcher(pattern, year)
    numbers = [int(found.group(1)) for ref in existing if (found := matcher.fullmatch(ref))]
    return make(pattern, year, max(numbers, default=0) + 1)
