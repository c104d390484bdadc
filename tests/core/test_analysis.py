"""analyse(): one call merges every agency's entries and runs every check once."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.core.analysis import analyse, analysis_to_json
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry

CSC = "Children's Social Care"
POLICE = "Police"
HEALTH = "Health Visiting"


def day(year: int, month: int, date: int) -> PartialDate:
    return PartialDate(year, month, date)


def case() -> list[Entry]:
    """Two agencies, each in its own order; one uncoded referral; one repeated event."""
    return [
        Entry(CSC, day(2019, 3, 4), "Referral received from school about bruising", source="LCS", row=2),
        Entry(
            CSC,
            day(2019, 3, 5),
            "Decision: strategy discussion to be held",
            source="LCS",
            row=3,
            event_type="referral_decision",
        ),
        Entry(
            CSC,
            day(2019, 3, 6),
            "Strategy discussion with police and health about bruising to the child",
            source="Minutes",
            row=4,
            event_type="strategy_discussion",
        ),
        Entry(
            POLICE, PartialDate(2019, 3), "Officer recalls speaking to school in March", source="PNC", row=2
        ),
        Entry(
            POLICE,
            day(2019, 3, 6),
            "Strategy discussion with social care and health about bruising to the child",
            source="PPU log",
            row=3,
            event_type="strategy_discussion",
        ),
        Entry(POLICE, day(2019, 1, 2), "Welfare check at the home address", source="Storm", row=4),
    ]


def test_it_orders_every_agencys_entries_by_date_respecting_precision() -> None:
    result = analyse(case())
    assert [(e.agency, e.row) for e in result.entries] == [
        (POLICE, 4),
        (CSC, 2),
        (CSC, 3),
        (CSC, 4),
        (POLICE, 3),
        (POLICE, 2),  # "March 2019" may mean any day of March: after every day of it
    ]


def test_it_keeps_the_agency_code_and_records_the_events_read_beside_the_entry() -> None:
    entries = case()
    before = copy.deepcopy(entries)
    result = analyse(entries)
    assert entries == before  # nothing the agencies recorded is changed
    referral = next(i for i, e in enumerate(result.entries) if e.description.startswith("Referral received"))
    assert result.entries[referral].event_type is None
    assert result.event_types[referral] == "referral"
    read = next(e for e in result.events[referral] if e.type == "referral")
    assert read.source == "text" and read.asserted and "Referral" in read.words
    assert result.is_inferred(referral)
    assert "Referral" in result.describe_events(referral)
    decision = next(i for i, e in enumerate(result.entries) if e.event_type == "referral_decision")
    assert result.events[decision][0].source == "agency"
    assert not result.is_inferred(decision)


def test_it_runs_the_rules_on_the_inferred_types() -> None:
    result = analyse(case())
    cj01 = [f for f in result.findings if f.rule_id == "CJ-01"]
    assert len(cj01) == 1
    assert cj01[0].status.value == "met"  # the uncoded referral was decided the next working day
    assert result.entries[cj01[0].trigger_index].description.startswith("Referral received")


def test_it_links_the_same_discussion_recorded_by_two_agencies() -> None:
    result = analyse(case())
    assert [
        (result.entries[k.a_index].agency, result.entries[k.b_index].agency) for k in result.duplicates
    ] == [(CSC, POLICE)]
    assert result.conflicts == []


def test_it_maps_quality_points_back_to_the_composite() -> None:
    entries = case()
    entries[5] = Entry(POLICE, day(2019, 1, 2), "Welfare check at the home address", source="", row=4)
    result = analyse(entries)
    card = result.scorecards[POLICE]
    no_source = next(p for p in card.points if p.rule_id == "CQ-03")
    assert [result.entries[i].row for i in result.point_entries(POLICE, no_source)] == [4]
    assert [result.entries[i].agency for i in result.point_entries(POLICE, no_source)] == [POLICE]


def test_it_finds_silence_across_all_agencies_within_the_period() -> None:
    result = analyse(case(), period_end=dt.date(2019, 12, 31), silence_threshold_days=30)
    assert [(p.start, p.end) for p in result.silent_periods] == [
        (dt.date(2019, 1, 3), dt.date(2019, 2, 28)),  # "March 2019" may mean the 1st
        (dt.date(2019, 4, 1), dt.date(2019, 12, 31)),
    ]


def test_it_gives_exactly_the_json_keys_with_entries_by_agency_date_and_row() -> None:
    data = analysis_to_json(analyse(case()))
    assert list(data) == [
        "entries",
        "clusters",
        "conflicts",
        "silent_periods",
        "rules",
        "findings",
        "quality",
    ]
    assert data["entries"] == 6
    cluster = data["clusters"][0]
    assert [(e["agency"], e["date"], e["row"]) for e in cluster["accounts"]] == [
        (CSC, "2019-03-06", 4),
        (POLICE, "2019-03-06", 3),
    ]
    (link,) = cluster["links"]
    assert link["kind"] == "duplicate" and link["score"] >= 80 and link["reasons"]
    assert set(data["quality"]) == {CSC, POLICE}
    assert {"entries", "errors", "warnings", "rules_passed", "points"} == set(data["quality"][CSC])


def test_it_uses_the_childs_date_of_birth_for_the_injury_rule() -> None:
    bruise = Entry(
        HEALTH, day(2019, 5, 2), "Health visitor noted a bruise on the baby's cheek", source="HV", row=2
    )
    with_age = analyse([bruise], child_born_on=dt.date(2019, 1, 10))
    without_age = analyse([bruise])
    assert [(f.rule_id, f.status.value) for f in with_age.findings] == [("SH-INJ-NIM", "not_met")]
    assert [(f.rule_id, f.status.value) for f in without_age.findings] == [
        ("SH-INJ-NIM", "cannot_be_determined")
    ]


def test_it_counts_findings_by_status() -> None:
    result = analyse(case())
    assert sum(result.findings_by_status().values()) == len(result.findings)


def test_it_refuses_a_bad_setting_by_name() -> None:
    with pytest.raises(ValueError, match="duplicate_window_days"):
        analyse(case(), duplicate_window_days=-1)
    with pytest.raises(ValueError, match="silence_threshold_days"):
        analyse(case(), silence_threshold_days=0)


def test_it_analyses_nothing_without_error() -> None:
    result = analyse([])
    assert result.entries == [] and result.findings == [] and result.scorecards == {}
    assert analysis_to_json(result)["entries"] == 0


def test_it_records_how_long_each_stage_took() -> None:
    assert set(analyse(case()).timings) == {
        "merge",
        "events",
        "clusters",
        "silent_periods",
        "expected_contacts",
        "compliance",
        "once_per_event",
        "quality",
    }


_dates = st.builds(
    lambda year, month, date, precision: (
        PartialDate(year, month, date)
        if precision == 0
        else (PartialDate(year, month) if precision == 1 else PartialDate(year))
    ),
    st.integers(2010, 2020),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
)
_entries = st.lists(
    st.builds(
        Entry,
        agency=st.sampled_from([CSC, POLICE, HEALTH]),
        date=_dates,
        description=st.sampled_from(
            ["Home visit, child seen", "Referral received from school", "GP appointment not attended", "Call"]
        ),
        source=st.just("record"),
        row=st.one_of(st.none(), st.integers(2, 500)),
        time=st.one_of(st.none(), st.sampled_from([dt.time(0, 0), dt.time(9, 30), dt.time(17, 0)])),
    ),
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(_entries)
def test_it_keeps_every_entry_once_in_sort_key_order(entries: list[Entry]) -> None:
    result = analyse(entries)
    assert sorted(map(id, result.entries)) == sorted(map(id, entries))
    keys = [e.sort_key() for e in result.entries]
    assert keys == sorted(keys)
    # exactly the stable sort by Entry.sort_key: equal keys keep the order given
    assert list(map(id, result.entries)) == list(map(id, sorted(entries, key=Entry.sort_key)))
    assert len(result.events) == len(entries)
    for agency, positions in result.agency_positions.items():
        assert [result.entries[i] for i in positions] == [e for e in entries if e.agency == agency]
