"""Converting between the functional core's Entry and stored entry rows."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import models

from chronicle.chronologies.models import EntryFields
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry, EntryKind

# The core's Entry dataclass is the one declaration of an entry's fields: each is stored in the
# column of the same name (chronologies.models.EntryFields), except these, stored another way.
STORED_OTHERWISE = {
    "agency": "not stored: an entry's agency is its request's",
    "date": "date_text, date_start and date_end",
    "end_date": "end_date_text",
    "event_type": "event_type, blank for none",
    "kind": "kind, its value",
    "row": "source_row",
    "extra": "extra, less the practitioner fields, which have their own columns",
}
# Columns that hold practitioner information (lesson II), carried in Entry.extra in the core.
PRACTITIONER_FIELDS = (
    "given_by_role",
    "obtained_by",
    "obtained_how",
    "captured_on",
    "information_status",
    "addresses",
)
# Columns worked out when storing: the date's parts, and what was read from the words (copied so
# that submitting a version never reads them again).
ROW_ONLY_FIELDS = (
    "date_text",
    "date_start",
    "date_end",
    "end_date_text",
    "source_row",
    "events",
    "events_version",
)

# Entry fields stored under the same name.
PLAIN_FIELDS = tuple(f.name for f in dataclasses.fields(Entry) if f.name not in STORED_OTHERWISE)
# Every stored field of an entry row, for copying a draft into a version and comparing versions.
ROW_FIELDS = tuple(f.name for f in EntryFields._meta.get_fields())
_TEXT_COLUMNS = {
    f.name for f in EntryFields._meta.get_fields() if isinstance(f, models.CharField | models.TextField)
}
_PLAIN_TEXT = tuple(name for name in PLAIN_FIELDS if name in _TEXT_COLUMNS)
_PRACTITIONER_TEXT = tuple(name for name in PRACTITIONER_FIELDS if name in _TEXT_COLUMNS)
_NO_PRACTITIONER = dict.fromkeys(_PRACTITIONER_TEXT, "")


def row_from_entry(entry: Entry) -> dict[str, Any]:
    """The stored fields for a core Entry (the agency is the request's). Called once per imported row."""
    row: dict[str, Any] = {name: getattr(entry, name) for name in PLAIN_FIELDS}
    for name in _PLAIN_TEXT:
        if row[name] is None:
            row[name] = ""
    extra = entry.extra
    if extra and any(name in extra for name in _PRACTITIONER_TEXT):
        extra = dict(extra)
        row.update({name: extra.pop(name, "") for name in _PRACTITIONER_TEXT})
    else:
        extra = dict(extra)
        row.update(_NO_PRACTITIONER)
    date = entry.date
    row.update(
        date_text=date.isoformat(),
        date_start=date.start,
        date_end=date.end,
        end_date_text=entry.end_date.isoformat() if entry.end_date else "",
        event_type=entry.event_type or "",
        kind=entry.kind.value,
        source_row=entry.row,
        extra=extra,
        events=None,  # read afterwards (chronologies.events), never in the request that imports
        events_version="",
    )
    return row


def entry_from_row(row: EntryFields, agency: str) -> Entry:
    """A core Entry from a stored row (draft or version entry)."""
    extra = dict(row.extra or {})
    for name in PRACTITIONER_FIELDS:
        value = getattr(row, name)
        if value:
            extra[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return Entry(
        agency=agency,
        date=PartialDate.from_isoformat(row.date_text),
        end_date=PartialDate.from_isoformat(row.end_date_text) if row.end_date_text else None,
        event_type=row.event_type or None,
        kind=EntryKind(row.kind),
        row=row.source_row,
        extra=extra,
        **{name: getattr(row, name) for name in PLAIN_FIELDS},
    )


def copy_fields(row: EntryFields) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ROW_FIELDS}
