"""The England and Wales working-day calendar (rulebook WD-01 to WD-06)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.calendar import ENGLAND, LAST_DAY, WorkingCalendar

D = dt.date.fromisoformat

# Leave room at the end of the range so that adding days never runs off the calendar.
dates = st.dates(min_value=dt.date(1971, 1, 1), max_value=dt.date(2033, 12, 31))
counts = st.integers(min_value=0, max_value=400)


def _slow_count(calendar: WorkingCalendar, start: dt.date, end: dt.date) -> int:
    """Day-by-day reference count, to check the precomputed index against."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


@pytest.mark.parametrize(
    "day",
    [
        "2011-04-29",  # Royal wedding
        "2012-06-04",  # Spring bank holiday moved
        "2012-06-05",  # Diamond Jubilee
        "2020-05-08",  # Early May bank holiday moved to VE Day
        "2022-06-02",  # Spring bank holiday moved
        "2022-06-03",  # Platinum Jubilee
        "2022-09-19",  # State Funeral
        "2023-05-08",  # Coronation
    ],
)
def test_it_treats_every_one_off_bank_holiday_as_a_non_working_day(day: str) -> None:
    assert not ENGLAND.is_working_day(D(day))
    assert ENGLAND.holiday_name(D(day))


@pytest.mark.parametrize("day", ["2020-05-04", "2012-05-28", "2022-05-30"])
def test_it_keeps_the_usual_monday_as_a_working_day_when_the_holiday_moved(day: str) -> None:
    assert ENGLAND.is_working_day(D(day))
    assert ENGLAND.holiday_name(D(day)) is None


def test_it_excludes_christmas_good_friday_and_weekends() -> None:
    assert not ENGLAND.is_working_day(D("2012-12-25"))
    assert not ENGLAND.is_working_day(D("2012-04-06"))  # Good Friday
    assert not ENGLAND.is_working_day(D("2012-06-02"))  # Saturday
    assert not ENGLAND.is_working_day(D("2012-06-03"))  # Sunday
    assert ENGLAND.is_working_day(D("2012-06-06"))


def test_it_counts_five_working_days_over_christmas_and_new_year() -> None:
    assert ENGLAND.add_working_days(D("2022-12-22"), 5) == D("2023-01-03")


def test_it_counts_five_working_days_over_the_2012_jubilee() -> None:
    # Day 0 Thu 31 May; Fri 1, Wed 6, Thu 7, Fri 8, Mon 11 June.
    assert ENGLAND.add_working_days(D("2012-05-31"), 5) == D("2012-06-11")
    assert ENGLAND.working_days_between(D("2012-05-31"), D("2012-06-11")) == 5


def test_it_makes_monday_day_one_for_a_saturday_trigger() -> None:
    saturday = D("2024-03-02")
    assert ENGLAND.add_working_days(saturday, 1) == D("2024-03-04")
    assert ENGLAND.add_working_days(saturday, 5) == D("2024-03-08")
    assert ENGLAND.working_days_between(saturday, D("2024-03-04")) == 1


def test_it_returns_the_start_for_zero_days() -> None:
    assert ENGLAND.add_working_days(D("2024-03-02"), 0) == D("2024-03-02")


def test_it_counts_negative_when_the_end_is_earlier() -> None:
    assert ENGLAND.working_days_between(D("2012-06-11"), D("2012-05-31")) == -5


def test_it_honours_partnership_closure_days() -> None:
    calendar = WorkingCalendar(closures=[D("2024-12-27"), D("2024-12-30"), D("2024-12-31")])
    assert not calendar.is_working_day(D("2024-12-30"))
    assert calendar.holiday_name(D("2024-12-30")) == "Partnership closure day"
    assert ENGLAND.add_working_days(D("2024-12-23"), 3) == D("2024-12-30")
    assert calendar.add_working_days(D("2024-12-23"), 3) == D("2025-01-03")
    assert calendar.working_days_between(D("2024-12-23"), D("2025-01-03")) == 3
    assert ENGLAND.is_working_day(D("2024-12-30"))  # the shared calendar is untouched


def test_it_lists_working_days_in_a_period() -> None:
    assert ENGLAND.working_days_in(D("2012-06-01"), D("2012-06-07")) == [
        D("2012-06-01"),
        D("2012-06-06"),
        D("2012-06-07"),
    ]
    assert ENGLAND.working_days_in(D("2012-06-02"), D("2012-06-05")) == []


def test_it_finds_the_next_working_day() -> None:
    assert ENGLAND.next_working_day(D("2012-06-02")) == D("2012-06-06")
    assert ENGLAND.next_working_day(D("2012-06-06")) == D("2012-06-06")


@pytest.mark.parametrize("day", ["1970-12-31", "2036-01-01"])
def test_it_rejects_dates_outside_the_calendar_with_a_clear_message(day: str) -> None:
    with pytest.raises(ValueError, match=r"outside the working-day calendar.*1971-01-01 to 2035-12-31"):
        ENGLAND.is_working_day(D(day))
    with pytest.raises(ValueError, match=rf"start date {day} is outside"):
        ENGLAND.add_working_days(D(day), 1)
    with pytest.raises(ValueError, match="outside the working-day calendar"):
        ENGLAND.working_days_between(D("2012-01-01"), D(day))


def test_it_rejects_a_deadline_beyond_the_calendar() -> None:
    with pytest.raises(ValueError, match="falls after 2035-12-31"):
        ENGLAND.add_working_days(LAST_DAY - dt.timedelta(days=3), 10)


def test_it_rejects_a_negative_number_of_days() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        ENGLAND.add_working_days(D("2012-01-01"), -1)


@given(start=dates, n=counts)
def test_it_gives_back_n_when_adding_then_counting(start: dt.date, n: int) -> None:
    end = ENGLAND.add_working_days(start, n)
    assert ENGLAND.working_days_between(start, end) == n


@given(start=dates, n=st.integers(min_value=1, max_value=400))
def test_it_always_lands_on_a_working_day(start: dt.date, n: int) -> None:
    assert ENGLAND.is_working_day(ENGLAND.add_working_days(start, n))


@given(start=dates, n=counts)
def test_it_moves_forward_as_n_grows(start: dt.date, n: int) -> None:
    assert ENGLAND.add_working_days(start, n) < ENGLAND.add_working_days(start, n + 1)


@given(first=dates, second=dates, n=counts)
def test_it_never_puts_a_later_start_before_an_earlier_one(first: dt.date, second: dt.date, n: int) -> None:
    early, late = sorted((first, second))
    assert ENGLAND.add_working_days(early, n) <= ENGLAND.add_working_days(late, n)


@given(start=dates, span=st.integers(min_value=0, max_value=60))
def test_it_matches_a_day_by_day_count(start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    assert ENGLAND.working_days_between(start, end) == _slow_count(ENGLAND, start, end)


@given(start=dates, closed=st.lists(dates, max_size=5), n=st.integers(min_value=1, max_value=30))
def test_it_never_lands_on_a_closure_day(start: dt.date, closed: list[dt.date], n: int) -> None:
    calendar = WorkingCalendar(closures=closed)
    end = calendar.add_working_days(start, n)
    assert end not in closed
    assert calendar.working_days_between(start, end) == n


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("1971-05-31", "the first Spring Bank Holiday under the 1971 Act"),
        ("1977-06-07", "the Silver Jubilee"),
        ("1981-07-29", "the royal wedding"),
        ("1999-12-31", "the Millennium"),
        ("2002-06-03", "the Golden Jubilee"),
    ],
)
def test_it_knows_the_bank_holidays_of_older_cases(day: str, name: str) -> None:
    assert not ENGLAND.is_working_day(D(day)), name


def test_it_counts_working_days_in_a_1990s_case() -> None:
    # Friday 22 December 1995 + 3 working days: 25 and 26 December are bank holidays.
    assert ENGLAND.add_working_days(D("1995-12-22"), 3) == D("1995-12-29")
