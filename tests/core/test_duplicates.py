"""Accounts of one event: pairs that agree (corroboration) or conflict, never deletions."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from rapidfuzz import fuzz

from chronicle.core.dates import PartialDate
from chronicle.core.duplicates import (
    FACT_CHECKS,
    MIN_SHARED_WORDS,
    TYPE_BONUS,
    Link,
    _fact_differences,
    _prepare,
    _text_facts,
    candidate_pairs,
    find_clusters,
    normalise_description,
)
from chronicle.core.entries import Entry
from chronicle.core.extract import read_types


def _e(agency: str, date: PartialDate, text: str, **fields: object) -> Entry:
    return Entry(agency, date, text, **fields)  # type: ignore[arg-type]


def _day(d: int, month: int = 5) -> PartialDate:
    return PartialDate(2016, month, d)


def find_links(entries: list[Entry], **options: object) -> list[Link]:
    """Every cluster's links with its first account, and its conflicts: one per pair of accounts."""
    links: dict[tuple[int, int], Link] = {}
    for cluster in find_clusters(entries, **options):  # type: ignore[arg-type]
        for link in (*cluster.links, *cluster.conflicts):
            links[(link.a_index, link.b_index)] = link
    return [links[pair] for pair in sorted(links)]


def _only(links: list[Link]) -> Link:
    assert len(links) == 1, links
    return links[0]


def test_it_links_the_same_event_recorded_by_two_agencies_as_a_duplicate() -> None:
    entries = [
        _e("Police", _day(3), "Strategy discussion held with CSC and health; s47 enquiries agreed"),
        _e("CSC", _day(3), "Strategy discussion held with police and health, s47 enquiries agreed"),
    ]
    link = _only(find_links(entries, event_types=["strategy_discussion"] * 2))
    assert (link.a_index, link.b_index, link.kind) == (0, 1, "duplicate")
    assert "same date: 03/05/2016" in link.reasons
    assert "same event type: Strategy discussion" in link.reasons
    assert link.score == 100


def test_it_links_two_entries_of_the_same_agency_on_the_same_day() -> None:
    entries = [
        _e("Police", _day(3), "Police called to domestic incident at home address"),
        _e("Police", _day(3), "Police called to domestic incident at home address, 2 children present"),
    ]
    link = _only(find_links(entries))
    assert (link.a_index, link.b_index, link.kind) == (0, 1, "duplicate")


def test_it_never_links_entries_of_the_same_agency_on_different_days() -> None:
    entries = [
        _e("CSC", _day(3), "Statutory visit, no reply at the door, card left", event_type="visit"),
        _e("CSC", _day(5), "Statutory visit, no reply at the door, card left", event_type="visit"),
    ]
    assert find_links(entries) == []


def test_it_reports_different_child_seen_values_as_a_conflict() -> None:
    entries = [
        _e("CSC", _day(10), "Home visit to the family, bedrooms checked", child_seen=True),
        _e("Health", _day(10), "Home visit to the family, bedrooms checked", child_seen=False),
    ]
    link = _only(find_links(entries))
    assert link.kind == "conflict"
    assert "child seen: yes in CSC, no in Health" in link.reasons


def test_it_reports_seen_and_not_seen_in_the_text_as_a_conflict() -> None:
    entries = [
        _e("CSC", _day(10), "Joint home visit with health visitor, child seen in the lounge"),
        _e("Health", _day(10), "Joint home visit with social worker, child not seen, asleep upstairs"),
    ]
    link = _only(find_links(entries, threshold=70))
    assert link.kind == "conflict"
    assert any("the child was seen" in r and "the child was not seen" in r for r in link.reasons)


def test_it_reports_different_numbers_and_outcomes_as_a_conflict() -> None:
    entries = [
        _e("Police", _day(20), "Police called to domestic incident, 3 children present", outcome="arrested"),
        _e(
            "CSC",
            _day(20),
            "Police called to domestic incident, 2 children present",
            outcome="no further action",
        ),
    ]
    link = _only(find_links(entries))
    assert link.kind == "conflict"
    assert "numbers differ: Police 3; CSC 2" in link.reasons
    assert any(r.startswith("outcomes differ") for r in link.reasons)


def test_it_reports_the_same_event_on_different_dates_as_a_conflict() -> None:
    entries = [
        _e(
            "Police",
            _day(3),
            "Strategy discussion held about bruising to the baby",
            event_type="strategy_discussion",
        ),
        _e(
            "Health",
            _day(5),
            "Strategy discussion held about bruising to the baby",
            event_type="strategy_discussion",
        ),
    ]
    link = _only(find_links(entries))
    assert link.kind == "conflict"
    assert "recorded on different dates: Police 03/05/2016, Health 05/05/2016" in link.reasons


def test_it_does_not_link_alike_entries_on_different_days_without_a_shared_event_type() -> None:
    entries = [
        _e("School", _day(3), "Child arrived late and hungry, given breakfast"),
        _e("Nursery", _day(5), "Child arrived late and hungry, given toast"),
    ]
    assert find_links(entries) == []


def test_it_leaves_out_pairs_further_apart_than_the_window() -> None:
    entries = [
        _e("Police", _day(3), "Strategy discussion held about bruising", event_type="strategy_discussion"),
        _e("Health", _day(8), "Strategy discussion held about bruising", event_type="strategy_discussion"),
    ]
    assert find_links(entries, window_days=3) == []
    assert len(find_links(entries, window_days=5)) == 1


def test_it_treats_a_month_only_date_as_compatible_with_a_day_in_that_month() -> None:
    entries = [
        _e("Health", PartialDate(2016, 5), "Child protection medical by paediatrician, bruising noted"),
        _e("CSC", _day(17), "Child protection medical by the paediatrician: bruising noted"),
    ]
    link = _only(find_links(entries))
    assert link.kind == "duplicate"
    assert "dates compatible: Health May 2016, CSC 17/05/2016" in link.reasons


def test_it_calls_different_dates_a_possible_duplicate_when_one_is_uncertain() -> None:
    entries = [
        _e(
            "Police",
            PartialDate(2016, 5, 3, uncertain=True),
            "Strategy discussion about bruising",
            event_type="strategy_discussion",
        ),
        _e("Health", _day(5), "Strategy discussion about bruising", event_type="strategy_discussion"),
    ]
    link = _only(find_links(entries))
    assert link.kind == "duplicate"
    assert any("one is marked uncertain" in r for r in link.reasons)


def test_it_does_not_link_entries_of_different_event_types() -> None:
    entries = [
        _e("Police", _day(3), "Attended the address with the mother", event_type="police_callout"),
        _e("Health", _day(3), "Attended the address with the mother", event_type="hv_contact"),
    ]
    assert find_links(entries) == []


def test_it_leaves_year_only_and_one_word_entries_alone() -> None:
    entries = [
        _e("Police", PartialDate(2016), "Strategy discussion about bruising"),
        _e("Health", PartialDate(2016), "Strategy discussion about bruising"),
        _e("CSC", _day(3), "Visit"),
        _e("School", _day(3), "Visit"),
    ]
    assert find_links(entries) == []


def test_it_changes_and_drops_nothing() -> None:
    entries = [
        _e("Police", _day(3), "Strategy discussion held"),
        _e("CSC", _day(3), "Strategy discussion held"),
    ]
    before = [(e.agency, e.date, e.description) for e in entries]
    find_links(entries)
    assert [(e.agency, e.date, e.description) for e in entries] == before


def test_it_names_bad_parameters() -> None:
    with pytest.raises(ValueError, match="window_days must not be negative"):
        find_links([], window_days=-1)
    with pytest.raises(ValueError, match="between 0 and 100"):
        find_links([], threshold=120)
    with pytest.raises(ValueError, match="event_types has 1 codes for 0 entries"):
        find_links([], event_types=["visit"])


def test_it_normalises_descriptions_for_comparison() -> None:
    assert normalise_description("The Police were CALLED to the address!") == "police called address"


AGENCIES = ("Police", "CSC", "Health", "School", "GP", "Housing")
PHRASES = (
    "Strategy discussion held about bruising to the baby",
    "Police called to domestic incident at the home address",
    "Home visit, child seen alone in the bedroom",
    "Child protection medical by the paediatrician",
    "Health visitor contact, baby weighed and feeding well",
    "Attended A&E with a head injury after a fall",
    "Absent from school with no reason given",
    "Telephone call to mother about the plan",
)
EXTRAS = (
    "",
    "; mother tearful",
    "; father present",
    "; 2 children present",
    "; child not seen",
    " (late entry)",
)


def _realistic_case(seed: int, size: int) -> list[Entry]:
    rng = random.Random(seed)
    entries = []
    for _ in range(size):
        day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(60))
        roll = rng.random()
        date = (
            PartialDate(day.year, day.month) if roll < 0.1 else PartialDate.exact(day, uncertain=roll > 0.95)
        )
        text = rng.choice(PHRASES) + rng.choice(EXTRAS)
        if rng.random() < 0.3:  # a word dropped, as another agency might write it
            words = text.split()
            del words[rng.randrange(len(words))]
            text = " ".join(words)
        entries.append(_e(rng.choice(AGENCIES), date, text, child_seen=rng.choice((None, True, False))))
    return entries


def _every_pair(
    entries: list[Entry], types: list[str | None], window: int, threshold: int
) -> set[tuple[int, int, int]]:
    """The slow reference: score every pair the rules allow, with no blocking."""
    prepared = _prepare(entries, types, threshold)
    eligible = set(prepared.exact) | set(prepared.months)
    found: set[tuple[int, int, int]] = set()
    for a in range(len(entries)):
        for b in range(a + 1, len(entries)):
            first, second = entries[a], entries[b]
            if a not in eligible or b not in eligible:
                continue
            overlap = first.date.start <= second.date.end and second.date.start <= first.date.end
            if first.agency == second.agency and not overlap:
                continue
            ta, tb = prepared.type_key[a], prepared.type_key[b]
            if ta is not None and tb is not None and ta != tb:
                continue
            gap = max(first.date.start - second.date.end, second.date.start - first.date.end).days
            if gap > window:
                continue
            score = fuzz.token_set_ratio(prepared.text[a], prepared.text[b])
            if score < threshold - TYPE_BONUS:
                continue
            if len(prepared.words[a] & prepared.words[b]) < MIN_SHARED_WORDS:
                continue
            same_type = ta is not None and ta == tb
            same = min(100, round(score) + (TYPE_BONUS if same_type else 0))
            if same < threshold:
                continue
            if (
                overlap
                or first.date.uncertain
                or second.date.uncertain
                or (same_type and round(score) >= 90)
                or _fact_differences(first, second, _text_facts(prepared, a), _text_facts(prepared, b))
            ):
                found.add((a, b, same))
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_finds_the_same_candidate_pairs_as_comparing_every_pair(seed: int) -> None:
    entries = _realistic_case(seed, 300)
    types = read_types(entries)
    fast = set(candidate_pairs(entries, event_types=types))
    slow = _every_pair(entries, types, window=3, threshold=80)
    assert fast == slow
    assert len(fast) > 20  # the case is dense enough for the comparison to mean something


def test_it_gives_each_pair_of_accounts_at_most_one_link_in_index_order() -> None:
    entries = _realistic_case(7, 400)
    clusters = find_clusters(entries, event_types=read_types(entries))
    for cluster in clusters:
        pairs = [(link.a_index, link.b_index) for link in cluster.conflicts]
        assert pairs == sorted(set(pairs))
        assert all(a < b and a in cluster.members and b in cluster.members for a, b in pairs)
        assert [link.b_index for link in cluster.links] == list(cluster.members[1:])
        assert all(link.a_index == cluster.first for link in cluster.links)


def test_it_reads_facts_as_the_patterns_alone_do() -> None:
    # The plain-word check before each pattern only saves time: every text reads as the pattern says.
    phrases = [
        "child seen",
        "saw the baby",
        "observed in the garden",
        "not seen",
        "unseen",
        "no access",
        "no reply",
        "not present",
        "not at home",
        "not in",
        "did not see",
        "didn't see",
        "could not see",
        "couldn't see",
        "unable to see",
        "was not seen",
        "wasn't seen",
        "not available",
        "attended",
        "attends",
        "present",
        "did not attend",
        "didn't attend",
        "dna",
        "was not brought",
        "wnb",
        "failed to attend",
        "no show",
        "not attended",
        "cancelled",
        "injuries",
        "bruising",
        "marks",
        "fracture",
        "burns",
        "cut",
        "no injuries",
        "no visible bruising",
        "no obvious marks",
        "no apparent fracture",
        "no burn",
        "no cuts",
        "seenery",
        "notseen",
        "presented",
        "cutlery",
        "nothing",
    ]
    rng = random.Random(5)
    texts = [*phrases, *(" ".join(rng.sample(phrases, 3)) for _ in range(300))]
    for check in FACT_CHECKS:
        for text in texts:
            expected = (
                False if check.no_pattern.search(text) else True if check.yes_pattern.search(text) else None
            )
            assert check.reading(text) is expected, (check.name, text)
