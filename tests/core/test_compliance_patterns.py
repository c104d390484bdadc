"""Patterns reviews keep finding (PAT-*): closed referrals, the child unseen, a carer on bail, police information."""

from __future__ import annotations

import datetime as dt

from chronicle.core.compliance import Finding, RuleContext, Status, evaluate, rule_by_id
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.events import Event, Subject

D = dt.date
CONTEXT = RuleContext(child_born_on=D(2015, 6, 1))
CSC = "Northshire Children's Social Care"
POLICE = "Northshire Police"


def record(day: dt.date, *events: Event, agency: str = CSC) -> tuple[Entry, tuple[Event, ...]]:
    return Entry(agency=agency, date=PartialDate.exact(day), description="entry"), events


def run(*records: tuple[Entry, tuple[Event, ...]]) -> list[Finding]:
    return evaluate([r[0] for r in records], CONTEXT, events=[r[1] for r in records])


def of(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


def test_it_carries_an_id_source_plain_title_and_unverified_tag_for_each_new_rule() -> None:
    for rule_id in ("PAT-01", "PAT-02", "PAT-03", "PAT-04", "SH-INJ-ANY", "SH-INJ-PLAN", "SH-INJ-REPEAT"):
        rule = rule_by_id(rule_id)
        assert rule.title and rule.requirement and rule.source, rule_id
        assert rule.tag == "G" and not rule.verified, rule_id


def test_it_flags_referrals_closed_again_and_again_without_assessment() -> None:
    days = [D(2018, 1, 8), D(2018, 4, 9), D(2018, 9, 3)]
    records = []
    for day in days:
        records.append(record(day, Event("referral"), Event("domestic_abuse")))
        records.append(record(day + dt.timedelta(days=2), Event("referral_decision"), Event("case_closed")))
    finding = of(run(*records), "PAT-01")
    assert len(finding) == 1 and finding[0].status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    assert set(finding[0].entry_indexes) == set(range(6))
    assessed = [*records[:2], record(days[1], Event("referral")), record(days[1], Event("assessment_start"))]
    assessed.append(
        record(days[1] + dt.timedelta(days=30), Event("assessment_complete"), Event("case_closed"))
    )
    assert not of(run(*assessed), "PAT-01")


def test_it_does_not_join_closures_more_than_a_year_apart() -> None:
    records = [
        record(D(2016, 1, 8), Event("referral"), Event("case_closed")),
        record(D(2018, 1, 8), Event("referral"), Event("case_closed")),
    ]
    assert not of(run(*records), "PAT-01")


def test_it_finds_a_harm_referral_closed_without_the_child_seen() -> None:
    day = D(2019, 3, 11)
    closed = run(
        record(day, Event("referral"), Event("allegation")),
        record(day + dt.timedelta(days=12), Event("no_access")),
        record(day + dt.timedelta(days=20), Event("case_closed")),
    )
    finding = of(closed, "PAT-02")
    assert [f.status for f in finding] == [Status.NOT_MET]
    seen = run(
        record(day, Event("referral"), Event("allegation")),
        record(day + dt.timedelta(days=5), Event("visit")),
        record(day + dt.timedelta(days=20), Event("case_closed")),
    )
    assert [f.status for f in of(seen, "PAT-02")] == [Status.MET]
    no_harm = run(record(day, Event("referral")), record(day + dt.timedelta(days=20), Event("case_closed")))
    assert not of(no_harm, "PAT-02")


def test_it_flags_a_closure_while_a_carer_arrested_for_hurting_the_child_may_be_on_bail() -> None:
    hurt = D(2019, 3, 13)
    records = [
        record(hurt, Event("injury_observed"), Event("referral"), agency="Sunflowers Nursery"),
        record(hurt, Event("arrest", subject=Subject.PARENT_OR_CARER), agency=POLICE),
        record(D(2019, 7, 17), Event("case_closed")),
    ]
    finding = of(run(*records), "PAT-03")
    assert [f.status for f in finding] == [Status.NEEDS_MULTI_AGENCY_JUDGEMENT]
    assert finding[0].entry_indexes == (2, 1)
    decided = [*records[:2], record(D(2019, 7, 10), Event("strategy_discussion")), records[2]]
    assert not of(run(*decided), "PAT-03")
    police_closed = [*records[:2], record(D(2019, 5, 1), Event("case_closed"), agency=POLICE), records[2]]
    assert not of(run(*police_closed), "PAT-03")


def test_it_finds_a_police_attendance_never_notified_to_childrens_social_care() -> None:
    day = D(2019, 6, 8)  # a Saturday: three working days run to Wednesday 12 June
    silent = run(record(day, Event("domestic_abuse"), agency=POLICE), record(D(2019, 1, 2), Event("contact")))
    assert [f.status for f in of(silent, "PAT-04")] == [Status.NEEDS_MULTI_AGENCY_JUDGEMENT]
    said_not = run(
        record(day, Event("police_callout"), Event("information_shared", negated=True), agency=POLICE),
        record(D(2019, 1, 2), Event("contact")),
    )
    assert [f.status for f in of(said_not, "PAT-04")] == [Status.NOT_MET]
    received = run(
        record(day, Event("domestic_abuse"), agency=POLICE),
        record(D(2019, 6, 12), Event("information_shared")),
    )
    assert [f.status for f in of(received, "PAT-04")] == [Status.MET]
