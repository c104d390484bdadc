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
from chronicle.core.event_types import label
from chronicle.core.events import Event
from chronicle.core.importing.values import event_type_code, event_type_key

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


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The code an agency's own event-type value probably means, and why, for a person to confirm."""

    code: str
    reason: str


# Who makes a "home visit", by the kind of agency that recorded it: code, and whose visit.
_HOME_VISIT_BY = {
    "childrens_social_care": ("visit", "children's social care"),
    "police": ("police_visit", "the police"),
    "health_trust": ("hv_contact", "a health provider (usually a health visitor)"),
    "gp_practice": ("gp_appointment", "a GP practice"),
}
# Agencies' common words that are not Chronicle's own: code, and why, by agency kind ("" = any).
_AGENCY_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "concern": {
        "police": (
            "information_shared",
            "the police record a concern when they share a notification about a child with other agencies",
        ),
        "": ("contact", "a concern raised about a child is usually a contact to children's social care"),
    },
    "informationsharing": {
        "": ("information_shared", "information sharing is information passed between agencies")
    },
}


def suggest_code(agency_event_type: str, agency_type: str) -> Suggestion | None:
    """The code an agency's own value most likely means, with a plain-English reason; None if no guess.

    A suggestion only: a person chooses, and a value whose meaning depends on who wrote it
    (a police "home visit") is suggested by the agency's kind, never silently coded.
    """
    written = agency_event_type.strip()
    if not written:
        return None
    key = event_type_key(written)
    if key in {"homevisit", "visit"}:
        code, by = _HOME_VISIT_BY.get(agency_type, ("professional_visit", "this agency"))
        reason = f"a home visit recorded by {by} is a {label(code).lower()}"
        if code != "visit":
            reason += ", not a social worker's visit"
        return Suggestion(code, reason)
    if key in _AGENCY_WORDS:
        meanings = _AGENCY_WORDS[key]
        common, why = meanings.get(agency_type) or meanings[""]
        return Suggestion(common, why)
    known = event_type_code(written, agency_type)
    if known:
        return Suggestion(known, f"'{written}' is one of the usual ways of writing {label(known).lower()}")
    found = classify_text(written)
    if found.code:
        matched = ", ".join(f"'{w}'" for w in found.matched_words)
        return Suggestion(found.code, f"the words {matched} usually mean {label(found.code).lower()}")
    return None
