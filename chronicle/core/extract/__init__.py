"""Reading events from an entry's words (docs/event-labelling.md).

The public face of the extractor: what is read (``Source``), one entry
(``extract``), many at once (``extract_many``, which reads each distinct
source once and may use several processes), and ``EXTRACTOR_VERSION``, which
changes whenever the trigger words or the code that reads them change, so
stored events can be told apart from stale ones.

Placeholder: until the ConText-based reader lands this wraps the lexicon
classifier, giving at most one asserted event per entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chronicle.core.classify import classify_text
from chronicle.core.entries import Entry
from chronicle.core.events import Event

EXTRACTOR_VERSION = "lexicon-1"


@dataclass(frozen=True, slots=True)
class Source:
    """What the extractor reads for one entry."""

    text: str  # the description, with the action and outcome if any
    agency_type: str = ""  # the agency's type (accounts.AgencyType value), "" if not known
    agency_event_type: str = ""  # the agency's own event-type value, as written
    agency_code: str = ""  # the code the agency's value maps to, if the agency said so


def source_of(entry: Entry, agency_type: str = "") -> Source:
    text = " ".join(part for part in (entry.description, entry.action, entry.outcome) if part)
    return Source(text, agency_type, entry.agency_event_type, entry.event_type or "")


def extract(source: Source) -> tuple[Event, ...]:
    if source.agency_code:
        return (Event(source.agency_code, source="agency", words=(source.agency_event_type,)),)
    found = classify_text(source.text)
    return (Event(found.code, words=found.matched_words),) if found.code else ()


def extract_many(sources: Sequence[Source], processes: int = 1) -> list[tuple[Event, ...]]:
    read: dict[Source, tuple[Event, ...]] = {}
    return [read[s] if s in read else read.setdefault(s, extract(s)) for s in sources]
