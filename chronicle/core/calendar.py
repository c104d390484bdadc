"""Working days in England (rulebook WD-01 to WD-06).

A working day is any day but a Saturday, a Sunday, Christmas Day, Good Friday
or a bank holiday in England and Wales (WD-01), and, for a partnership, any
closure day it adds. Counting follows WD-06: the trigger day is day 0 and a
deadline "within N working days" is the N-th working day after it; a trigger
on a non-working day makes the next working day day 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

FIRST_YEAR = 2000
LAST_YEAR = 2035


@lru_cache(maxsize=1)
def england_and_wales_bank_holidays() -> dict[dt.date, str]:
    """Bank holidays in England and Wales, 2000–2035, one-off days included.

    The ``holidays`` package carries the proclaimed one-off days (royal wedding
    2011, jubilees 2012 and 2022, VE Day 2020, State Funeral 2022, Coronation
    2023). Christmas Day and Good Friday are in it too, as WD-01 requires.
    """
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return {day: str(name) for day, name in sorted(table.items())}


class WorkingCalendar:
    """England and Wales working days plus a partnership's own closure days."""

    def __init__(self, closures: Iterable[dt.date] = ()) -> None:
        self.closures = frozenset(closures)
        self._bank_holidays = england_and_wales_bank_holidays()

    def holiday_name(self, day: dt.date) -> str | None:
        if day in self._bank_holidays:
            return self._bank_holidays[day]
        if day in self.closures:
            return "Partnership closure day"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"{day.isoformat()} is outside the calendar ({FIRST_YEAR}–{LAST_YEAR})")
        return day.weekday() < 5 and day not in self._bank_holidays and day not in self.closures

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The N-th working day after ``start`` (day 0). ``n`` = 0 gives ``start`` itself."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


ENGLAND = WorkingCalendar()
