"""Dates with precision, as agencies record them.

A chronology entry may be dated to the day, to a month ("May 2016"), to a
year ("2016"), and any of these may be uncertain ("?22/05/2016"). A
``PartialDate`` keeps what was recorded and knows the span of days it covers,
so rules can tell "certainly before" from "cannot tell".
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"

    @property
    def rank(self) -> int:
        """0 for the finest precision; coarser dates have higher ranks."""
        return {"day": 0, "month": 1, "year": 2}[self.value]


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A recorded date: year always, month and day when known, and whether it is uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    uncertain: bool = False
    # Worked out once: analysis of a large case asks for these millions of times.
    _start: dt.date = field(init=False, repr=False, compare=False, hash=False)
    _end: dt.date = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        start = dt.date(self.year, self.month or 1, self.day or 1)  # raises ValueError when impossible
        if self.day is not None:
            end = start
        elif self.month is not None:
            end = dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        else:
            end = dt.date(self.year, 12, 31)
        object.__setattr__(self, "_start", start)
        object.__setattr__(self, "_end", end)

    @classmethod
    def exact(cls, value: dt.date, uncertain: bool = False) -> PartialDate:
        return cls(value.year, value.month, value.day, uncertain)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def start(self) -> dt.date:
        """The first day the recorded date could mean."""
        return self._start

    @property
    def end(self) -> dt.date:
        """The last day the recorded date could mean."""
        return self._end

    @property
    def is_exact(self) -> bool:
        return self.precision is Precision.DAY and not self.uncertain

    def sort_key(self) -> tuple[dt.date, int, dt.date]:
        """Order by the end of the span, so "May 2016" follows every day of May 2016.

        A month-only or year-only entry is not "the 1st": it is placed after
        everything it might precede and before everything certainly later.
        Finer dates come first when spans end on the same day.
        """
        return (self.end, self.precision.rank, self.start)

    def isoformat(self) -> str:
        """ISO 8601 with reduced precision: 2016-05-22, 2016-05 or 2016, "?" prefix if uncertain."""
        if self.day is not None:
            text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        elif self.month is not None:
            text = f"{self.year:04d}-{self.month:02d}"
        else:
            text = f"{self.year:04d}"
        return f"?{text}" if self.uncertain else text

    def display(self) -> str:
        """UK style for people: 22/05/2016, May 2016 or 2016, with "?" if uncertain."""
        if self.day is not None:
            text = f"{self.day:02d}/{self.month:02d}/{self.year:04d}"
        elif self.month is not None:
            text = f"{MONTH_NAMES[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
        return f"?{text}" if self.uncertain else text

    @classmethod
    def from_isoformat(cls, text: str) -> PartialDate:
        """Inverse of ``isoformat``; raises ValueError on anything else."""
        uncertain = text.startswith("?")
        body = text[1:] if uncertain else text
        parts = body.split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
            raise ValueError(f"{text!r} is not an ISO date with precision")
        numbers = [int(p) for p in parts]
        return cls(
            numbers[0],
            numbers[1] if len(numbers) > 1 else None,
            numbers[2] if len(numbers) > 2 else None,
            uncertain,
        )

    def __str__(self) -> str:
        return self.display()
