"""Reading each stored entry's events once and keeping them with the entry.

Submitted versions never change, so an entry's events are read when it is saved in the
browser (one entry, in the request), by a task after an import's rows are stored, or by
``chronicle read-events`` after an upgrade; submitting a version copies the draft's events.
The composite, the rules and the exports only ever read what is stored here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django_tasks import task

from chronicle.chronologies.models import ChronologyRequest, DraftEntry, VersionEntry
from chronicle.chronologies.signals import case_changed
from chronicle.chronologies.store import entry_from_row
from chronicle.core import extract as extractor
from chronicle.core.event_types import label
from chronicle.core.events import Event, Subject, events_from_json, events_to_json

# Rows read and written at a time: bounds memory for a 100,000-row import.
READ_BATCH = 2000

StoredEntry = DraftEntry | VersionEntry


def read_entry(entry: StoredEntry, agency_type: str) -> None:
    """Read one entry's events into it (the caller saves it): a browser edit, in the request."""
    found = extractor.extract(extractor.source_of(entry_from_row(entry, ""), agency_type))
    entry.events = events_to_json(found)
    entry.events_version = extractor.EXTRACTOR_VERSION


def unread(rows: QuerySet[Any], *, stale: bool = False) -> QuerySet[Any]:
    """The rows with no events yet; with ``stale``, also those read by an older extractor."""
    wanted = Q(events__isnull=True)
    if stale:
        wanted |= ~Q(events_version=extractor.EXTRACTOR_VERSION)
    return rows.filter(wanted)


def _read_rows(model: type[StoredEntry], rows: QuerySet[Any], agency_type: str) -> int:
    """Read and store the events of ``rows``, a batch at a time; returns how many were read."""
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), READ_BATCH):
        with transaction.atomic():
            # Locked while read (PostgreSQL), so an edit saved meanwhile is not overwritten with
            # events read from the words it replaced: the edit waits, then stores its own.
            batch = list(model.objects.select_for_update().filter(pk__in=pks[start : start + READ_BATCH]))
            sources = [extractor.source_of(entry_from_row(row, ""), agency_type) for row in batch]
            for row, found in zip(batch, extractor.extract_many(sources), strict=True):
                row.events = events_to_json(found)
                row.events_version = extractor.EXTRACTOR_VERSION
            # A queryset update, not save(): it fills in what was read, and a version's entries as
            # submitted (the agency's words) are left exactly as they were.
            model.objects.bulk_update(batch, ["events", "events_version"])  # type: ignore[arg-type]
    return len(pks)


def read_request(chronology_request: ChronologyRequest, *, stale: bool = False) -> int:
    """Read the events of a request's draft and submitted entries that have none (or stale ones)."""
    agency_type = chronology_request.agency.agency_type
    drafts = unread(DraftEntry.objects.filter(request=chronology_request), stale=stale)
    versions = unread(VersionEntry.objects.filter(version__request=chronology_request), stale=stale)
    return _read_rows(DraftEntry, drafts, agency_type) + _read_rows(VersionEntry, versions, agency_type)


def read_all(*, stale: bool = False) -> int:
    """Every request's unread entries (``chronicle read-events``): after an upgrade, or for the demo."""
    total = 0
    for chronology_request in ChronologyRequest.objects.select_related("agency").order_by("pk"):
        total += read_request(chronology_request, stale=stale)
    return total


@task()
def read_request_events(request_pk: int) -> int:
    """The task that reads a request's unread entries: after an import's rows are stored, or a submit."""
    chronology_request = ChronologyRequest.objects.select_related("agency").filter(pk=request_pk).first()
    if chronology_request is None:
        return 0
    read = read_request(chronology_request)
    if read and chronology_request.versions.exists():
        # A submitted version's entries were read: its composite is analysed again with their events.
        case_changed.send(sender=ChronologyRequest, incident=chronology_request.incident)
    return read


def schedule_reading(chronology_request: ChronologyRequest) -> None:
    """Queue the reading of a request's unread entries. Enqueued in the caller's transaction, so a
    database queue only sees it once the rows it reads are committed."""
    read_request_events.enqueue(chronology_request.pk)


def count_unread(rows: QuerySet[Any]) -> int:
    return unread(rows).count()


# --- Showing events in plain words ------------------------------------------------------------

SUBJECT_WORDS = {
    Subject.CHILD: "",
    Subject.SIBLING: "about a sibling",
    Subject.PARENT_OR_CARER: "about a parent or carer",
    Subject.OTHER_ADULT: "about another adult",
    Subject.UNKNOWN: "",
}


@dataclass(frozen=True)
class ShownEvent:
    """One stored event as a person reads it."""

    type: str  # the type's label
    notes: tuple[str, ...]  # "did not happen", "planned", "mentioned in passing", "about a sibling"
    words: tuple[str, ...]  # the words that matched
    from_agency: bool  # the agency's own code rather than read from the words


def shown_events(stored: Sequence[Any] | None) -> list[ShownEvent] | None:
    """The stored events of an entry in plain words; None when they have not been read yet."""
    if stored is None:
        return None
    return [_shown(event) for event in events_from_json(stored)]


def _shown(event: Event) -> ShownEvent:
    notes = [
        text
        for flag, text in (
            (event.negated, "did not happen"),
            (event.hypothetical, "planned"),
            (event.historical, "mentioned in passing"),
        )
        if flag
    ]
    if subject := SUBJECT_WORDS[event.subject]:
        notes.append(subject)
    return ShownEvent(label(event.type), tuple(notes), event.words, event.source == "agency")
