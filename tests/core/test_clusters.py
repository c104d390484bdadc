"""Clusters, not pairs: one event, several accounts; conflicts inside; a finding once per event."""

from __future__ import annotations

import datetime as dt
import random

from chronicle.core.analysis import analyse, analysis_to_json
from chronicle.core.compliance import Status
from chronicle.core.dates import PartialDate
from chronicle.core.duplicates import MAX_ACCOUNTS, find_clusters
from chronicle.core.entries import Entry

CSC = "Children's Social Care"


def _day(d: int, month: int = 5) -> PartialDate:
    return PartialDate(2016, month, d)


def test_it_makes_one_cluster_of_three_agencies_recording_one_strategy_discussion() -> None:
    entries = [
        Entry("Police", _day(3), "Strategy discussion held with CSC and health; s47 enquiries agreed"),
        Entry("Health", _day(3), "Strategy discussion held with police and CSC; s47 enquiries agreed"),
        Entry(CSC, _day(3), "Strategy discussion held with police and health, s47 enquiries agreed"),
    ]
    (cluster,) = find_clusters(entries, event_types=["strategy_discussion"] * 3)
    assert cluster.members == (0, 1, 2)
    assert cluster.words(entries) == f"One event, 3 accounts: Police, Health, {CSC}"
    assert [(link.a_index, link.b_index, link.kind) for link in cluster.links] == [
        (0, 1, "duplicate"),
        (0, 2, "duplicate"),
    ]
    assert cluster.conflicts == ()


def test_it_reports_each_pair_of_differing_accounts_once_inside_the_cluster() -> None:
    entries = [
        Entry("Police", _day(9), "Police called to domestic incident at the home, 3 children present"),
        Entry(CSC, _day(9), "Police called to domestic incident at the home, 3 children present"),
        Entry("Health", _day(9), "Police called to domestic incident at the home, 2 children present"),
    ]
    (cluster,) = find_clusters(entries)
    pairs = [(link.a_index, link.b_index) for link in cluster.conflicts]
    assert pairs == [(0, 2), (1, 2)]
    assert "numbers differ: Police 3; Health 2" in cluster.conflicts[0].reasons


def test_it_reports_different_times_of_one_event_as_a_difference() -> None:
    entries = [
        Entry("Police", _day(9), "Strategy discussion about bruising to the baby", time=dt.time(10, 0)),
        Entry(CSC, _day(9), "Strategy discussion about bruising to the baby", time=dt.time(15, 30)),
    ]
    (cluster,) = find_clusters(entries)
    (conflict,) = cluster.conflicts
    assert f"recorded at different times: Police 10:00, {CSC} 15:30" in conflict.reasons


def test_it_puts_an_entry_in_one_cluster_only_and_keeps_clusters_small_and_local() -> None:
    # A crowded fortnight: every agency records the same words every day.
    agencies = [f"Agency {n}" for n in range(12)]
    entries = [
        Entry(agency, _day(day), "Home visit, child seen alone in the bedroom, mother tearful")
        for day in range(1, 15)
        for agency in agencies
    ]
    clusters = find_clusters(entries)
    members = [i for cluster in clusters for i in cluster.members]
    assert len(members) == len(set(members))  # one cluster per entry at most
    assert all(2 <= len(cluster.members) <= MAX_ACCOUNTS for cluster in clusters)
    for cluster in clusters:
        days = [entries[i].date.start for i in cluster.members]
        assert (max(days) - min(days)).days <= 3
    # Conflicts stay in proportion: never more than the pairs inside the small clusters.
    pairs_inside = sum(len(c.members) * (len(c.members) - 1) // 2 for c in clusters)
    assert sum(len(c.conflicts) for c in clusters) <= pairs_inside <= len(entries) * (MAX_ACCOUNTS - 1) // 2


def test_it_grows_with_the_entries_not_with_their_pairs() -> None:
    rng = random.Random(5)
    phrases = ("Strategy discussion about bruising", "Police called to domestic incident at home")

    def crowded(size: int) -> list[Entry]:
        return [
            Entry(
                f"Agency {rng.randrange(20)}",
                PartialDate.exact(dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(size // 50))),
                f"{rng.choice(phrases)}, {rng.randint(1, 4)} children present",
                child_seen=rng.choice((None, True, False)),
            )
            for _ in range(size)
        ]

    small, large = crowded(1_000), crowded(4_000)
    small_links = sum(len(c.links) + len(c.conflicts) for c in find_clusters(small))
    large_links = sum(len(c.links) + len(c.conflicts) for c in find_clusters(large))
    assert small_links > 100
    assert large_links < 5 * small_links  # four times the entries, at the same density: about four times


def test_it_makes_a_finding_about_one_event_once_naming_every_account() -> None:
    referral = "Referral received about bruising to the baby's face, seen at nursery"
    entries = [
        Entry("Police", PartialDate(2012, 5, 14), referral, row=2, event_type="referral"),
        Entry(CSC, PartialDate(2012, 5, 14), referral, row=2, event_type="referral"),
        Entry(
            CSC,
            PartialDate(2012, 5, 18),
            "Decision: strategy discussion",
            row=3,
            event_type="referral_decision",
        ),
    ]
    result = analyse(entries, child_born_on=dt.date(2011, 1, 1))
    assert [cluster.members for cluster in result.clusters] == [(0, 1)]
    cj01 = [n for n, f in enumerate(result.findings) if f.rule_id == "CJ-01"]
    assert len(cj01) == 1
    assert result.findings[cj01[0]].status is Status.NOT_MET
    assert sorted(result.entries[i].agency for i in result.accounts_of(cj01[0])) == [CSC, "Police"]
    found = next(f for f in analysis_to_json(result)["findings"] if f["rule"] == "CJ-01")
    assert sorted(account["agency"] for account in found["accounts"]) == [CSC, "Police"]


def test_it_describes_clusters_in_plain_words_in_the_json() -> None:
    entries = [
        Entry("Police", _day(3), "Strategy discussion held about bruising to the baby", row=4),
        Entry(CSC, _day(3), "Strategy discussion held about bruising to the baby", row=9),
    ]
    data = analysis_to_json(analyse(entries))
    (cluster,) = data["clusters"]
    assert cluster["words"] == f"One event, 2 accounts: {CSC}, Police"  # merged order: same day, by name
    assert [(a["agency"], a["row"]) for a in cluster["accounts"]] == [(CSC, 9), ("Police", 4)]
