"""Reading events from an entry's words (docs/event-labelling.md, docs/event-types.md).

The public face of the extractor: what is read (``Source``), one entry
(``extract``), many at once (``extract_many``, which reads each distinct
source once, through ``nlp.pipe``, and may use several processes), what an
agency's own event-type value probably means (``suggest_code``), and
``EXTRACTOR_VERSION``, which changes whenever the data files or the code that
reads them change, so stored events can be told apart from stale ones.

The reading is spaCy with medspaCy's target matcher and ConText (the clinical
negation and context algorithm), driven by the data files under
``chronicle/core/data/`` (``rules.py`` says what each holds).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass, replace

from chronicle.core.entries import Entry
from chronicle.core.event_types import label
from chronicle.core.events import Event, primary_type
from chronicle.core.extract.reader import pipeline, quiet_pipe, read_doc
from chronicle.core.extract.rules import RuleError, fingerprint, load_rules, normalise_value

__all__ = [
    "EXTRACTOR_VERSION",
    "RuleError",
    "Source",
    "Suggestion",
    "extract",
    "extract_many",
    "read_types",
    "source_of",
    "suggest_code",
]

# Bump CODE_VERSION when the reading code changes what it finds; the data files are fingerprinted.
CODE_VERSION = "4"
EXTRACTOR_VERSION = f"context-{CODE_VERSION}-{fingerprint()}"

# Below this many distinct texts, starting processes costs more than it saves.
MIN_TEXTS_PER_PROCESS = 2_000


@dataclass(frozen=True, slots=True)
class Source:
    """What the extractor reads for one entry."""

    text: str  # the description, with the action and outcome if any
    agency_type: str = ""  # the agency's type (accounts.AgencyType value), "" if not known
    agency_event_type: str = ""  # the agency's own event-type value, as written
    agency_code: str = ""  # the code the agency's value maps to, if the agency said so


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What an agency's own event-type value probably means, and why, in plain words."""

    code: str
    reason: str


def source_of(entry: Entry, agency_type: str = "") -> Source:
    # Each field is its own sentence, so that a word in the action ("discussed") cannot reach
    # back into the description and make its event a plan.
    text = " ".join(
        _as_sentence(part) for part in (entry.description, entry.action, entry.outcome) if part.strip()
    )
    return Source(text, agency_type, entry.agency_event_type, entry.event_type or "")


def _as_sentence(part: str) -> str:
    part = part.strip()
    return part if part[-1] in ".!?;:" else f"{part}."


def suggest_code(agency_event_type: str, agency_type: str) -> Suggestion | None:
    """The code an agency's written event type most likely means, or None when nothing fits.

    Common values per kind of agency come from ``data/agency_event_types.json``
    (a police "Home visit" is a police visit, not a social worker's); other
    values are read as words ("Strategy meeting held").
    """
    value = normalise_value(agency_event_type)
    if not value:
        return None
    values = load_rules().agency_values
    kind = agency_type.replace("_", " ") if agency_type else "any"
    for where, mapping in ((agency_type, values.get(agency_type, {})), ("*", values.get("*", {}))):
        code = mapping.get(value)
        if code:
            whose = f"{kind} records" if where != "*" else "records"
            reason = f"In {whose}, “{agency_event_type.strip()}” usually means {label(code).lower()}"
            if code.endswith("visit") and code != "visit":
                reason += ", not a social worker's visit"  # the same words mean another visit elsewhere
            return Suggestion(code, reason + ".")
    events = [
        e for e in read_doc(next(quiet_pipe(pipeline(), [agency_event_type])), agency_type) if e.asserted
    ]
    if events:
        event = events[0]
        words = ", ".join(f"“{w}”" for w in event.words)
        return Suggestion(event.type, f"The words {words} name {label(event.type).lower()}.")
    return None


def _suggested(source: Source) -> str:
    if not source.agency_event_type:
        return ""
    values = load_rules().agency_values
    value = normalise_value(source.agency_event_type)
    return values.get(source.agency_type, {}).get(value) or values.get("*", {}).get(value) or ""


def _with_agency(source: Source, read: tuple[Event, ...]) -> tuple[Event, ...]:
    """The agency's own code first (it always wins for its type), then what the words say."""
    if not source.agency_code:
        return read
    own = Event(source.agency_code, source="agency", words=(source.agency_event_type or source.agency_code,))
    return (own, *(e for e in read if e.type != source.agency_code))


def extract(source: Source) -> tuple[Event, ...]:
    """The events one entry's words mention (zero or more), the agency's own code first."""
    return extract_many([source])[0]


def _with_column(source: Source, suggested: str, read: tuple[Event, ...]) -> tuple[Event, ...]:
    """The agency's own event-type column weighed with the words (it is evidence, not the answer).

    When the words name no event and the column names what the record is of (a visit, an
    appointment, a meeting: ``column.alone``), that is the entry's event ("Home visit" over "Baby
    asleep on sofa on arrival"). When the words read a type the column's replaces
    (``column.overrides``), the column's wins: "Re-attended" in a police record whose column says
    "Home visit" is a police visit, not a call-out.
    """
    if not suggested or any(e.type == suggested for e in read):
        return read
    rules = load_rules()
    if not read:
        if suggested not in rules.column_alone:
            return read
        return (Event(suggested, words=(source.agency_event_type.strip(),), source="column"),)
    replaced = rules.column_overrides.get(suggested, frozenset())
    return tuple(replace(e, type=suggested) if e.type in replaced else e for e in read)


def _read_texts(sources: Sequence[Source]) -> list[tuple[Event, ...]]:
    docs = quiet_pipe(pipeline(), (s.text for s in sources))
    read: list[tuple[Event, ...]] = []
    for doc, source in zip(docs, sources, strict=True):
        suggested = _suggested(source)
        read.append(_with_column(source, suggested, read_doc(doc, source.agency_type, suggested)))
    return read


def extract_many(sources: Sequence[Source], processes: int = 1) -> list[tuple[Event, ...]]:
    """``extract`` for each source, in order; each distinct source is read once.

    With ``processes`` above 1 and enough distinct texts, the work is split over
    that many worker processes (forked, so they share the loaded pipeline).
    """
    distinct = list(dict.fromkeys(sources))
    if not distinct:
        return []
    workers = min(processes, len(distinct) // MIN_TEXTS_PER_PROCESS)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        pipeline()  # built before forking, so every worker starts with it
        size = -(-len(distinct) // (workers * 4))
        chunks = [distinct[i : i + size] for i in range(0, len(distinct), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            read = [events for chunk in pool.map(_read_texts, chunks) for events in chunk]
    else:
        read = _read_texts(distinct)
    by_source = {s: _with_agency(s, events) for s, events in zip(distinct, read, strict=True)}
    return [by_source[s] for s in sources]


def read_types(entries: Sequence[Entry]) -> list[str | None]:
    """One code per entry for checks that take one: the agency's own, else the main type its words assert."""
    return [primary_type(events) for events in extract_many([source_of(e) for e in entries])]
