"""The canonical chronology entry (design §4).

One entry type serves the importers, the database, the analysis engine and
every export. Fields hold what the agency recorded; nothing here is inferred.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from chronicle.core.dates import PartialDate


class EntryKind(StrEnum):
    RECORD = "record"  # taken from an agency's written record
    PRACTITIONER = "practitioner"  # information obtained from staff (lesson II)
    # Not an agency's record: the family's or community's account, a court, coroner, inquest, the media or
    # a review. Kept and shown, but no quality scorecard and it does not end a silent period.
    CONTEXT = "context"


# The six headings of lesson IV, in order, with the words people see.
SIX_HEADINGS: dict[str, str] = {
    "practice_required": "Good practice required, and the policies and procedures that applied",
    "record_shows_met": "Where the written record shows the requirement was met",
    "gap": "Gap in the record: compliance cannot be determined",
    "staff_information": "Information obtained from staff to address the gap",
    "learning_point": "Reflective learning point or serious breach of safe practice",
    "multi_agency_point": "Point that needs multi-agency judgement",
}


@dataclass(slots=True)
class Entry:
    """One event in an agency's chronology."""

    agency: str
    date: PartialDate
    description: str
    source: str = ""  # source of information: document, system record or person
    row: int | None = None  # the row in the file it came from, for error reports
    entry_ref: str = ""  # the agency's own reference or serial number
    time: dt.time | None = None
    end_date: PartialDate | None = None
    end_time: dt.time | None = None
    event_type: str | None = None  # a code from chronicle.core.event_types
    agency_event_type: str = ""  # the agency's own event-type value, exactly as written
    action: str = ""
    outcome: str = ""
    significance: str = ""  # analysis: significance or impact on the child
    child_seen: bool | None = None
    seen_alone: bool | None = None
    child_voice: str = ""
    first_hand: bool | None = None  # False: third-party information (CQ-11)
    recorded_by: str = ""  # role of the person who recorded it
    recorded_on: dt.date | None = None
    significant: bool | None = None
    kind: EntryKind = EntryKind.RECORD
    # The six headings (lesson IV).
    practice_required: str = ""
    record_shows_met: str = ""
    gap: str = ""
    staff_information: str = ""
    learning_point: str = ""
    multi_agency_point: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def sort_key(self) -> tuple[dt.date, int, dt.date, dt.time, str, int]:
        return (
            *self.date.sort_key(),
            self.time or dt.time.min,
            self.agency,
            self.row or 0,
        )

    def reference(self) -> str:
        """How people find the entry again: agency, date and row."""
        where = f", row {self.row}" if self.row is not None else ""
        return f"{self.agency} {self.date.display()}{where}"
