"""The child's life as scope: nothing due after the death, context rows start nothing, rules in their era."""

from __future__ import annotations

import datetime as dt

from chronicle.core.compliance import Finding, RuleContext, Status, evaluate
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.events import Event

D = dt.date
CSC = "Northshire Children's Social Care"


def record(day: dt.date, *codes: str, agency: str = CSC) -> tuple[Entry, tuple[Event, ...]]:
    return Entry(agency=agency, date=PartialDate.exact(day), description="entry"), tuple(
        Event(c) for c in codes
    )


def run(*records: tuple[Entry, tuple[Event, ...]], context: RuleContext | None = None) -> list[Finding]:
    return evaluate([r[0] for r in records], context or RuleContext(), events=[r[1] for r in records])


def test_it_ends_every_chain_at_the_childs_death() -> None:
    plan, died = D(2018, 3, 5), D(2018, 4, 2)
    findings = run(
        record(plan, "icpc", "cp_plan_start"),
        record(D(2018, 3, 12), "visit"),
        record(died, "death", agency="Northshire Hospital"),
        record(D(2020, 11, 9), "legal_proceedings", agency="Crown Court (context)"),
    )
    assert findings, "the chains before the death are still checked"
    assert all(f.deadline is None or f.deadline < died for f in findings)
    assert not [f for f in findings if f.trigger_index >= 2]


def test_it_never_makes_a_death_or_post_mortem_entry_not_met() -> None:
    died = D(2018, 4, 2)
    findings = run(
        record(died, "death", "injury_observed", "referral", agency="Northshire Hospital"),
        record(died + dt.timedelta(days=10), "medical", "referral", agency="Home Office pathologist"),
    )
    assert [f for f in findings if f.status is not Status.MET] == []


def test_it_expects_nothing_due_on_or_after_the_death_from_an_earlier_trigger() -> None:
    referral, died = D(2018, 3, 29), D(2018, 3, 30)  # the decision would have been due on the day of death
    findings = run(record(referral, "referral"), context=RuleContext(child_died_on=died))
    assert not [f for f in findings if f.rule_id == "CJ-01"]
    alive = run(record(referral, "referral"))
    assert [f.status for f in alive if f.rule_id == "CJ-01"] == [Status.CANNOT_BE_DETERMINED]


def test_it_starts_nothing_from_context_rows() -> None:
    context = RuleContext(context_agencies={"Family (context)"})
    findings = run(record(D(2018, 3, 5), "referral", agency="Family (context)"), context=context)
    assert findings == []


def test_it_starts_health_visiting_only_from_the_childs_own_birth() -> None:
    context = RuleContext(child_born_on=D(2020, 2, 11))
    sibling = run(record(D(2021, 7, 5), "birth", agency="Health visiting"), context=context)
    assert not [f for f in sibling if f.rule_id.startswith("CJ-13")]
    own = run(record(D(2020, 2, 14), "birth", agency="Health visiting"), context=context)
    assert [f.rule_id for f in own] == ["CJ-13"]


def test_it_applies_historic_guidance_only_to_events_in_its_era() -> None:
    # A 1995 referral about harm: Working Together of the time, not the 2010 or 2013 texts.
    findings = run(
        record(D(1995, 5, 3), "referral", "allegation"),
        record(D(1995, 5, 12), "strategy_discussion"),
        record(D(1996, 3, 28), "assessment_complete"),
    )
    ids = {f.rule_id: f for f in findings}
    assert ids["CJ-02-1991"].status is Status.NOT_MET
    assert ids["CJ-04-1991"].status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    assert not {"CJ-02-old", "CJ-04-old", "CJ-04-old-core"} & set(ids)
    # A 1990 birth: the Healthy Child Programme (2009) did not exist.
    assert not run(record(D(1990, 9, 12), "birth", agency="Health visiting"))


def test_it_counts_working_days_in_a_1970s_case() -> None:
    findings = run(record(D(1977, 6, 6), "referral"), record(D(1977, 6, 9), "referral_decision"))
    decision = next(f for f in findings if f.rule_id == "CJ-01")
    # 7 June 1977 was the Silver Jubilee bank holiday: one working day after 6 June is 8 June.
    assert decision.deadline == D(1977, 6, 8)
    assert decision.status is Status.BORDERLINE
