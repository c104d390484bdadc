"""Clusters are built from every pair that may record one event: the quick search misses none and adds none.

The pairs are checked against their definition, worked out the slow way over all pairs of
entries: both dated at least to the month, within the window (exact days at most
``window_days`` apart; a month against the exact days it may mean, give or take the window;
two months the same or neighbouring), compatible event types, different agencies or
overlapping dates, two words shared, descriptions alike, and then alike enough on
different days to be one event (same type and nearly the same words, an uncertain date, or
accounts that differ).
"""

from __future__ import annotations

import datetime as dt

import pytest
from rapidfuzz import fuzz

from chronicle.core import duplicates
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.events import Event
from tests.core.crowded_case import crowded_case

WINDOW, THRESHOLD, CONFLICT = 3, 80, 90


def _months_near(date: PartialDate) -> set[tuple[int, int]]:
    return {
        (day.year, day.month)
        for day in (date.start - dt.timedelta(days=1), date.start, date.end, date.end + dt.timedelta(days=1))
    }


def _in_window(one: Entry, two: Entry) -> bool:
    a, b = one.date, two.date
    if a.day is not None and b.day is not None:
        return abs((a.start - b.start).days) <= WINDOW
    if a.day is None and b.day is None:
        return (b.year, b.month) in _months_near(a)
    month, exact = (a, b) if a.day is None else (b, a)
    return (month.start - dt.timedelta(days=WINDOW)) <= exact.start <= (month.end + dt.timedelta(days=WINDOW))


def _slow_pairs(entries: list[Entry], types: list[str | None]) -> list[tuple[int, int, int]]:
    words = [frozenset(duplicates.normalise_description(e.description).split()) for e in entries]
    text = [duplicates.normalise_description(e.description) for e in entries]
    kind = [duplicates._type_key(t) for t in types]
    facts = duplicates._Prepared(
        text, kind, [], [], [], {}, {}, [], [], [e.description for e in entries], {}, [], []
    )
    linkable = [
        i
        for i, e in enumerate(entries)
        if e.date.month is not None and len(words[i]) >= duplicates.MIN_SHARED_WORDS
    ]
    found = []
    for n, i in enumerate(linkable):
        for j in linkable[n + 1 :]:
            one, two = entries[i], entries[j]
            if not _in_window(one, two):
                continue
            if kind[i] is not None and kind[j] is not None and kind[i] != kind[j]:
                continue
            overlap = one.date.start <= two.date.end and two.date.start <= one.date.end
            if one.agency == two.agency and not overlap:
                continue
            shared = len(words[i] & words[j])
            if shared < duplicates.MIN_SHARED_WORDS:  # no blocking on the share of words here
                continue
            text_score = fuzz.token_set_ratio(text[i], text[j])
            if text_score < THRESHOLD - duplicates.TYPE_BONUS:
                continue
            same_type = kind[i] is not None and kind[i] == kind[j]
            score = min(100, round(text_score) + (duplicates.TYPE_BONUS if same_type else 0))
            if score < THRESHOLD:
                continue
            differ = duplicates._fact_differences(
                one, two, duplicates._text_facts(facts, i), duplicates._text_facts(facts, j)
            )
            if (
                overlap
                or one.date.uncertain
                or two.date.uncertain
                or (same_type and round(text_score) >= CONFLICT)
                or differ
            ):
                found.append((i, j, score))
    return found


def _types(events: list[tuple[Event, ...]]) -> list[str | None]:
    return [found[0].type if found else None for found in events]


def test_it_finds_exactly_the_pairs_of_their_definition_on_a_crowded_case() -> None:
    entries, events = crowded_case(1_500)
    types = _types(events)
    quick = duplicates.candidate_pairs(entries, WINDOW, THRESHOLD, CONFLICT, event_types=types)
    assert len(quick) > 1_000
    assert quick == sorted(_slow_pairs(entries, types))


def test_it_finds_exactly_the_pairs_of_their_definition_with_every_type_unknown() -> None:
    entries, _ = crowded_case(800, seed=3)
    types: list[str | None] = [None] * len(entries)
    quick = duplicates.candidate_pairs(entries, WINDOW, THRESHOLD, CONFLICT, event_types=types)
    assert len(quick) > 300
    assert quick == sorted(_slow_pairs(entries, types))


def test_it_finds_the_same_clusters_when_worker_processes_share_the_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries, events = crowded_case(1_500)
    types = _types(events)
    alone = duplicates.find_clusters(entries, event_types=types)
    monkeypatch.setattr(duplicates, "MIN_ENTRIES_PER_PROCESS", 200)
    shared = duplicates.find_clusters(entries, event_types=types, processes=2)
    assert len(alone) > 100
    assert shared == alone
