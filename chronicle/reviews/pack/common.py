"""What every section of the Panel pack shares: its title, markings, section headings, and how values are written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone

from chronicle.core.compliance import Status, rule_by_id
from chronicle.core.documents import (
    Block,
    Heading,
    KeyValues,
    Paragraph,
    Picture,
    Table,
)
from chronicle.core.plain_words import dates_in_words, day_words, moment_words, status_words
from chronicle.reviews.models import (
    Evidence,
)

TITLE = "Rapid review: report to the Child Safeguarding Practice Review Panel"
FORMATS = ("docx", "pdf")
MARKING = "OFFICIAL-SENSITIVE"
MARKING_WITH_NAMES = "OFFICIAL-SENSITIVE PERSONAL"  # names as recorded: handle as personal data
COMPACT_FROM = 100  # rows: longer tables are set in small type, many rows to a page

SECTIONS = (
    "1. Case summary",
    "2. Incident, screening and notifications",
    "3. The rapid review clock",
    "4. Meetings",
    "5. Agency involvement",
    "6. Findings from the chronologies",
    "7. Criteria considered",
    "8. The decision and its rationale",
    "9. Statutory partners' positions and sign-off",
    "10. Learning points and actions",
    "Appendix A: composite multi-agency chronology",
    "Appendix B: audit extract",
)


# --- Small formatting helpers --------------------------------------------------------------------


def _day(value: dt.date | None) -> str:
    return day_words(value) if value else "Not recorded"


def _long_day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _moment(value: dt.datetime | None) -> str:
    return moment_words(timezone.localtime(value)) if value else "Not recorded"


def _person(user: object) -> str:
    return str(getattr(user, "display_name", "") or user) if user else "Not recorded"


def _text_or(value: str, missing: str = "Not recorded.") -> Paragraph:
    return Paragraph(value.strip()) if value.strip() else Paragraph(missing, "warning")


def _status_words(value: str) -> str:
    try:
        return Status(value).words
    except ValueError:
        return status_words(value)


def _rule_title(rule_id: str) -> str:
    try:
        return rule_by_id(rule_id).title
    except KeyError:
        return "a rule no longer in the rule book"


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def _evidence_text(evidence: Iterable[Evidence]) -> str:
    """Each piece of evidence: its frozen label, then what kind it is and where it is in the record."""
    lines = [f"{dates_in_words(e.label)} ({e.get_kind_display()})" for e in evidence]
    return "\n".join(lines) if lines else "No evidence linked"


def _demoted(blocks: Iterable[Block], by: int = 1) -> list[Block]:
    """Shared blocks written as a report of their own, placed one heading level lower."""
    return [dataclasses.replace(b, level=b.level + by) if isinstance(b, Heading) else b for b in blocks]


# --- Pseudonyms ----------------------------------------------------------------------------------


def _renamed_blocks(blocks: Iterable[Block], rename: Callable[[str], str]) -> list[Block]:
    result: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            result.append(dataclasses.replace(block, text=rename(block.text)))
        elif isinstance(block, KeyValues):
            result.append(KeyValues([(rename(k), rename(v)) for k, v in block.rows]))
        elif isinstance(block, Table):
            result.append(
                dataclasses.replace(
                    block,
                    headings=[rename(h) for h in block.headings],
                    rows=[[rename(cell) for cell in row] for row in block.rows],
                    caption=rename(block.caption),
                )
            )
        elif isinstance(block, Picture):  # drawn from the pseudonymised chronology already
            result.append(dataclasses.replace(block, description=rename(block.description)))
        else:
            result.append(block)
    return result
