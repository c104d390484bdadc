"""Reading dates and times from agency spreadsheets (CQ-01, CQ-D): UK day-first, never swapped."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.dates import PartialDate, Precision
from chronicle.core.importing.dates import (
    DateError,
    PrecisionHint,
    parse_cell_date,
    parse_cell_time,
    parse_date_detail,
    parse_precision,
)

MAY_22 = PartialDate(2016, 5, 22)


@pytest.mark.parametrize(
    "written",
    [
        "22/05/2016",
        "22.05.16",
        "22-05-2016",
        "22 May 2016",
        "22-may-16",
        "22nd May 2016",
        "Sunday 22 May 2016",
        "2016-05-22",
        "2016/05/22",
        " 22/5/2016 ",
        "May 22, 2016",
    ],
)
def test_it_reads_uk_and_iso_dates_to_the_day(written: str) -> None:
    assert parse_cell_date(written) == MAY_22


def test_it_reads_short_day_first_dates_without_swapping() -> None:
    assert parse_cell_date("2/5/16") == PartialDate(2016, 5, 2)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("May 2016", PartialDate(2016, 5)),
        ("May-16", PartialDate(2016, 5)),
        ("Sept 2016", PartialDate(2016, 9)),
        ("05/2016", PartialDate(2016, 5)),
        ("2016-05", PartialDate(2016, 5)),
        ("2016", PartialDate(2016)),
    ],
)
def test_it_keeps_month_only_and_year_only_dates_coarse(written: str, expected: PartialDate) -> None:
    assert parse_cell_date(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("?22/05/2016", PartialDate(2016, 5, 22, uncertain=True)),
        ("?May 2016", PartialDate(2016, 5, uncertain=True)),
        ("? 2016", PartialDate(2016, uncertain=True)),
        ("?22 may 2016", PartialDate(2016, 5, 22, uncertain=True)),
    ],
)
def test_it_marks_a_leading_question_mark_as_uncertain(written: str, expected: PartialDate) -> None:
    assert parse_cell_date(written) == expected


def test_it_reads_excel_dates_datetimes_and_serial_numbers() -> None:
    assert parse_cell_date(dt.date(2016, 5, 22)) == MAY_22
    assert parse_cell_date(dt.datetime(2016, 5, 22, 0, 0)) == MAY_22
    assert parse_cell_date(42512) == MAY_22
    assert parse_cell_date(42512.0) == MAY_22


def test_it_keeps_the_time_of_an_excel_datetime_or_serial() -> None:
    assert parse_date_detail(dt.datetime(2016, 5, 22, 14, 30)).time == dt.time(14, 30)
    assert parse_date_detail(42512.5).time == dt.time(12, 0)
    assert parse_date_detail("22/05/2016 14:30").time == dt.time(14, 30)
    assert parse_date_detail("2016-05-22T09:05:00").date == MAY_22


def test_it_reads_a_whole_number_in_the_year_range_as_a_year() -> None:
    assert parse_cell_date(2016) == PartialDate(2016)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("13/25/2016", "no month 25"),
        ("05/22/2016", "month-first"),
        ("31/02/2016", "February 2016 has no day 31"),
        ("29/02/2015", "no day 29"),
        ("22/05", "no year"),
        ("5/16", "no year"),
        ("32 May 2016", "no day 32"),
        ("22 Mai 2016", "not a month name"),
        ("yesterday", "not a date"),
        ("22/05/2106", "outside"),
        ("", "missing"),
        ("   ", "missing"),
    ],
)
def test_it_refuses_impossible_ambiguous_and_unreadable_dates(written: str, words: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_cell_date(written)
    assert words in caught.value.message


def test_it_never_swaps_day_and_month_silently() -> None:
    # 05/22/2016 only makes sense month-first: it is an error, not 22 May.
    with pytest.raises(DateError, match="US style"):
        parse_cell_date("05/22/2016")


def test_it_refuses_times_and_booleans_in_a_date_cell() -> None:
    for value in (dt.time(14, 30), 0.5, True, None):
        with pytest.raises(DateError):
            parse_cell_date(value)


def test_it_warns_about_two_digit_years_and_reads_them_with_a_pivot() -> None:
    parsed = parse_date_detail("22/05/16")
    assert parsed.date == MAY_22
    assert any("two-digit year" in warning for warning in parsed.warnings)
    assert parse_cell_date("22/05/85") == PartialDate(1985, 5, 22)


def test_it_reads_approximate_wording_as_uncertain_with_a_warning() -> None:
    parsed = parse_date_detail("approx May 2016")
    assert parsed.date == PartialDate(2016, 5, uncertain=True)
    assert parsed.warnings
    early = parse_date_detail("early May 2016")
    assert early.date == PartialDate(2016, 5, uncertain=True)


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("day", MAY_22),
        ("exact", MAY_22),
        ("Month", PartialDate(2016, 5)),
        ("year", PartialDate(2016)),
        ("uncertain", PartialDate(2016, 5, 22, uncertain=True)),
        ("approx", PartialDate(2016, 5, 22, uncertain=True)),
        ("month (approx)", PartialDate(2016, 5, uncertain=True)),
        ("", MAY_22),
        (None, MAY_22),
    ],
)
def test_it_coarsens_a_full_date_by_the_precision_column(hint: str | None, expected: PartialDate) -> None:
    assert parse_cell_date("22/05/2016", hint) == expected
    assert parse_cell_date(dt.date(2016, 5, 22), hint) == expected


def test_it_refuses_a_precision_finer_than_the_date() -> None:
    with pytest.raises(DateError, match="only a month"):
        parse_cell_date("May 2016", "day")


def test_it_refuses_an_unknown_precision_value() -> None:
    with pytest.raises(DateError, match="not a date precision"):
        parse_precision("fortnight")
    with pytest.raises(DateError, match="not a date precision"):
        parse_precision("month year")


def test_it_reads_precision_values() -> None:
    assert parse_precision("Month only") == PrecisionHint(Precision.MONTH, False)
    assert parse_precision("?") == PrecisionHint(None, True)
    assert parse_precision("  ") is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("14.30", dt.time(14, 30)),
        ("1430", dt.time(14, 30)),
        ("1430hrs", dt.time(14, 30)),
        ("2.30pm", dt.time(14, 30)),
        ("2:30 PM", dt.time(14, 30)),
        ("2pm", dt.time(14, 0)),
        ("12am", dt.time(0, 0)),
        ("12.15pm", dt.time(12, 15)),
        ("09:05:30", dt.time(9, 5, 30)),
        ("noon", dt.time(12, 0)),
        (0.6041666666666666, dt.time(14, 30)),
        (dt.time(14, 30), dt.time(14, 30)),
        (dt.timedelta(hours=14, minutes=30), dt.time(14, 30)),
        (1430, dt.time(14, 30)),
        (14.3, dt.time(14, 30)),
    ],
)
def test_it_reads_times(written: object, expected: dt.time) -> None:
    assert parse_cell_time(written) == expected


@pytest.mark.parametrize("written", ["", "  ", "unknown", "n/k", None])
def test_it_reads_blank_or_unknown_times_as_none(written: object) -> None:
    assert parse_cell_time(written) is None


@pytest.mark.parametrize("written", ["25:00", "14:75", "13pm", "teatime", "14", 2400, 99])
def test_it_refuses_unreadable_times(written: object) -> None:
    with pytest.raises(DateError):
        parse_cell_time(written)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_it_reads_back_every_date_written_day_first(day: dt.date) -> None:
    assert parse_cell_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == PartialDate.exact(day)
    assert parse_cell_date(f"{day.day} {day:%B %Y}") == PartialDate.exact(day)
    assert parse_cell_date(day.isoformat()) == PartialDate.exact(day)
    serial = (day - dt.date(1899, 12, 30)).days
    if serial > 2100:  # smaller whole numbers are years: 2016 is the year 2016
        assert parse_cell_date(float(serial)) == PartialDate.exact(day)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_it_never_reads_a_month_first_date_as_another_day(day: dt.date) -> None:
    month_first = f"{day.month:02d}/{day.day:02d}/{day.year}"
    try:
        parsed = parse_cell_date(month_first)
    except DateError:
        return
    # Accepted only when it is also a valid day-first date, read day-first.
    assert parsed == PartialDate(day.year, day.day, day.month)
