"""Working days in England (rulebook WD-01 to WD-06).

A working day is any day but a Saturday, a Sunday, Christmas Day, Good Friday
or a bank holiday in England and Wales (WD-01), and, for a partnership, any
closure day it adds. Counting follows WD-06: the trigger day is day 0 and a
deadline "within N working days" is the N-th working day after it; a trigger
on a non-working day makes the next working day day 1.

The compliance engine asks these questions hundreds of thousands of times, so
each calendar precomputes, once, a running count of working days over the
whole supported range (1971-2035: bank holidays as we know them start
with the Banking and Financial Dealings Act 1971). A count between two dates is then one
subtraction, and "N working days after" is one list look-up.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

import holidays

FIRST_YEAR = 1971
LAST_YEAR = 2035
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
_FIRST_ORDINAL = FIRST_DAY.toordinal()
_DAY_COUNT = LAST_DAY.toordinal() - _FIRST_ORDINAL + 1


@lru_cache(maxsize=1)
def england_and_wales_bank_holidays() -> dict[dt.date, str]:
    """Bank holidays in England and Wales, 1971-2035, one-off days included.

    The ``holidays`` package carries the proclaimed one-off days (Silver Jubilee
    1977, royal weddings 1981 and 2011, Millennium 1999, Golden Jubilee 2002, jubilees 2012 and 2022, VE Day 2020, State Funeral 2022, Coronation
    2023). Christmas Day and Good Friday are in it too, as WD-01 requires.
    """
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return {day: str(name) for day, name in sorted(table.items())}


class OutsideCalendarError(ValueError):
    """A date, or a count of working days, the calendar (1971-2035) does not cover."""


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months on (or back); a day the target month lacks becomes its last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def _offset(day: dt.date, what: str = "date") -> int:
    """Index of ``day`` in the calendar's tables; a clear error outside 1971-2035."""
    offset = day.toordinal() - _FIRST_ORDINAL
    if not 0 <= offset < _DAY_COUNT:
        raise OutsideCalendarError(
            f"{what} {day.isoformat()} is outside the working-day calendar, which covers "
            f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
        )
    return offset


class _Index:
    """Precomputed tables for one set of non-working days.

    ``working[i]`` is 1 if the i-th day of the range is a working day;
    ``running[i]`` counts the working days from the first day up to and
    including the i-th; ``working_offsets`` lists the offsets of working days
    in order, so the k-th working day of the range is ``working_offsets[k - 1]``.
    """

    __slots__ = ("running", "working", "working_offsets")

    def __init__(self, closed: frozenset[dt.date]) -> None:
        working = bytearray(_DAY_COUNT)
        first_weekday = FIRST_DAY.weekday()
        for offset in range(_DAY_COUNT):
            working[offset] = (first_weekday + offset) % 7 < 5
        for day in closed:
            offset = day.toordinal() - _FIRST_ORDINAL
            if 0 <= offset < _DAY_COUNT:
                working[offset] = 0
        self.working = bytes(working)
        self.running = array("i", accumulate(self.working))
        self.working_offsets = array("i", (i for i, flag in enumerate(self.working) if flag))


@lru_cache(maxsize=64)
def _index_for(closures: frozenset[dt.date]) -> _Index:
    return _Index(frozenset(england_and_wales_bank_holidays()) | closures)


class WorkingCalendar:
    """England and Wales working days plus a partnership's own closure days."""

    def __init__(self, closures: Iterable[dt.date] = ()) -> None:
        self.closures = frozenset(closures)
        self._bank_holidays = england_and_wales_bank_holidays()
        self._index = _index_for(self.closures)

    def __repr__(self) -> str:
        return f"WorkingCalendar(closures={sorted(self.closures)!r})"

    def holiday_name(self, day: dt.date) -> str | None:
        """The bank holiday's name, "Partnership closure day", or None for an ordinary day."""
        if day in self._bank_holidays:
            return self._bank_holidays[day]
        if day in self.closures:
            return "Partnership closure day"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self._index.working[_offset(day)])

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The N-th working day after ``start`` (day 0). ``n`` = 0 gives ``start`` itself.

        A ``start`` on a non-working day still counts as day 0, so the next
        working day is day 1 (WD-06).
        """
        if n < 0:
            raise ValueError(f"the number of working days must not be negative (got {n})")
        start_offset = _offset(start, "start date")
        if n == 0:
            return start
        target = self._index.running[start_offset] + n - 1
        if target >= len(self._index.working_offsets):
            raise OutsideCalendarError(
                f"{n} working days after {start.isoformat()} falls after {LAST_DAY.isoformat()}, "
                "the end of the working-day calendar"
            )
        return dt.date.fromordinal(_FIRST_ORDINAL + self._index.working_offsets[target])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier."""
        running = self._index.running
        return running[_offset(end, "end date")] - running[_offset(start, "start date")]

    def working_days_in(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from ``first`` to ``last``, both included (for listings and reports)."""
        low = self._index.running[_offset(first, "first date")] - self._index.working[_offset(first)]
        high = self._index.running[_offset(last, "last date")]
        offsets = self._index.working_offsets[low:high]
        return [dt.date.fromordinal(_FIRST_ORDINAL + offset) for offset in offsets]

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, otherwise the next working day."""
        offset = _offset(day)
        if self._index.working[offset]:
            return day
        position = bisect_right(self._index.working_offsets, offset)
        if position >= len(self._index.working_offsets):
            raise OutsideCalendarError(f"no working day after {day.isoformat()} in the calendar")
        return dt.date.fromordinal(_FIRST_ORDINAL + self._index.working_offsets[position])

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day before ``day``."""
        before = self._index.running[_offset(day)] - self._index.working[_offset(day)]
        if before <= 0:
            raise OutsideCalendarError(f"no working day before {day.isoformat()} in the calendar")
        return dt.date.fromordinal(_FIRST_ORDINAL + self._index.working_offsets[before - 1])


ENGLAND = WorkingCalendar()
