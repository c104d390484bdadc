"""When the child is recorded outside England: from leaving England to returning.

Expected contacts and the chains of reviews and visits run only while the child is
recorded in England (rulebook §4 applies to English agencies). An entry asserting
``left_england`` about the child (moved or taken abroad, to Scotland or Wales) opens a
period away; the next entry asserting ``returned_to_england`` closes it. With no return
recorded the child is away to the end of the record.

Dates known only to the month get the benefit of the doubt, as elsewhere: the child is
taken to be away from the first day the leaving could mean to the last day the return
could mean. Context rows (family background, court, media) open and close nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from chronicle.core.entries import Entry, EntryKind

LEFT = "left_england"
RETURNED = "returned_to_england"


@dataclass(frozen=True, slots=True)
class Away:
    """A period in which the child is recorded outside England."""

    start: dt.date  # the first day the leaving could mean
    end: dt.date | None  # the last day the return could mean; None: no return recorded
    left_index: int
    returned_index: int | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, low: dt.date, high: dt.date) -> bool:
        return self.start <= high and (self.end is None or self.end >= low)


def periods_away(
    entries: Sequence[Entry],
    asserted: Sequence[Collection[str | None]],
    context_agencies: Collection[str] = (),
) -> list[Away]:
    """The periods away, in date order, from each entry's types asserted about the child."""
    if len(asserted) != len(entries):
        raise ValueError(f"asserted has {len(asserted)} items for {len(entries)} entries")
    moves = sorted(
        (
            (entries[i].date.start, entries[i].date.end, i)
            for i, codes in enumerate(asserted)
            if (LEFT in codes or RETURNED in codes)
            and entries[i].kind is not EntryKind.CONTEXT
            and entries[i].agency not in context_agencies
        ),
    )
    periods: list[Away] = []
    left: tuple[dt.date, int] | None = None
    for start, end, i in moves:
        codes = asserted[i]
        if left is None and LEFT in codes and RETURNED not in codes:
            left = (start, i)
        elif left is not None and RETURNED in codes:
            periods.append(Away(left[0], end, left[1], i))
            left = None
        # A return with no leaving recorded (a family arriving) closes nothing: the record starts then.
    if left is not None:
        periods.append(Away(left[0], None, left[1], None))
    return periods


def away_on(periods: Sequence[Away], day: dt.date) -> Away | None:
    """The period away that covers ``day``, if any."""
    return next((p for p in periods if p.covers(day)), None)


def leaving_between(periods: Sequence[Away], after: dt.date, by: dt.date) -> Away | None:
    """The first period away that starts after ``after`` and on or before ``by``."""
    return next((p for p in periods if after < p.start <= by), None)
