"""The composite multi-agency chronology: merge, filter, summarise.

Merging never changes an entry and never drops one. Entries are ordered by
``Entry.sort_key``: the end of the span a date may mean, so "May 2016" comes
after every day of May 2016 and before June, and an exact day comes before a
month-only entry that ends on the same day. Python's sort is stable and
O(n log n), and it merges already-sorted agency lists in close to linear time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from chronicle.core.dates import Precision
from chronicle.core.entries import Entry, EntryKind


def merge(entry_lists: Iterable[Iterable[Entry]]) -> list[Entry]:
    """All agencies' entries in one list, in date order (stable for equal keys)."""
    merged: list[Entry] = []
    for entries in entry_lists:
        merged.extend(entries)
    merged.sort(key=Entry.sort_key)
    return merged


def date_note(entry: Entry) -> str:
    """Words that warn a reader how far to trust the position of an entry ("" for an exact day)."""
    notes = []
    if entry.date.precision is Precision.MONTH:
        notes.append("month only")
    elif entry.date.precision is Precision.YEAR:
        notes.append("year only")
    if entry.date.uncertain:
        notes.append("date uncertain")
    return ", ".join(notes)


def entry_span(entry: Entry) -> tuple[dt.date, dt.date]:
    """First and last day the entry may cover, including its end date if it has one."""
    last = entry.date.end
    if entry.end_date is not None and entry.end_date.end > last:
        last = entry.end_date.end
    return entry.date.start, last


# Flags people filter by. Each is a named test on one entry.
FLAGS: dict[str, tuple[str, Callable[[Entry], bool]]] = {
    "significant": ("Marked significant", lambda e: e.significant is True),
    "child_seen": ("Child seen", lambda e: e.child_seen is True),
    "child_not_seen": ("Child not seen", lambda e: e.child_seen is False),
    "seen_alone": ("Child seen alone", lambda e: e.seen_alone is True),
    "child_voice": ("Child's voice recorded", lambda e: bool(e.child_voice.strip())),
    "third_party": ("Third-party information", lambda e: e.first_hand is False),
    "practitioner": (
        "Information obtained from staff",
        lambda e: e.kind is EntryKind.PRACTITIONER,
    ),
    "uncertain_date": ("Date uncertain or not exact", lambda e: not e.date.is_exact),
    "gap": ("Gap in the record noted", lambda e: bool(e.gap.strip())),
    "learning_point": ("Learning point or breach noted", lambda e: bool(e.learning_point.strip())),
    "multi_agency_point": (
        "Needs multi-agency judgement",
        lambda e: bool(e.multi_agency_point.strip()),
    ),
    "no_source": ("No source of information", lambda e: not e.source.strip()),
}


def _searchable_text(entry: Entry) -> str:
    return " ".join(
        (entry.description, entry.action, entry.outcome, entry.significance, entry.source, entry.entry_ref)
    ).casefold()


def filter_entries(
    entries: Iterable[Entry],
    agencies: Collection[str] | None = None,
    event_types: Collection[str | None] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    text: str | None = None,
    flags: Collection[str] = (),
    event_type_of: Callable[[Entry], str | None] | None = None,
) -> list[Entry]:
    """The entries that pass every criterion given; order is kept.

    - ``agencies``: agency names, exact.
    - ``event_types``: codes; ``None`` in the collection matches uncoded entries.
      ``event_type_of`` can supply inferred codes (e.g. from the extractor) for uncoded entries.
    - ``date_from``/``date_to``: an entry passes if the span it may cover overlaps
      the range, so "May 2016" is kept for a range starting 20 May 2016.
    - ``text``: every word must appear (case-insensitive) in description, action,
      outcome, significance, source or reference.
    - ``flags``: names from ``FLAGS``; all must hold.
    """
    unknown = [name for name in flags if name not in FLAGS]
    if unknown:
        raise ValueError(f"unknown flag(s): {', '.join(sorted(unknown))}; known flags: {', '.join(FLAGS)}")
    if date_from is not None and date_to is not None and date_to < date_from:
        raise ValueError(f"date_to {date_to.isoformat()} is before date_from {date_from.isoformat()}")
    agency_set = set(agencies) if agencies is not None else None
    type_set = set(event_types) if event_types is not None else None
    words = text.casefold().split() if text else []
    tests = [FLAGS[name][1] for name in flags]
    type_of = event_type_of or (lambda e: e.event_type)

    kept: list[Entry] = []
    for entry in entries:
        if agency_set is not None and entry.agency not in agency_set:
            continue
        if type_set is not None and (entry.event_type or type_of(entry)) not in type_set:
            continue
        if date_from is not None or date_to is not None:
            first, last = entry_span(entry)
            if date_from is not None and last < date_from:
                continue
            if date_to is not None and first > date_to:
                continue
        if words:
            haystack = _searchable_text(entry)
            if not all(word in haystack for word in words):
                continue
        if not all(test(entry) for test in tests):
            continue
        kept.append(entry)
    return kept


@dataclass(frozen=True, slots=True)
class CompositeSummary:
    """Counts a reader wants before opening a composite chronology."""

    total: int
    by_agency: dict[str, int]
    by_event_type: dict[str, int]  # "" for uncoded
    first_date: dt.date | None
    last_date: dt.date | None
    exact_dates: int
    month_only: int
    year_only: int
    uncertain: int
    practitioner_entries: int
    third_party_entries: int

    @property
    def agency_count(self) -> int:
        return len(self.by_agency)

    @property
    def span_days(self) -> int:
        if self.first_date is None or self.last_date is None:
            return 0
        return (self.last_date - self.first_date).days + 1


def summarise(
    entries: Sequence[Entry], event_type_of: Callable[[Entry], str | None] | None = None
) -> CompositeSummary:
    """Counts by agency and event type, date range and how many dates are not exact."""
    by_agency: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    precision: Counter[Precision] = Counter()
    uncertain = practitioner = third_party = 0
    first: dt.date | None = None
    last: dt.date | None = None
    type_of = event_type_of or (lambda e: e.event_type)
    for entry in entries:
        by_agency[entry.agency] += 1
        by_type[entry.event_type or type_of(entry) or ""] += 1
        precision[entry.date.precision] += 1
        uncertain += entry.date.uncertain
        practitioner += entry.kind is EntryKind.PRACTITIONER
        third_party += entry.first_hand is False
        start, end = entry_span(entry)
        first = start if first is None or start < first else first
        last = end if last is None or end > last else last
    return CompositeSummary(
        total=len(entries),
        by_agency=dict(sorted(by_agency.items())),
        by_event_type=dict(by_type.most_common()),
        first_date=first,
        last_date=last,
        exact_dates=precision[Precision.DAY],
        month_only=precision[Precision.MONTH],
        year_only=precision[Precision.YEAR],
        uncertain=uncertain,
        practitioner_entries=practitioner,
        third_party_entries=third_party,
    )
