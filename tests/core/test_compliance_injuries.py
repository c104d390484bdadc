"""Injury rules over events (SH-INJ-*): every child, graded, on a plan, repeated, examined."""

from __future__ import annotations

import datetime as dt

from chronicle.core.compliance import Finding, RuleContext, Status, evaluate
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.events import Event, Injury, ReferralSaid, Subject

D = dt.date
BORN = D(2020, 1, 10)
CHILD = RuleContext(child_born_on=BORN)


def record(
    day: dt.date, *events: Event, agency: str = "Riverside Medical Practice", text: str = "entry"
) -> tuple[Entry, tuple[Event, ...]]:
    return Entry(agency=agency, date=PartialDate.exact(day), description=text), events


def injury(
    *kinds: str,
    explained: bool | None = None,
    referral: ReferralSaid | None = None,
    subject: Subject = Subject.CHILD,
    **flags: bool,
) -> Event:
    return Event(
        "injury_observed", subject=subject, injury=Injury(kinds, ("arm",), explained, referral), **flags
    )


def run(*records: tuple[Entry, tuple[Event, ...]], context: RuleContext = CHILD) -> list[Finding]:
    return evaluate([r[0] for r in records], context, events=[r[1] for r in records])


def of(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


def test_it_needs_a_referral_for_a_bruise_on_a_seven_month_old_where_the_record_says_none() -> None:
    seven_months = D(2020, 8, 20)
    findings = run(
        record(seven_months, Event("gp_appointment"), injury("bruise", referral=ReferralSaid.NOT_MADE))
    )
    graded = of(findings, "SH-INJ-ANY")
    assert [f.status for f in graded] == [Status.NOT_MET]
    assert "no referral was made" in graded[0].message
    assert not of(findings, "SH-INJ-NIM")


def test_it_calls_an_accepted_account_without_a_medical_under_one_not_met() -> None:
    findings = run(record(D(2020, 8, 20), Event("hv_contact"), injury("bruise", explained=True)))
    assert of(findings, "SH-INJ-ANY")[0].status is Status.NOT_MET
    older = run(record(D(2022, 8, 20), Event("hv_contact"), injury("bruise", explained=True)))
    assert of(older, "SH-INJ-ANY")[0].status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT


def test_it_leaves_an_unreferred_injury_to_an_older_child_to_judgement_and_meets_it_with_a_referral() -> None:
    day = D(2023, 3, 1)
    alone = run(record(day, injury("bruise"), agency="St Anne's School"))
    assert of(alone, "SH-INJ-ANY")[0].status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    referred = run(
        record(day, injury("bruise"), agency="St Anne's School"),
        record(day + dt.timedelta(days=2), Event("referral"), agency="Children's social care"),
    )
    assert of(referred, "SH-INJ-ANY")[0].status is Status.MET
    said = run(record(day, injury("bruise", referral=ReferralSaid.MADE), agency="St Anne's School"))
    assert of(said, "SH-INJ-ANY")[0].status is Status.MET


def test_it_ignores_negated_planned_and_other_peoples_injuries() -> None:
    day = D(2023, 3, 1)
    for event in (
        injury("bruise", negated=True),
        injury("bruise", hypothetical=True),
        injury("bruise", historical=True),
        injury("bruise", subject=Subject.SIBLING),
        injury("laceration", subject=Subject.PARENT_OR_CARER),
    ):
        assert not [f for f in run(record(day, event)) if f.rule_id.startswith("SH-INJ")], event


def test_it_keeps_the_non_mobile_rule_same_day_for_a_baby() -> None:
    four_months = D(2020, 5, 12)
    findings = run(record(four_months, Event("gp_appointment"), injury("bruise")))
    assert [f.status for f in of(findings, "SH-INJ-NIM")] == [Status.NOT_MET]
    assert not of(findings, "SH-INJ-ANY")


def test_it_counts_a_scald_with_an_admission_as_serious_whatever_the_word_order() -> None:
    day = D(2023, 3, 1)
    admitted = run(record(day, Event("hospital_admission"), injury("scald"), agency="Hospital"))
    assert [f.status for f in of(admitted, "SH-INJ-SERIOUS")] == [Status.NOT_MET]
    not_admitted = run(record(day, injury("scald"), agency="Hospital"))
    assert not of(not_admitted, "SH-INJ-SERIOUS")


def test_it_never_triggers_an_injury_rule_from_a_death_or_after_it() -> None:
    died = D(2023, 3, 1)
    findings = run(
        record(died, Event("death"), injury("head_injury"), agency="Hospital"),
        record(died + dt.timedelta(days=3), injury("fracture"), agency="Coroner's office"),
    )
    assert [f for f in findings if f.status is not Status.MET] == []


def test_it_expects_a_strategy_discussion_after_an_injury_to_a_child_on_a_plan() -> None:
    plan = D(2022, 1, 10)
    hurt = D(2022, 6, 6)
    findings = run(
        record(plan, Event("icpc"), Event("cp_plan_start"), agency="Children's social care"),
        record(hurt, injury("bruise", explained=True), agency="Little Stars Nursery"),
    )
    on_plan = of(findings, "SH-INJ-PLAN")
    assert [f.status for f in on_plan] == [Status.NOT_MET]
    assert not of(findings, "SH-INJ-ANY")
    discussed = run(
        record(plan, Event("cp_plan_start"), agency="Children's social care"),
        record(hurt, injury("bruise"), agency="Little Stars Nursery"),
        record(hurt + dt.timedelta(days=1), Event("strategy_discussion"), agency="Children's social care"),
    )
    assert [f.status for f in of(discussed, "SH-INJ-PLAN")] == [Status.MET]
    ended = run(
        record(plan, Event("cp_plan_start"), agency="Children's social care"),
        record(plan + dt.timedelta(days=90), Event("cp_plan_end"), agency="Children's social care"),
        record(hurt, injury("bruise"), agency="Little Stars Nursery"),
    )
    assert not of(ended, "SH-INJ-PLAN") and of(ended, "SH-INJ-ANY")


def test_it_flags_repeat_injuries_within_six_months_naming_them_all() -> None:
    first, second, third = D(2022, 1, 5), D(2022, 3, 1), D(2022, 7, 20)
    findings = run(
        record(first, injury("bruise"), agency="Nursery"),
        record(first + dt.timedelta(days=1), injury("bruise"), agency="GP"),  # the same injury, seen again
        record(second, injury("burn"), agency="GP"),
        record(third, injury("swelling"), agency="Hospital"),
    )
    repeat = of(findings, "SH-INJ-REPEAT")
    assert len(repeat) == 1 and repeat[0].status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    assert repeat[0].entry_indexes == (2, 0, 1, 3)
    assert "3 separate injuries" in repeat[0].message
    apart = run(record(first, injury("bruise")), record(D(2022, 9, 1), injury("bruise")))
    assert not of(apart, "SH-INJ-REPEAT")


def test_it_flags_a_medical_after_an_injury_that_records_no_full_examination() -> None:
    hurt = D(2022, 6, 5)
    incomplete = run(
        record(hurt, injury("bruise"), agency="Nursery"),
        record(
            hurt + dt.timedelta(days=9), Event("medical"), Event("medical", negated=True), agency="Hospital"
        ),
    )
    assert [f.status for f in of(incomplete, "SH-INJ-EXAM")] == [Status.NEEDS_MULTI_AGENCY_JUDGEMENT]
    full = run(
        record(hurt, injury("bruise"), agency="Nursery"),
        record(hurt + dt.timedelta(days=9), Event("medical"), agency="Hospital"),
    )
    assert not of(full, "SH-INJ-EXAM")
