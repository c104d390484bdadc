"""Words that look like a real name or a date of birth, in text that should hold neither.

Reports use pseudonyms (Child A, Baby G, Parent M): a title or relation followed by a capitalised
word of two letters or more ("Baby Smith"), or "born" with a date ("born 1/1/2026"), is worth a
second look before it is saved. A warning, not a refusal: it cannot be sure.
"""

from __future__ import annotations

import re

_BEFORE_A_NAME = (
    r"Baby|Child|Infant|Mr|Mrs|Ms|Miss|Master|Dr|Mother|Father|Mum|Dad|Sister|Brother|"
    r"Nan|Nana|Grandma|Grandad|Grandmother|Grandfather|Aunt|Uncle|Stepfather|Stepmother"
)
_WORD = r"[A-Z][a-z]*(?:['’-][A-Z]?[a-z]+)*"
_TITLED = re.compile(rf"\b(?:{_BEFORE_A_NAME})\.?\s+({_WORD}(?:\s{_WORD})?)\b")
_BORN = re.compile(
    r"\b(?:born|DOB|D\.O\.B\.?|date of birth)\s*(?:on\s*)?:?\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}",
    re.IGNORECASE,
)
# Capitalised words that follow "Child" or "Baby" in ordinary service names, not people's names.
_NOT_NAMES = {
    "Protection",
    "Safeguarding",
    "Practice",
    "Review",
    "Reviews",
    "Panel",
    "Services",
    "Service",
    "Care",
    "Unit",
    "Health",
    "Social",
    "In",
    "Need",
    "Plan",
    "Plans",
    "Conference",
    "Death",
    "Deaths",
    "Development",
    "Centre",
    "Clinic",
    "Team",
    "Mental",
    "Exploitation",
    "Sexual",
}


def name_like(text: str) -> list[str]:
    """The parts of ``text`` that look like a real name or a date of birth, each once, in order."""
    found: list[tuple[int, str]] = []
    for match in _TITLED.finditer(text):
        first = match.group(1).split()[0]
        if len(first) > 1 and first not in _NOT_NAMES:
            found.append((match.start(), match.group(0)))
    found += [(match.start(), match.group(0)) for match in _BORN.finditer(text)]
    return list(dict.fromkeys(snippet for _, snippet in sorted(found)))
