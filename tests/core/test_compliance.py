"""The compliance engine: rules as data, statuses, regimes, working-day counting."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.core.calendar import ENGLAND
from chronicle.core.compliance import (
    RULES,
    UNVERIFIABLE_TIME,
    UNVERIFIED_RULE,
    Deadline,
    Finding,
    Rule,
    RuleContext,
    Status,
    Unit,
    add_months,
    check_rules,
    evaluate,
    evaluate_merged,
    findings_to_json,
    rule_by_id,
    rules_to_json,
)
from chronicle.core.compliance.engine import read_events
from chronicle.core.dates import PartialDate
from chronicle.core.entries import SIX_HEADINGS, Entry, EntryKind

D = dt.date
CONTEXT = RuleContext()


def entry(
    day: dt.date | PartialDate,
    event_type: str | None,
    text: str = "",
    agency: str = "Children's social care",
    row: int | None = None,
    **fields: object,
) -> Entry:
    date = day if isinstance(day, PartialDate) else PartialDate.exact(day)
    return Entry(agency=agency, date=date, description=text, event_type=event_type, row=row, **fields)  # type: ignore[arg-type]


def wd(start: dt.date, n: int) -> dt.date:
    return ENGLAND.add_working_days(start, n)


def only(findings: list[Finding], rule_id: str) -> Finding:
    chosen = [f for f in findings if f.rule_id == rule_id]
    assert len(chosen) == 1, [(f.rule_id, f.status, f.message) for f in findings]
    return chosen[0]


def of_rule(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


# --- The rules as data ---


def test_it_holds_every_required_rule_with_source_tag_and_prefill() -> None:
    ids = {rule.id for rule in RULES}
    required = {f"CJ-{n:02d}" for n in range(1, 13)} | {
        "CJ-02a",
        "CJ-02b",
        "CJ-04-old",
        "CJ-05-old",
        "SH-INJ-NIM",
        "SH-INJ-SERIOUS",
    }
    assert required <= ids
    for rule in RULES:
        assert rule.title and rule.requirement and rule.source and rule.responsible, rule.id
        assert rule.practice_required and rule.regime, rule.id
        assert rule.verified is (rule.tag != "G"), rule.id
    check_rules(RULES)


def test_it_marks_unverified_rules_as_not_verified() -> None:
    assert rule_by_id("CJ-05-old").verified is False
    assert rule_by_id("SH-INJ-NIM").verified is False
    assert rule_by_id("CJ-09").verified is True
    assert rule_by_id("CJ-09").tag == "P"


def test_it_records_the_dates_each_regime_applied() -> None:
    assert rule_by_id("CJ-04").applies_from == D(2013, 4, 15)
    assert rule_by_id("CJ-04-old").applies_until == D(2013, 4, 15)
    assert rule_by_id("CJ-09").applies_from == D(2011, 4, 1)
    assert rule_by_id("CJ-13").applies_from == D(2015, 10, 1)
    assert rule_by_id("CJ-04").deadline == Deadline(45, Unit.WORKING_DAYS)
    assert rule_by_id("CJ-10").deadline == Deadline(1, Unit.WEEKS)


def test_it_exports_rules_as_plain_data() -> None:
    data = rules_to_json()
    cj04 = next(item for item in data if item["id"] == "CJ-04")
    assert cj04["deadline"] == "45 working days"
    assert cj04["applies_from"] == "2013-04-15"
    assert cj04["verified"] is True
    assert "day 0" in cj04["counting"]


def test_it_rejects_rule_data_naming_the_rule_and_field_at_fault() -> None:
    bad = replace(rule_by_id("CJ-01"), evidence_types=("decision_made",))
    with pytest.raises(ValueError, match=r"CJ-01: evidence_types has unknown event type 'decision_made'"):
        check_rules((bad,))
    with pytest.raises(ValueError, match="CJ-01: the id is used twice"):
        check_rules((rule_by_id("CJ-01"), rule_by_id("CJ-01")))
    with pytest.raises(ValueError, match="tag must be P, S or G"):
        check_rules((replace(rule_by_id("CJ-01"), tag="X"),))


def test_it_rejects_bad_context_values_naming_the_setting() -> None:
    with pytest.raises(ValueError, match="cp_visit_interval_working_days"):
        RuleContext(cp_visit_interval_working_days=-1)
    with pytest.raises(ValueError, match=r"local_parameters\['CJ-06'\]"):
        RuleContext(local_parameters={"CJ-06": -2})
    with pytest.raises(ValueError, match="'CJ-99' is not a rule id"):
        evaluate([], RuleContext(local_parameters={"CJ-99": 5}))


# --- CJ-01: referral decision within one working day ---


def test_it_finds_a_referral_decision_within_one_working_day_met() -> None:
    findings = evaluate(
        [entry(D(2012, 5, 14), "referral", row=2), entry(D(2012, 5, 15), "referral_decision", row=3)], CONTEXT
    )
    finding = only(findings, "CJ-01")
    assert finding.status is Status.MET
    assert finding.deadline == D(2012, 5, 15)
    assert finding.trigger_index == 0 and finding.evidence_index == 1
    assert "met" in finding.message and "row 3" in finding.message
    assert finding.record_shows_met and not finding.gap


def test_it_finds_a_decision_four_working_days_later_not_met() -> None:
    findings = evaluate(
        [entry(D(2012, 5, 14), "referral"), entry(D(2012, 5, 18), "referral_decision")], CONTEXT
    )
    finding = only(findings, "CJ-01")
    assert finding.status is Status.NOT_MET
    assert "3 working days after the deadline" in finding.message
    assert finding.learning_point.startswith("Proposed")


def test_it_cannot_determine_a_referral_with_no_decision_recorded() -> None:
    finding = only(evaluate([entry(D(2012, 5, 14), "referral")], CONTEXT), "CJ-01")
    assert finding.status is Status.CANNOT_BE_DETERMINED
    assert finding.evidence_index is None
    assert "cannot show" in finding.message
    assert finding.gap.startswith("Proposed gap")


def test_it_calls_a_decision_exactly_one_working_day_late_borderline() -> None:
    findings = evaluate(
        [entry(D(2012, 5, 14), "referral"), entry(D(2012, 5, 16), "referral_decision")], CONTEXT
    )
    finding = only(findings, "CJ-01")
    assert finding.status is Status.BORDERLINE
    assert finding.multi_agency_point


def test_it_counts_over_the_2012_jubilee_bank_holidays() -> None:
    # Fri 1 June 2012: Mon 4 and Tue 5 June were bank holidays, so one working day is Wed 6 June.
    on_time = evaluate([entry(D(2012, 6, 1), "referral"), entry(D(2012, 6, 6), "referral_decision")], CONTEXT)
    assert only(on_time, "CJ-01").status is Status.MET
    assert only(on_time, "CJ-01").deadline == D(2012, 6, 6)
    late = evaluate([entry(D(2012, 6, 1), "referral"), entry(D(2012, 6, 7), "referral_decision")], CONTEXT)
    assert only(late, "CJ-01").status is Status.BORDERLINE
    # Thu 31 May 2012 is followed by a working Friday; the deadline is 1 June.
    thursday = evaluate(
        [entry(D(2012, 5, 31), "referral"), entry(D(2012, 6, 6), "referral_decision")], CONTEXT
    )
    assert only(thursday, "CJ-01").deadline == D(2012, 6, 1)
    assert only(thursday, "CJ-01").status is Status.BORDERLINE  # 6 June is the next working day after 1 June


def test_it_does_not_take_a_decision_after_the_next_referral_as_the_answer() -> None:
    findings = evaluate(
        [
            entry(D(2014, 3, 3), "referral"),
            entry(D(2014, 3, 10), "referral"),
            entry(D(2014, 3, 11), "referral_decision"),
        ],
        CONTEXT,
    )
    first, second = of_rule(findings, "CJ-01")
    assert first.status is Status.CANNOT_BE_DETERMINED
    assert "not taken to answer" in first.message
    assert second.status is Status.MET


def test_it_times_one_referral_recorded_by_several_agencies_on_one_day_once() -> None:
    findings = evaluate(
        [
            entry(D(2014, 3, 3), "referral", "Referred to MASH re bruise", agency="School", row=2),
            entry(D(2014, 3, 3), "referral", "Referral received from school", row=3),
            entry(D(2014, 3, 3), "referral", "Crime report following referral", agency="Police", row=4),
            entry(D(2014, 3, 10), "referral_decision"),
        ],
        CONTEXT,
    )
    finding = only(findings, "CJ-01")
    assert finding.status is Status.NOT_MET
    assert set(finding.entry_indexes) == {0, 1, 2, 3}  # every account of the referral is named
    # A referral on another day is another referral with its own clock.
    later = evaluate(
        [entry(D(2014, 3, 3), "referral"), entry(D(2014, 3, 4), "referral", agency="Police")], CONTEXT
    )
    assert len(of_rule(later, "CJ-01")) == 2


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=15))
def test_it_never_gets_better_as_the_decision_gets_later(delay: int) -> None:
    rank = {Status.MET: 0, Status.BORDERLINE: 1, Status.NOT_MET: 2}
    referral = D(2016, 3, 1)
    earlier = only(
        evaluate(
            [entry(referral, "referral"), entry(referral + dt.timedelta(days=delay), "referral_decision")],
            CONTEXT,
        ),
        "CJ-01",
    )
    later = only(
        evaluate(
            [
                entry(referral, "referral"),
                entry(referral + dt.timedelta(days=delay + 1), "referral_decision"),
            ],
            CONTEXT,
        ),
        "CJ-01",
    )
    assert rank[earlier.status] <= rank[later.status]


# --- Dates with precision ---


def test_it_cannot_determine_a_trigger_dated_only_to_the_month() -> None:
    findings = evaluate(
        [entry(PartialDate(2014, 3), "referral"), entry(D(2014, 3, 20), "referral_decision")], CONTEXT
    )
    finding = only(findings, "CJ-01")
    assert finding.status is Status.CANNOT_BE_DETERMINED
    assert "dated only March 2014" in finding.message


def test_it_says_when_a_span_dated_trigger_covers_a_change_of_rules() -> None:
    finding = only(evaluate([entry(PartialDate(2013, 4), "referral")], CONTEXT), "CJ-04-old")
    assert finding.status is Status.CANNOT_BE_DETERMINED
    assert "change of rules" in finding.message


def test_it_calls_evidence_whose_month_straddles_the_deadline_borderline() -> None:
    # Referral 10 March 2014: 45 working days is 13 May 2014; "May 2014" may fall either side.
    findings = evaluate(
        [entry(D(2014, 3, 10), "referral"), entry(PartialDate(2014, 5), "assessment_complete")], CONTEXT
    )
    finding = only(findings, "CJ-04")
    assert finding.deadline == wd(D(2014, 3, 10), 45)
    assert finding.status is Status.BORDERLINE
    assert "straddles" in finding.message


def test_it_calls_an_uncertain_date_on_the_deadline_borderline() -> None:
    uncertain = PartialDate(2012, 5, 15, uncertain=True)
    findings = evaluate([entry(D(2012, 5, 14), "referral"), entry(uncertain, "referral_decision")], CONTEXT)
    assert only(findings, "CJ-01").status is Status.BORDERLINE


def test_it_cannot_count_working_days_outside_the_calendar() -> None:
    finding = only(evaluate([entry(D(1968, 5, 14), "referral")], CONTEXT), "CJ-01")
    assert finding.status is Status.CANNOT_BE_DETERMINED
    assert "outside-calendar" in finding.flags


# --- CJ-04: assessment timescales and the April 2013 change ---


def test_it_flips_from_the_10_day_to_the_45_day_rule_on_15_april_2013() -> None:
    before, after = D(2013, 4, 12), D(2013, 4, 15)
    entries = [
        entry(before, "referral"),
        entry(wd(before, 30), "assessment_complete"),
    ]
    finding = only(evaluate(entries, CONTEXT), "CJ-04-old")
    assert finding.status is Status.NOT_MET
    assert finding.deadline == wd(before, 10)
    assert "Assessment Framework" in finding.regime
    entries = [entry(after, "referral"), entry(wd(after, 30), "assessment_complete")]
    findings = evaluate(entries, CONTEXT)
    assert only(findings, "CJ-04").status is Status.MET
    assert only(findings, "CJ-04").deadline == wd(after, 45)
    assert not of_rule(findings, "CJ-04-old")


def test_it_times_a_core_assessment_at_35_working_days_before_2013() -> None:
    start = D(2012, 1, 9)
    findings = evaluate(
        [
            entry(start, "assessment_start", "Core assessment started"),
            entry(wd(start, 36), "assessment_complete"),
        ],
        CONTEXT,
    )
    assert only(findings, "CJ-04-old-core").status is Status.BORDERLINE
    findings = evaluate(
        [
            entry(start, "assessment_start", "Core assessment started"),
            entry(wd(start, 35), "assessment_complete"),
        ],
        CONTEXT,
    )
    assert only(findings, "CJ-04-old-core").status is Status.MET


def test_it_keeps_an_assessment_open_across_a_new_referral() -> None:
    referral = D(2015, 1, 5)
    entries = [
        entry(referral, "referral"),
        entry(referral + dt.timedelta(days=2), "assessment_start"),
        entry(referral + dt.timedelta(days=20), "referral"),
        entry(wd(referral, 40), "assessment_complete"),
    ]
    first, second = of_rule(evaluate(entries, CONTEXT), "CJ-04")
    assert first.status is Status.MET and first.evidence_index == 3
    assert second.status is Status.MET


# --- CJ-05 and CJ-05-old: the initial conference ---


def test_it_times_the_icpc_from_the_strategy_discussion_that_started_s47() -> None:
    discussion = D(2016, 2, 1)
    on_time = [
        entry(discussion, "strategy_discussion"),
        entry(discussion, "s47_start"),
        entry(wd(discussion, 15), "icpc"),
    ]
    finding = only(evaluate(on_time, CONTEXT), "CJ-05")
    assert finding.status is Status.MET
    assert finding.trigger_index == 0 and finding.evidence_index == 2
    late = [*on_time[:2], entry(wd(discussion, 17), "icpc")]
    assert only(evaluate(late, CONTEXT), "CJ-05").status is Status.NOT_MET


def test_it_uses_the_s47_discussion_now_and_the_last_discussion_before_2013() -> None:
    def case(first: dt.date) -> list[Entry]:
        return [
            entry(first, "strategy_discussion"),
            entry(first, "s47_start"),
            entry(wd(first, 10), "strategy_discussion"),
            entry(wd(first, 20), "icpc"),
        ]

    now = only(evaluate(case(D(2016, 2, 1)), CONTEXT), "CJ-05")
    assert now.status is Status.NOT_MET and now.trigger_index == 0
    assert "other reading of the anchor" in now.message
    then = only(evaluate(case(D(2012, 2, 1)), CONTEXT), "CJ-05-old")
    assert then.status is Status.MET and then.trigger_index == 2
    assert then.verified is False and UNVERIFIED_RULE in then.flags


def test_it_cannot_time_an_icpc_with_no_strategy_discussion_before_it() -> None:
    finding = only(evaluate([entry(D(2016, 2, 1), "icpc")], CONTEXT), "CJ-05")
    assert finding.status is Status.CANNOT_BE_DETERMINED


# --- CJ-06 and CJ-07: core group and review conferences ---


def test_it_checks_the_first_core_group_within_10_working_days_of_the_icpc() -> None:
    icpc = D(2017, 3, 1)
    met = evaluate([entry(icpc, "icpc"), entry(wd(icpc, 10), "core_group")], CONTEXT)
    assert only(met, "CJ-06").status is Status.MET
    late = evaluate([entry(icpc, "icpc"), entry(wd(icpc, 13), "core_group")], CONTEXT)
    assert only(late, "CJ-06").status is Status.NOT_MET


def test_it_checks_review_conferences_at_3_then_6_months() -> None:
    icpc = D(2017, 1, 10)
    entries = [
        entry(icpc, "icpc"),
        entry(D(2017, 4, 10), "rcpc"),  # within 3 months (due 10 April)
        entry(D(2017, 11, 1), "rcpc"),  # more than 6 months after 10 April
        entry(D(2017, 11, 1), "cp_plan_end"),
        entry(D(2018, 12, 1), "contact"),
    ]
    reviews = of_rule(evaluate(entries, CONTEXT), "CJ-07")
    assert [f.status for f in reviews] == [Status.MET, Status.NOT_MET]
    assert reviews[0].deadline == D(2017, 4, 10)
    assert reviews[1].deadline == D(2017, 10, 10)


def test_it_reports_a_missing_review_while_the_record_continues() -> None:
    icpc = D(2017, 1, 10)
    entries = [entry(icpc, "icpc"), entry(D(2017, 9, 1), "contact")]
    finding = only(evaluate(entries, CONTEXT), "CJ-07")
    assert finding.status is Status.CANNOT_BE_DETERMINED
    assert "end of the record" in finding.message


def test_it_stops_the_review_clock_when_the_plan_ends() -> None:
    icpc = D(2017, 1, 10)
    entries = [entry(icpc, "icpc"), entry(D(2017, 2, 1), "cp_plan_end"), entry(D(2018, 9, 1), "contact")]
    assert not of_rule(evaluate(entries, CONTEXT), "CJ-07")


# --- CJ-08: visits on a plan, a local setting ---


def test_it_uses_the_local_visit_interval_for_a_child_on_a_plan() -> None:
    start = D(2019, 1, 7)
    entries = [
        entry(start, "cp_plan_start"),
        entry(wd(start, 9), "visit"),
        entry(wd(start, 9 + 15), "visit"),
        entry(wd(start, 40), "cp_plan_end"),
    ]
    visits = of_rule(evaluate(entries, CONTEXT), "CJ-08")
    assert [f.status for f in visits[:2]] == [Status.MET, Status.NOT_MET]
    assert "local setting: 10 working days" in visits[0].regime
    relaxed = of_rule(evaluate(entries, RuleContext(cp_visit_interval_working_days=20)), "CJ-08")
    assert relaxed[1].status is Status.MET
    judged = of_rule(evaluate(entries, RuleContext(cp_visit_interval_working_days=None)), "CJ-08")
    assert judged[0].status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT


# --- CJ-09 and CJ-10: looked-after children ---


def test_it_checks_lac_reviews_at_20_working_days_3_months_and_6_months() -> None:
    start = D(2014, 6, 2)
    first = wd(start, 20)
    entries = [
        entry(start, "lac_start"),
        entry(first, "lac_review"),
        entry(add_months(first, 3), "lac_review"),
        entry(add_months(first, 3) + dt.timedelta(days=200), "lac_review"),
    ]
    reviews = of_rule(evaluate(entries, CONTEXT), "CJ-09")
    assert [f.status for f in reviews] == [Status.MET, Status.MET, Status.NOT_MET]
    assert reviews[0].deadline == first
    late_first = evaluate([entry(start, "lac_start"), entry(wd(start, 23), "lac_review")], CONTEXT)
    assert only(late_first, "CJ-09").status is Status.NOT_MET


def test_it_uses_the_four_week_lac_review_rule_before_april_2011() -> None:
    start = D(2010, 6, 1)
    finding = only(
        evaluate([entry(start, "lac_start"), entry(D(2010, 6, 29), "lac_review")], CONTEXT), "CJ-09-old"
    )
    assert finding.status is Status.MET
    assert finding.deadline == D(2010, 6, 29)


def test_it_checks_lac_visits_within_a_week_then_six_weekly() -> None:
    start = D(2014, 6, 2)
    entries = [
        entry(start, "placement_start"),
        entry(start, "lac_start"),
        entry(D(2014, 6, 9), "visit"),  # one week on: met
        entry(D(2014, 7, 21), "visit"),  # six weeks on: met
        entry(D(2014, 9, 15), "visit"),  # eight weeks on: not met
    ]
    visits = of_rule(evaluate(entries, CONTEXT), "CJ-10")
    assert [f.status for f in visits] == [Status.MET, Status.MET, Status.NOT_MET]
    late = evaluate([entry(start, "placement_start"), entry(D(2014, 6, 12), "visit")], CONTEXT)
    assert only(late, "CJ-10").status is Status.NOT_MET


def test_it_leaves_lac_visits_after_the_first_year_up_to_three_months_to_judgement() -> None:
    start = D(2014, 6, 2)
    visits = [start + dt.timedelta(weeks=6 * n) for n in range(10)]  # through June 2015
    entries = [entry(start, "placement_start")] + [entry(day, "visit") for day in visits]
    entries.append(entry(visits[-1] + dt.timedelta(weeks=10), "visit"))
    last = of_rule(evaluate(entries, CONTEXT), "CJ-10")[-1]
    assert last.status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    assert "until 18" in last.message


# --- CJ-11 and CJ-12: private fostering ---


def test_it_checks_the_private_fostering_visit_within_7_working_days() -> None:
    notified = D(2018, 12, 20)  # over Christmas: 7 working days is 3 January 2019
    assert wd(notified, 7) == D(2019, 1, 3)
    met = evaluate([entry(notified, "pf_notification"), entry(D(2019, 1, 3), "pf_visit")], CONTEXT)
    assert only(met, "CJ-11").status is Status.MET
    late = evaluate([entry(notified, "pf_notification"), entry(D(2019, 1, 8), "pf_visit")], CONTEXT)
    assert only(late, "CJ-11").status is Status.NOT_MET


def test_it_checks_private_fostering_visits_six_weekly_then_twelve_weekly() -> None:
    notified = D(2018, 1, 8)
    first = D(2018, 1, 10)
    second = first + dt.timedelta(weeks=6)  # met
    third = second + dt.timedelta(weeks=8)  # late in the first year
    visits = [first, second, third]
    while visits[-1] < D(2019, 1, 20):
        visits.append(visits[-1] + dt.timedelta(weeks=6))
    visits.append(visits[-1] + dt.timedelta(weeks=12))  # second year: 12 weeks allowed
    entries = [entry(notified, "pf_notification")] + [entry(day, "pf_visit") for day in visits]
    findings = of_rule(evaluate(entries, CONTEXT), "CJ-12")
    assert findings[0].status is Status.MET
    assert findings[1].status is Status.NOT_MET
    assert findings[-1].status is Status.MET
    assert findings[-1].deadline == visits[-2] + dt.timedelta(weeks=12)


# --- CJ-02, CJ-02a, CJ-02b: strategy discussions ---


def test_it_expects_a_strategy_discussion_after_an_injury_referral() -> None:
    referral = D(2016, 5, 9)
    entries = [
        entry(referral, "referral", "Referral from school: bruising to the child's arm", agency="School"),
        entry(wd(referral, 2), "strategy_discussion"),
    ]
    finding = only(evaluate(entries, CONTEXT), "CJ-02")
    assert finding.status is Status.MET
    assert "local setting: 3 working days" in finding.regime
    late = [entries[0], entry(wd(referral, 6), "strategy_discussion")]
    assert only(evaluate(late, CONTEXT), "CJ-02").status is Status.NOT_MET
    judged = only(evaluate(late, RuleContext(strategy_discussion_max_working_days=None)), "CJ-02")
    assert judged.status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    assert "no national timescale" in judged.message.lower()
    missing = only(evaluate(entries[:1], CONTEXT), "CJ-02")
    assert missing.status is Status.CANNOT_BE_DETERMINED


def test_it_does_not_expect_a_strategy_discussion_for_every_referral() -> None:
    findings = evaluate([entry(D(2016, 5, 9), "referral", "Request for housing support")], CONTEXT)
    assert not of_rule(findings, "CJ-02")


def test_it_checks_strategy_discussion_attendance_when_the_record_shows_it() -> None:
    # Issue 11: who took part is read from the agencies that recorded the discussion and the attendee
    # field, not from words in the description.
    day = D(2016, 5, 11)
    recorded_by_three = [
        entry(day, "strategy_discussion", "Strategy discussion held", agency="Children's social care"),
        entry(day, "strategy_discussion", "Strategy discussion", agency="Thames Valley Police"),
        entry(day, "strategy_discussion", "Strategy discussion", agency="Oxford Health NHS Trust"),
    ]
    assert only(evaluate(recorded_by_three, CONTEXT), "CJ-02a").status is Status.MET
    listed = [
        entry(
            day,
            "strategy_discussion",
            "Held",
            extra={"attendees": "Children's social care; Thames Valley Police"},
        )
    ]
    finding = only(evaluate(listed, CONTEXT), "CJ-02a")
    assert finding.status is Status.NOT_MET and "health" in finding.message
    unknown = [entry(day, "strategy_discussion", "Strategy discussion held", agency="Northshire Council")]
    assert only(evaluate(unknown, CONTEXT), "CJ-02a").status is Status.CANNOT_BE_DETERMINED
    extra = [
        entry(day, "strategy_discussion", "Held", extra={"attendees": "MASH; police; NHS paediatrician"})
    ]
    assert only(evaluate(extra, CONTEXT), "CJ-02a").status is Status.MET


def test_it_requires_health_at_strategy_discussions_only_from_2013() -> None:
    two = {"attendees": "Children's social care, Northshire Police"}
    assert only(
        evaluate([entry(D(2012, 5, 11), "strategy_discussion", "Held", extra=two)], CONTEXT), "CJ-02a-old"
    ).status is (Status.MET)
    assert only(
        evaluate([entry(D(2014, 5, 12), "strategy_discussion", "Held", extra=two)], CONTEXT), "CJ-02a"
    ).status is (Status.NOT_MET)


def test_it_checks_the_medical_decision_at_a_strategy_discussion_about_injury() -> None:
    day = D(2016, 5, 11)
    about_injury = entry(day, "strategy_discussion", "Strategy discussion re bruise to cheek")
    assert only(evaluate([about_injury, entry(day, "medical")], CONTEXT), "CJ-02b").status is Status.MET
    decided = entry(day, "strategy_discussion", "Bruise to cheek; CP medical agreed with paediatrician today")
    assert only(evaluate([decided], CONTEXT), "CJ-02b").status is Status.MET
    assert only(evaluate([about_injury], CONTEXT), "CJ-02b").status is Status.CANNOT_BE_DETERMINED
    later = only(evaluate([about_injury, entry(day + dt.timedelta(days=4), "medical")], CONTEXT), "CJ-02b")
    assert later.status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    unrelated = entry(day, "strategy_discussion", "Strategy discussion about school attendance")
    assert not of_rule(evaluate([unrelated], CONTEXT), "CJ-02b")


# --- CJ-03: section 47 ---


def test_it_wants_the_s47_outcome_before_the_conference() -> None:
    start = D(2016, 5, 11)
    before = evaluate(
        [entry(start, "s47_start"), entry(D(2016, 5, 20), "s47_outcome"), entry(D(2016, 5, 27), "icpc")],
        CONTEXT,
    )
    assert only(before, "CJ-03").status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    after = evaluate(
        [entry(start, "s47_start"), entry(D(2016, 5, 20), "icpc"), entry(D(2016, 5, 27), "s47_outcome")],
        CONTEXT,
    )
    assert only(after, "CJ-03").status is Status.NOT_MET


# --- CJ-13: health visiting, mandated from October 2015 ---


def test_it_treats_a_late_new_baby_review_as_a_breach_only_once_mandated() -> None:
    late_2016 = evaluate([entry(D(2016, 3, 1), "birth"), entry(D(2016, 3, 25), "hv_contact")], CONTEXT)
    assert only(late_2016, "CJ-13").status is Status.NOT_MET
    late_2012 = evaluate([entry(D(2012, 3, 1), "birth"), entry(D(2012, 3, 25), "hv_contact")], CONTEXT)
    finding = only(late_2012, "CJ-13-old")
    assert finding.status is Status.NEEDS_MULTI_AGENCY_JUDGEMENT
    assert "guidance" in finding.message


# --- SH-INJ-NIM and SH-INJ-SERIOUS ---

BABY = RuleContext(child_born_on=D(2012, 1, 10))  # four months old in May 2012


def test_it_finds_a_gp_noted_bruise_on_a_non_mobile_baby_without_referral_not_met() -> None:
    note = entry(D(2012, 5, 10), "gp_appointment", "bruise on left cheek", agency="GP practice", row=12)
    finding = only(evaluate([note], BABY), "SH-INJ-NIM")
    assert finding.status is Status.NOT_MET
    assert finding.verified is False
    assert "GP practice 10 May 2012, row 12" in finding.message
    observed = replace(note, event_type="injury_observed")
    assert only(evaluate([observed], BABY), "SH-INJ-NIM").status is Status.NOT_MET


def test_it_finds_a_bruise_referred_the_same_day_met() -> None:
    note = entry(D(2012, 5, 10), "gp_appointment", "bruise on left cheek", agency="GP practice")
    referral = entry(D(2012, 5, 10), "referral", "GP referral", agency="Children's social care")
    finding = only(evaluate([note, referral], BABY), "SH-INJ-NIM")
    assert finding.status is Status.MET and finding.evidence_index == 1
    referred_in_action = replace(note, action="Referred to children's social care by phone")
    assert only(evaluate([referred_in_action], BABY), "SH-INJ-NIM").status is Status.MET


def test_it_flags_a_next_day_referral_with_no_times_as_unverifiable() -> None:
    note = entry(D(2012, 5, 10), "gp_appointment", "bruise on left cheek", agency="GP practice")
    finding = only(evaluate([note, entry(D(2012, 5, 11), "referral")], BABY), "SH-INJ-NIM")
    assert finding.status is Status.CANNOT_BE_DETERMINED
    assert UNVERIFIABLE_TIME in finding.flags
    timed = [replace(note, time=dt.time(16, 0)), entry(D(2012, 5, 11), "referral", time=dt.time(9, 30))]
    assert only(evaluate(timed, BABY), "SH-INJ-NIM").status is Status.BORDERLINE


def test_it_ignores_bruises_on_a_mobile_child_and_negated_bruising() -> None:
    toddler = RuleContext(child_born_on=D(2011, 1, 10))
    note = entry(D(2012, 5, 10), "gp_appointment", "bruise on left shin")
    assert not of_rule(evaluate([note], toddler), "SH-INJ-NIM")
    clear = entry(D(2012, 5, 10), "hv_contact", "Baby weighed; no bruising or marks seen")
    assert not of_rule(evaluate([clear], BABY), "SH-INJ-NIM")


def test_it_takes_mobility_from_age_and_needs_a_birth_date_for_it() -> None:
    # Issue 11: rules read events, never words, so "non-mobile" in the text no longer decides: age does.
    described = entry(D(2012, 5, 10), "hv_contact", "Non-mobile infant with small bruise to ear")
    assert only(evaluate([described], RuleContext()), "SH-INJ-NIM").status is Status.CANNOT_BE_DETERMINED
    assert only(evaluate([described], BABY), "SH-INJ-NIM").status is Status.NOT_MET
    unknown = entry(D(2012, 5, 10), "hv_contact", "small bruise to ear")
    finding = only(evaluate([unknown], RuleContext()), "SH-INJ-NIM")
    assert finding.status is Status.CANNOT_BE_DETERMINED
    assert "date of birth" in finding.message
    # A birth recorded in the chronology gives the age.
    born = entry(D(2012, 3, 1), "birth")
    assert only(evaluate([born, unknown], RuleContext()), "SH-INJ-NIM").status is Status.NOT_MET


def test_it_finds_a_serious_injury_without_same_day_referral_or_medical_not_met() -> None:
    ae = entry(
        D(2012, 6, 12), "ae_attendance", "Skull fracture and subdural haemorrhage found", agency="Hospital"
    )
    finding = only(evaluate([ae], CONTEXT), "SH-INJ-SERIOUS")
    assert finding.status is Status.NOT_MET
    with_medical = evaluate([ae, entry(D(2012, 6, 12), "medical", "Child protection medical")], CONTEXT)
    assert only(with_medical, "SH-INJ-SERIOUS").status is Status.MET


def test_it_counts_a_fracture_as_serious_only_in_a_baby() -> None:
    fracture = entry(D(2012, 6, 12), "ae_attendance", "fractured wrist after fall")
    assert of_rule(evaluate([fracture], BABY), "SH-INJ-SERIOUS")
    assert not of_rule(evaluate([fracture], RuleContext(child_born_on=D(2005, 1, 1))), "SH-INJ-SERIOUS")


# --- Custom rules: clock hours ---


def test_it_counts_hours_only_when_times_are_recorded() -> None:
    hours_rule = Rule(
        id="LOCAL-24H",
        family="LOCAL-24H",
        title="Notification within 24 hours",
        requirement="Notify within 24 hours.",
        method=rule_by_id("CJ-01").method,
        trigger_types=("ae_attendance",),
        evidence_types=("referral",),
        deadline=Deadline(24, Unit.HOURS),
        regime="Local",
        applies_from=None,
        applies_until=None,
        source="Local procedure",
        tag="S",
        responsible="Agency",
        practice_required="Notify within 24 hours.",
    )
    day = D(2020, 2, 3)

    def status(trigger: Entry, evidence: Entry) -> Status:
        return only(evaluate([trigger, evidence], CONTEXT, rules=(hours_rule,)), "LOCAL-24H").status

    assert status(entry(day, "ae_attendance"), entry(day, "referral")) is Status.MET
    assert (
        status(entry(day, "ae_attendance"), entry(day + dt.timedelta(days=3), "referral")) is Status.NOT_MET
    )
    assert (
        status(entry(day, "ae_attendance"), entry(day + dt.timedelta(days=1), "referral"))
        is Status.CANNOT_BE_DETERMINED
    )
    assert (
        status(
            entry(day, "ae_attendance", time=dt.time(10, 0)),
            entry(day + dt.timedelta(days=1), "referral", time=dt.time(9, 0)),
        )
        is Status.MET
    )
    assert (
        status(
            entry(day, "ae_attendance", time=dt.time(10, 0)),
            entry(day + dt.timedelta(days=1), "referral", time=dt.time(14, 0)),
        )
        is Status.NOT_MET
    )


def test_it_applies_a_partnerships_local_deadline() -> None:
    icpc = D(2017, 3, 1)
    entries = [entry(icpc, "icpc"), entry(wd(icpc, 8), "core_group")]
    finding = only(evaluate(entries, RuleContext(local_parameters={"CJ-06": 5})), "CJ-06")
    assert finding.status is Status.NOT_MET
    assert "local setting: 5 working days" in finding.regime
    assert "local-setting" in finding.flags


# --- Output ---


def test_it_gives_json_with_entry_references() -> None:
    entries = [
        entry(D(2012, 5, 14), "referral", agency="Police", row=4),
        entry(D(2012, 5, 15), "referral_decision", row=9),
    ]
    data = findings_to_json(evaluate(entries, CONTEXT))
    cj01 = next(item for item in data if item["rule"] == "CJ-01")
    assert {"rule", "status", "entries", "evidence", "message"} <= set(cj01)
    assert cj01["status"] == "met"
    assert cj01["entries"] == [
        {
            "index": 0,
            "agency": "Police",
            "date": "2012-05-14",
            "row": 4,
            "reference": "Police 14/05/2012, row 4",
        }
    ]
    assert cj01["evidence"][0]["row"] == 9
    assert cj01["deadline"] == "2012-05-15"
    assert set(cj01["prefill"]) <= set(SIX_HEADINGS)
    assert "Source:" in cj01["prefill"]["practice_required"]


def test_it_returns_findings_in_date_order_and_marks_information_from_staff() -> None:
    entries = [
        entry(D(2014, 6, 2), "referral"),
        entry(D(2014, 5, 1), "referral"),
        entry(D(2014, 5, 2), "referral_decision", kind=EntryKind.PRACTITIONER),
    ]
    findings = of_rule(evaluate(entries, CONTEXT), "CJ-01")
    assert [f.trigger_index for f in findings] == [1, 0]
    assert "information from staff" in findings[0].message


def test_it_handles_an_empty_chronology() -> None:
    assert evaluate([], CONTEXT) == []


# --- One add_months, from the calendar ---


def test_it_adds_months_clamping_to_the_last_day() -> None:
    assert add_months(D(2013, 1, 31), 1) == D(2013, 2, 28)
    assert add_months(D(2012, 11, 30), 3) == D(2013, 2, 28)
    assert add_months(D(2016, 8, 31), 6) == D(2017, 2, 28)


def test_it_does_not_anchor_a_conference_to_a_discussion_long_before() -> None:
    entries = [entry(D(2015, 1, 5), "strategy_discussion"), entry(D(2016, 2, 1), "icpc")]
    finding = only(evaluate(entries, CONTEXT), "CJ-05")
    assert finding.status is Status.CANNOT_BE_DETERMINED
    assert "6 months" in finding.message


def test_it_calls_an_uncertain_date_one_working_day_before_the_deadline_borderline() -> None:
    referral = D(2014, 3, 3)
    due = wd(referral, 45)
    day_before = PartialDate.exact(wd(referral, 44), uncertain=True)
    well_before = PartialDate.exact(wd(referral, 40), uncertain=True)
    near = evaluate([entry(referral, "referral"), entry(day_before, "assessment_complete")], CONTEXT)
    assert only(near, "CJ-04").status is Status.BORDERLINE
    assert only(near, "CJ-04").deadline == due
    far = evaluate([entry(referral, "referral"), entry(well_before, "assessment_complete")], CONTEXT)
    assert only(far, "CJ-04").status is Status.MET


def test_it_finds_the_same_with_events_given_beside_a_merged_chronology() -> None:
    coded = [
        entry(D(2014, 3, 3), "referral", "Referral from school: bruise on the baby's arm", row=2),
        entry(D(2014, 3, 3), "contact", "GP noted bruising to the face of the non-mobile baby", "GP", row=3),
        entry(D(2014, 3, 5), "strategy_discussion", "Strategy discussion with police and health", row=4),
        entry(D(2014, 3, 6), "s47_start", "Section 47 enquiry started", row=5),
        entry(D(2014, 3, 20), "icpc", "Initial conference held", row=6),
        entry(D(2014, 3, 20), "cp_plan_start", "Child protection plan started", row=7),
        entry(D(2014, 4, 10), "visit", "Home visit, child seen", row=8),
        entry(PartialDate(2014, 6), "visit", "Home visit, no reply", row=9),
        entry(D(2014, 7, 1), "", "Telephone call to mother", row=10),
    ]
    context = RuleContext(child_born_on=D(2014, 1, 10))
    expected = evaluate(coded, context)
    assert len({f.rule_id for f in expected}) >= 4
    merged = sorted(coded, key=Entry.sort_key)
    events = read_events(merged, context)
    assert evaluate_merged(merged, events, context) == expected
    with pytest.raises(ValueError, match="events has 1 items for 9 entries"):
        evaluate_merged(merged, events[:1], context)
