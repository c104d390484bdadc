"""Converting between the functional core's Entry and stored entry rows."""

from __future__ import annotations

from typing import Any

from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry, EntryKind

# Entry fields stored under the same name.
PLAIN_FIELDS = (
    "time",
    "end_time",
    "description",
    "source",
    "entry_ref",
    "action",
    "outcome",
    "significance",
    "child_seen",
    "seen_alone",
    "child_voice",
    "first_hand",
    "recorded_by",
    "recorded_on",
    "significant",
    "practice_required",
    "record_shows_met",
    "gap",
    "staff_information",
    "learning_point",
    "multi_agency_point",
)
PRACTITIONER_FIELDS = (
    "given_by_role",
    "obtained_by",
    "obtained_how",
    "captured_on",
    "information_status",
    "addresses",
)
# Every stored field of an entry row, for copying a draft into a version and comparing versions.
ROW_FIELDS = (
    "date_text",
    "date_start",
    "date_end",
    "end_date_text",
    "event_type",
    "kind",
    "source_row",
    "extra",
    "agency_event_type",
    *PLAIN_FIELDS,
    *PRACTITIONER_FIELDS,
    # What was read from the words, copied so that submitting a version never reads them again.
    "events",
    "events_version",
)
TEXT_FIELDS = {
    "description",
    "source",
    "entry_ref",
    "action",
    "outcome",
    "significance",
    "child_voice",
    "recorded_by",
    "practice_required",
    "record_shows_met",
    "gap",
    "staff_information",
    "learning_point",
    "multi_agency_point",
    "given_by_role",
    "obtained_by",
    "obtained_how",
    "information_status",
    "addresses",
    "end_date_text",
    "event_type",
    "agency_event_type",
}


_PLAIN_TEXT = tuple(name for name in PLAIN_FIELDS if name in TEXT_FIELDS)
_PRACTITIONER_TEXT = tuple(name for name in PRACTITIONER_FIELDS if name != "captured_on")
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
        agency_event_type=entry.agency_event_type,
        events=None,  # read afterwards (chronologies.events), never in the request that imports
        events_version="",
    )
    return row


def entry_from_row(row: Any, agency: str) -> Entry:
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
        agency_event_type=row.agency_event_type,
        kind=EntryKind(row.kind),
        row=row.source_row,
        extra=extra,
        **{name: getattr(row, name) for name in PLAIN_FIELDS},
    )


def copy_fields(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ROW_FIELDS}
