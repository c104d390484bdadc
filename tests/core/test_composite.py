"""Merging agencies' chronologies into one, filtering it and summarising it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.composite import date_note, filter_entries, merge, summarise
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry, EntryKind


def _entry(agency: str, date: PartialDate, text: str = "event", **fields: object) -> Entry:
    return Entry(agency, date, text, **fields)  # type: ignore[arg-type]


def test_it_orders_a_month_only_entry_after_every_day_of_that_month() -> None:
    may = _entry("Police", PartialDate(2016, 5), "May, day unknown")
    last_of_may = _entry("Health", PartialDate(2016, 5, 31), "last day of May")
    first_of_june = _entry("School", PartialDate(2016, 6, 1), "first of June")
    first_of_may = _entry("School", PartialDate(2016, 5, 1), "first of May")
    merged = merge([[may], [last_of_may, first_of_june], [first_of_may]])
    assert [e.description for e in merged] == [
        "first of May",
        "last day of May",
        "May, day unknown",
        "first of June",
    ]


def test_it_places_a_year_only_entry_after_the_months_of_that_year() -> None:
    year = _entry("Police", PartialDate(2016), "some time in 2016")
    december = _entry("Health", PartialDate(2016, 12), "December")
    new_year = _entry("Health", PartialDate(2017, 1, 1), "new year")
    assert [e.description for e in merge([[year, new_year], [december]])] == [
        "December",
        "some time in 2016",
        "new year",
    ]


dates = st.builds(
    lambda y, m, d, kind, unsure: (
        PartialDate(y, m, d if kind == 0 else None, unsure)
        if kind < 2
        else PartialDate(y, None, None, unsure)
    ),
    st.integers(2010, 2012),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
    st.booleans(),
)


@given(st.lists(st.lists(st.tuples(st.sampled_from("ABC"), dates), max_size=15), max_size=4))
def test_it_keeps_every_entry_once_in_date_order(raw: list[list[tuple[str, PartialDate]]]) -> None:
    lists = [
        [_entry(agency, date, f"{n}-{i}") for i, (agency, date) in enumerate(items)]
        for n, items in enumerate(raw)
    ]
    merged = merge(lists)
    assert sorted(id(e) for e in merged) == sorted(id(e) for items in lists for e in items)
    keys = [e.sort_key() for e in merged]
    assert keys == sorted(keys)
    for earlier, later in itertools.pairwise(merged):
        assert earlier.date.end <= later.date.end  # nothing certainly later comes first


def test_it_keeps_the_given_order_for_entries_that_sort_alike() -> None:
    first = _entry("Police", PartialDate(2016, 5, 3), "first")
    second = _entry("Police", PartialDate(2016, 5, 3), "second")
    assert [e.description for e in merge([[first, second]])] == ["first", "second"]


def test_it_says_how_far_to_trust_a_date() -> None:
    assert date_note(_entry("A", PartialDate(2016, 5, 3))) == ""
    assert date_note(_entry("A", PartialDate(2016, 5))) == "month only"
    assert date_note(_entry("A", PartialDate(2016, uncertain=True))) == "year only, date uncertain"
    assert date_note(_entry("A", PartialDate(2016, 5, 3, uncertain=True))) == "date uncertain"


CASE = [
    _entry(
        "Police", PartialDate(2016, 5, 3), "Police called to domestic incident", event_type="domestic_abuse"
    ),
    _entry("Health", PartialDate(2016, 5), "Health visitor contact, baby weighed", child_seen=True),
    _entry("School", PartialDate(2016, 6, 20), "Bruise seen on arm", source="", first_hand=False),
    _entry(
        "CSC", PartialDate(2016, 7, 1), "Strategy discussion", significant=True, kind=EntryKind.PRACTITIONER
    ),
]


def test_it_filters_by_agency_event_type_text_and_flags() -> None:
    assert [e.agency for e in filter_entries(CASE, agencies={"Police", "CSC"})] == ["Police", "CSC"]
    assert [e.agency for e in filter_entries(CASE, event_types={"domestic_abuse"})] == ["Police"]
    assert [e.agency for e in filter_entries(CASE, event_types={None})] == ["Health", "School", "CSC"]
    assert [e.agency for e in filter_entries(CASE, text="BABY weighed")] == ["Health"]
    assert [e.agency for e in filter_entries(CASE, flags={"child_seen"})] == ["Health"]
    assert [e.agency for e in filter_entries(CASE, flags={"third_party", "no_source"})] == ["School"]
    assert [e.agency for e in filter_entries(CASE, flags={"practitioner", "significant"})] == ["CSC"]


def test_it_filters_by_inferred_event_types_when_given_a_classifier() -> None:
    found = filter_entries(CASE, event_types={"hv_contact"}, event_type_of=lambda e: "hv_contact")
    assert [e.agency for e in found] == ["Health", "School", "CSC"]  # the agency's own code still wins


def test_it_keeps_a_month_only_entry_whose_month_overlaps_the_date_range() -> None:
    found = filter_entries(CASE, date_from=dt.date(2016, 5, 20), date_to=dt.date(2016, 6, 30))
    assert [e.agency for e in found] == ["Health", "School"]


def test_it_counts_an_end_date_in_the_span_an_entry_covers() -> None:
    stay = _entry("Health", PartialDate(2016, 1, 1), "admitted", end_date=PartialDate(2016, 3, 1))
    assert filter_entries([stay], date_from=dt.date(2016, 2, 1)) == [stay]


def test_it_names_an_unknown_flag() -> None:
    with pytest.raises(ValueError, match=r"unknown flag.*seen_twice"):
        filter_entries(CASE, flags={"seen_twice"})


def test_it_rejects_a_date_range_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="date_to 2016-01-01 is before date_from 2016-02-01"):
        filter_entries(CASE, date_from=dt.date(2016, 2, 1), date_to=dt.date(2016, 1, 1))


def test_it_summarises_agencies_types_and_date_precision() -> None:
    summary = summarise(CASE)
    assert summary.total == 4
    assert summary.by_agency == {"CSC": 1, "Health": 1, "Police": 1, "School": 1}
    assert summary.by_event_type == {"": 3, "domestic_abuse": 1}
    assert (summary.first_date, summary.last_date) == (dt.date(2016, 5, 1), dt.date(2016, 7, 1))
    assert (summary.exact_dates, summary.month_only, summary.year_only) == (3, 1, 0)
    assert (summary.practitioner_entries, summary.third_party_entries) == (1, 1)
    assert summary.agency_count == 4
    assert summary.span_days == 62


def test_it_summarises_an_empty_chronology() -> None:
    summary = summarise([])
    assert (summary.total, summary.first_date, summary.span_days) == (0, None, 0)
