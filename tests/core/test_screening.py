"""Serious-incident screening: regimes, proposed answers, outcomes and clocks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.calendar import ENGLAND, WorkingCalendar
from chronicle.core.harm import (
    ABUSE_OR_NEGLECT_CHOICES,
    HARM_CATEGORIES,
    OUTCOME_CHOICES,
    AbuseOrNeglect,
    Outcome,
    harm_category,
)
from chronicle.core.screening import (
    OFSTED,
    PANEL,
    REGIMES,
    SAFEGUARDING_PARTNERS,
    SECRETARY_OF_STATE,
    RapidReviewStart,
    ScreeningInput,
    ScreeningResult,
    deadlines,
    get_regime,
    outcome_from_answers,
    propose_answers,
    regime_for,
    screen,
    to_json_dict,
)

D = dt.date.fromisoformat


def _input(**changes: Any) -> ScreeningInput:
    """A 2024 incident: abuse suspected, serious harm reported, in England."""
    values: dict[str, Any] = {
        "occurred_on": D("2024-03-04"),
        "aware_on": D("2024-03-05"),
        "child_born_on": None,
        "looked_after": False,
        "care_leaver": False,
        "outcome": Outcome.SERIOUSLY_HARMED,
        "harm": "Injury",
        "abuse_or_neglect": AbuseOrNeglect.SUSPECTED,
        "in_england": True,
        "concern_about_working_together": None,
    }
    values.update(changes)
    return ScreeningInput(**values)


def _answer(result: ScreeningResult, criterion_id: str) -> str:
    return {answer.id: answer.answer for answer in result.criteria}[criterion_id]


def _reason(result: ScreeningResult, criterion_id: str) -> str:
    return {answer.id: answer.reason for answer in result.criteria}[criterion_id]


def _shaken_baby_2012(concern: bool | None) -> ScreeningInput:
    return _input(
        occurred_on=D("2012-05-31"),
        aware_on=D("2012-06-01"),
        child_born_on=D("2012-02-20"),
        outcome=Outcome.OTHER,
        harm="Baby shaken by carer; subdural haemorrhage; potentially life-threatening head injury",
        concern_about_working_together=concern,
    )


# --- The seed cases --------------------------------------------------------------------------------


def test_it_screens_the_2024_head_injury_case_as_notifiable_to_the_panel() -> None:
    facts = _input(
        child_born_on=D("2023-12-01"),
        outcome=Outcome.OTHER,
        harm="Three-month-old admitted with a life-threatening head injury",
    )
    result = screen(facts, decided_on=D("2024-03-06"))
    assert result.regime == "WT2023"
    assert result.notifiable is True
    assert result.notify_to == [PANEL, OFSTED, SAFEGUARDING_PARTNERS]
    assert result.notify_by == ENGLAND.add_working_days(D("2024-03-05"), 5) == D("2024-03-12")
    assert result.rapid_review_start is RapidReviewStart.NOTIFICATION
    assert result.rapid_review_by == ENGLAND.add_working_days(D("2024-03-12"), 15)
    assert result.scr is None
    assert result.review.startswith("Rapid review within 15 working days")
    assert "SI 2018/789 reg 11" in result.review
    assert _answer(result, "CR-23.seriously_harmed") == "yes"
    assert "life-threatening" in _reason(result, "CR-23.seriously_harmed")
    assert result.missing == []
    assert result.also_under == []


@pytest.mark.parametrize(("concern", "scr"), [(True, "must"), (False, "consider"), (None, "consider")])
def test_it_screens_the_2012_shaken_baby_under_the_lscb_regime(concern: bool | None, scr: str) -> None:
    result = screen(_shaken_baby_2012(concern), decided_on=D("2012-06-01"))
    assert result.regime == "LSCB2006/WT2010"
    assert result.notifiable is True
    assert OFSTED in result.notify_to
    assert result.scr == scr
    assert result.rapid_review_by is None
    assert _answer(result, "CR-01.seriously_harmed") == "yes"


def test_it_words_the_2012_review_duty_per_sh01() -> None:
    must = screen(_shaken_baby_2012(True), decided_on=D("2012-06-01"))
    consider = screen(_shaken_baby_2012(False), decided_on=D("2012-06-01"))
    assert must.review.startswith("Serious Case Review must be commissioned (reg 5(2)(b)(ii))")
    assert consider.review.startswith("Serious Case Review must be considered")


def test_it_counts_the_2012_notification_over_the_jubilee_bank_holidays() -> None:
    # Aware Friday 1 June 2012; Mon 4 and Tue 5 June were bank holidays, so one working day is Wed 6 June.
    result = screen(_shaken_baby_2012(True), decided_on=D("2012-06-01"))
    assert result.notify_by == D("2012-06-06")
    assert any("unverified [G]" in warning and "CR-10" in warning for warning in result.warnings)


def test_it_says_a_2012_death_must_have_a_serious_case_review() -> None:
    facts = dataclasses.replace(_shaken_baby_2012(None), outcome=Outcome.DIED)
    result = screen(facts, decided_on=D("2012-06-01"))
    assert result.scr == "must"
    assert result.review.startswith("Serious Case Review must be commissioned (reg 5(2)(b)(i))")


def test_it_finds_nothing_notifiable_without_suspected_abuse_or_care_status() -> None:
    result = screen(_input(abuse_or_neglect=AbuseOrNeglect.NOT_SUSPECTED), decided_on=D("2024-03-06"))
    assert result.notifiable is False
    assert result.notify_to == []
    assert result.notify_by is None
    assert result.rapid_review_by is None
    assert "record the rationale" in result.review


def test_it_asks_for_more_information_when_abuse_is_unknown() -> None:
    result = screen(_input(abuse_or_neglect=AbuseOrNeglect.UNKNOWN), decided_on=D("2024-03-06"))
    assert result.notifiable is None
    assert result.missing == ["CR-20.abuse_or_neglect"]
    assert "CR-20.abuse_or_neglect" in result.review
    assert any("CR-20.abuse_or_neglect" in warning for warning in result.warnings)
    # The clock runs while the decision is open.
    assert result.notify_by == D("2024-03-12")
    assert result.rapid_review_by is not None


# --- Regimes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "regime_id"),
    [
        ("2006-04-01", "LSCB2006/WT2006"),
        ("2010-02-28", "LSCB2006/WT2006"),
        ("2010-03-01", "LSCB2006/WT2010"),
        ("2013-04-14", "LSCB2006/WT2010"),
        ("2013-04-15", "LSCB2006/WT2013"),
        ("2015-03-25", "LSCB2006/WT2013"),
        ("2015-03-26", "LSCB2006/WT2015"),
        ("2018-06-28", "LSCB2006/WT2015"),
        ("2018-06-29", "WT2018"),
        ("2023-12-14", "WT2018"),
        ("2023-12-15", "WT2023"),
    ],
)
def test_it_picks_the_regime_in_force_on_the_incident_date(day: str, regime_id: str) -> None:
    assert regime_for(D(day)).id == regime_id


def test_it_refuses_incidents_before_the_lscb_regulations() -> None:
    with pytest.raises(ValueError, match="before 1 April 2006"):
        regime_for(D("2006-03-31"))


def test_it_keeps_every_criterion_sourced_tagged_and_unique() -> None:
    for regime in REGIMES:
        ids = [criterion.id for criterion in regime.criteria]
        assert len(ids) == len(set(ids)), regime.id
        assert len({criterion.fact for criterion in regime.criteria}) == len(ids), regime.id
        for criterion in regime.criteria:
            assert criterion.id.startswith("CR-")
            assert criterion.question.endswith(("?", ")", "occur."))
            assert criterion.source
            assert criterion.tag in {"P", "S", "G"}
            assert criterion.verified == (criterion.tag != "G")


def test_it_treats_wt2006_like_wt2010_with_a_warning() -> None:
    result = screen(_input(occurred_on=D("2008-05-01"), aware_on=D("2008-05-01")), decided_on=D("2008-05-02"))
    assert result.regime == "LSCB2006/WT2006"
    assert [a.id for a in result.criteria] == [c.id for c in get_regime("LSCB2006/WT2010").criteria]
    assert any("Working Together 2006 wording is not held" in warning for warning in result.warnings)


def test_it_uses_ofsted_and_the_lscb_and_five_working_days_under_wt2015() -> None:
    facts = _input(occurred_on=D("2016-12-20"), aware_on=D("2016-12-22"), in_regulated_setting=False)
    result = screen(facts, decided_on=D("2016-12-22"))
    assert result.regime == "LSCB2006/WT2015"
    assert result.notify_to == [OFSTED, "LSCB"]
    assert result.notify_by == D("2017-01-03")  # over Christmas and the New Year substitute day
    assert not any("unverified" in warning for warning in result.warnings)


@pytest.mark.parametrize(("concern", "scr"), [(None, "must"), (True, "must"), (False, "not required")])
def test_it_shifts_the_burden_to_commission_an_scr_from_wt2013(concern: bool | None, scr: str) -> None:
    facts = _input(
        occurred_on=D("2016-01-11"), aware_on=D("2016-01-11"), concern_about_working_together=concern
    )
    result = screen(facts, decided_on=D("2016-01-12"))
    assert result.scr == scr


def test_it_warns_that_the_wt2013_notification_period_is_unverified() -> None:
    result = screen(_input(occurred_on=D("2014-01-13"), aware_on=D("2014-01-13")), decided_on=D("2014-01-14"))
    assert result.regime == "LSCB2006/WT2013"
    assert result.notify_by == D("2014-01-20")
    assert any("CR-11" in warning and "unverified [G]" in warning for warning in result.warnings)
    assert any("Unverified rule used [G]: CR-11.looked_after" in warning for warning in result.warnings)


def test_it_requires_an_scr_for_a_death_in_custody_from_wt2013() -> None:
    outcome = outcome_from_answers(
        "LSCB2006/WT2015",
        {"CR-01.abuse_or_neglect": "no", "CR-01.died": "yes", "CR-03.died_in_custody": "yes"},
    )
    assert outcome.scr == "must"
    assert "custody" in outcome.review


def test_it_warns_about_the_wt2018_transition() -> None:
    result = screen(_input(occurred_on=D("2019-01-07"), aware_on=D("2019-01-07")), decided_on=D("2019-01-08"))
    assert result.regime == "WT2018"
    assert result.rapid_review_start is RapidReviewStart.AWARENESS
    assert result.rapid_review_by == D("2019-01-28")
    assert any("29 September 2019" in warning for warning in result.warnings)


# --- Looked-after children and care leavers --------------------------------------------------------


def test_it_notifies_a_looked_after_childs_death_regardless_of_abuse() -> None:
    facts = _input(
        occurred_on=D("2020-02-03"),
        aware_on=D("2020-02-03"),
        outcome=Outcome.DIED,
        looked_after=True,
        abuse_or_neglect=AbuseOrNeglect.NOT_SUSPECTED,
    )
    result = screen(facts, decided_on=D("2020-02-04"))
    assert result.notifiable is True
    assert result.notify_to == [SECRETARY_OF_STATE, OFSTED]
    assert result.rapid_review_by is None
    assert "No rapid review" in result.review


def test_it_notifies_a_looked_after_childs_death_in_2012_too() -> None:
    facts = dataclasses.replace(
        _shaken_baby_2012(None),
        outcome=Outcome.DIED,
        harm="",
        looked_after=True,
        abuse_or_neglect=AbuseOrNeglect.NOT_SUSPECTED,
    )
    result = screen(facts, decided_on=D("2012-06-01"))
    assert result.notifiable is True
    assert result.scr == "not required"


def test_it_notifies_a_care_leavers_death_under_wt2023() -> None:
    facts = _input(
        child_born_on=D("2002-01-01"),
        care_leaver=True,
        outcome=Outcome.DIED,
        abuse_or_neglect=AbuseOrNeglect.NOT_SUSPECTED,
    )
    result = screen(facts, decided_on=D("2024-03-06"))
    assert _answer(result, "CR-22.care_leaver") == "yes"
    assert result.notifiable is True
    assert result.notify_to == [SECRETARY_OF_STATE, OFSTED]
    assert result.rapid_review_by is None


def test_it_does_not_notify_a_care_leavers_death_before_wt2023() -> None:
    facts = _input(
        occurred_on=D("2022-03-01"),
        aware_on=D("2022-03-01"),
        child_born_on=D("2002-01-01"),
        care_leaver=True,
        outcome=Outcome.DIED,
        abuse_or_neglect=AbuseOrNeglect.NOT_SUSPECTED,
    )
    assert screen(facts, decided_on=D("2022-03-02")).notifiable is False


def test_it_needs_the_care_leavers_age() -> None:
    facts = _input(
        child_born_on=None,
        care_leaver=True,
        outcome=Outcome.DIED,
        abuse_or_neglect=AbuseOrNeglect.NOT_SUSPECTED,
    )
    result = screen(facts, decided_on=D("2024-03-06"))
    assert result.notifiable is None
    assert result.missing == ["CR-22.care_leaver"]
    too_old = screen(dataclasses.replace(facts, child_born_on=D("1998-01-01")), decided_on=D("2024-03-06"))
    assert _answer(too_old, "CR-22.care_leaver") == "no"
    assert too_old.notifiable is False


# --- Proposing serious harm ------------------------------------------------------------------------


def test_it_proposes_serious_harm_from_a_flagged_harm_category() -> None:
    result = screen(
        _input(outcome=Outcome.OTHER, harm="", harm_categories=("abusive_head_trauma",)),
        decided_on=D("2024-03-06"),
    )
    assert _answer(result, "CR-23.seriously_harmed") == "yes"
    assert "kinds of harm reported" in _reason(result, "CR-23.seriously_harmed")
    assert any("SH-RULE" in warning for warning in result.warnings)


def test_it_never_proposes_no_serious_harm_from_silence() -> None:
    for harm in ("", "Child upset after an argument", "No head injury found; not shaken"):
        result = screen(_input(outcome=Outcome.OTHER, harm=harm), decided_on=D("2024-03-06"))
        assert _answer(result, "CR-23.seriously_harmed") == "unknown", harm
        assert result.notifiable is None
        assert result.missing == ["CR-23.seriously_harmed"]


def test_it_does_not_propose_serious_harm_from_a_category_that_is_not_an_indicator() -> None:
    result = screen(
        _input(outcome=Outcome.OTHER, harm="", harm_categories=("neglect",)), decided_on=D("2024-03-06")
    )
    assert _answer(result, "CR-23.seriously_harmed") == "unknown"


def test_it_uses_the_childs_age_to_read_a_fracture_as_serious() -> None:
    facts = _input(child_born_on=D("2023-12-01"), outcome=Outcome.OTHER, harm="fractured femur")
    assert _answer(screen(facts, decided_on=D("2024-03-06")), "CR-23.seriously_harmed") == "yes"
    older = dataclasses.replace(facts, child_born_on=D("2014-01-01"))
    assert _answer(screen(older, decided_on=D("2024-03-06")), "CR-23.seriously_harmed") == "unknown"


def test_it_questions_the_outcome_when_the_description_mentions_a_death() -> None:
    result = screen(
        _input(outcome=Outcome.OTHER, harm="The baby died in hospital"), decided_on=D("2024-03-06")
    )
    assert _answer(result, "CR-20.died") == "unknown"
    assert "'died'" in _reason(result, "CR-20.died")


def test_it_asks_about_residence_for_harm_outside_england() -> None:
    result = screen(_input(in_england=False), decided_on=D("2024-03-06"))
    assert result.notifiable is None
    assert result.missing == ["CR-20.in_england"]


# --- Later regimes (SH-01) -------------------------------------------------------------------------


def test_it_evaluates_a_2012_case_decided_after_april_2013_under_both_regimes() -> None:
    result = screen(_shaken_baby_2012(False), decided_on=D("2013-06-03"))
    assert result.regime == "LSCB2006/WT2010"
    assert result.scr == "consider"
    assert [c.regime for c in result.also_under] == ["LSCB2006/WT2013"]
    later = result.also_under[0]
    assert later.because == "the decision date 2013-06-03"
    assert later.scr == "not required"  # concern clearly "no" avoids an SCR from WT2013
    assert any("SH-01" in warning and "LSCB2006/WT2013" in warning for warning in result.warnings)


def test_it_reports_what_differs_under_the_later_regime() -> None:
    result = screen(_shaken_baby_2012(None), decided_on=D("2013-06-03"))
    differences = result.also_under[0].differences
    assert "Serious Case Review: consider under LSCB2006/WT2010, must under LSCB2006/WT2013" in differences


def test_it_evaluates_under_the_regime_of_a_later_awareness_date() -> None:
    facts = dataclasses.replace(_shaken_baby_2012(None), aware_on=D("2024-02-01"))
    result = screen(facts, decided_on=D("2024-02-02"))
    assert [c.regime for c in result.also_under] == ["WT2023"]
    assert result.also_under[0].because == "the awareness date 2024-02-01"
    assert result.also_under[0].notify_to == (PANEL, OFSTED, SAFEGUARDING_PARTNERS)


# --- Clocks ----------------------------------------------------------------------------------------


def test_it_counts_the_rapid_review_from_awareness_when_asked() -> None:
    result = screen(_input(), rapid_review_start="awareness", decided_on=D("2024-03-06"))
    assert result.rapid_review_start is RapidReviewStart.AWARENESS
    assert result.rapid_review_by == ENGLAND.add_working_days(D("2024-03-05"), 15)


def test_it_counts_the_rapid_review_from_the_actual_notification() -> None:
    result = screen(_input(), notified_on=D("2024-03-07"), decided_on=D("2024-03-07"))
    assert result.rapid_review_by == ENGLAND.add_working_days(D("2024-03-07"), 15)
    assert not any("latest notification date" in warning for warning in result.warnings)


def test_it_honours_partnership_closure_days_in_the_clocks() -> None:
    calendar = WorkingCalendar(closures=[D("2024-03-06")])
    result = screen(_input(), calendar=calendar, decided_on=D("2024-03-06"))
    assert result.notify_by == D("2024-03-13")


def test_it_gives_no_deadlines_when_nothing_is_notifiable() -> None:
    clocks = deadlines("WT2023", D("2024-03-05"), notifiable=False, rapid_review=False)
    assert clocks.notify_by is None
    assert clocks.rapid_review_by is None


# --- Confirmed answers -----------------------------------------------------------------------------


def test_it_recomputes_the_outcome_from_confirmed_answers() -> None:
    answers = {
        "CR-20.abuse_or_neglect": "yes",
        "CR-20.died": "no",
        "CR-23.seriously_harmed": "no",
        "CR-20.in_england": "yes",
        "CR-22.looked_after": "no",
        "CR-22.care_leaver": "no",
    }
    assert outcome_from_answers("WT2023", answers).notifiable is False
    confirmed = outcome_from_answers("WT2023", {**answers, "CR-23.seriously_harmed": "yes"})
    assert confirmed.notifiable is True
    assert confirmed.rapid_review is True
    assert confirmed.notify_to == (PANEL, OFSTED, SAFEGUARDING_PARTNERS)


def test_it_treats_missing_answers_as_unknown() -> None:
    outcome = outcome_from_answers("WT2023", {"CR-20.abuse_or_neglect": "yes"})
    assert outcome.notifiable is None
    assert set(outcome.missing) >= {"CR-20.died", "CR-23.seriously_harmed"}


def test_it_rejects_unknown_criteria_and_answers() -> None:
    with pytest.raises(ValueError, match=re.escape("'CR-01.died' is not a criterion of WT2023")):
        outcome_from_answers("WT2023", {"CR-01.died": "yes"})
    with pytest.raises(ValueError, match=re.escape("CR-20.died: answer 'maybe'")):
        outcome_from_answers("WT2023", {"CR-20.died": "maybe"})
    with pytest.raises(ValueError, match="unknown regime 'WT1999'"):
        outcome_from_answers("WT1999", {})


def test_it_agrees_with_itself_when_proposed_answers_are_confirmed() -> None:
    facts = _shaken_baby_2012(True)
    result = screen(facts, decided_on=D("2012-06-01"))
    regime = get_regime(result.regime)
    confirmed = {answer.id: answer.answer for answer in propose_answers(regime, facts)}
    outcome = outcome_from_answers(result.regime, confirmed)
    assert (outcome.notifiable, outcome.scr, list(outcome.notify_to)) == (
        result.notifiable,
        result.scr,
        result.notify_to,
    )


answer_values = st.sampled_from(["yes", "no", "unknown"])


@given(data=st.data(), regime_index=st.integers(min_value=0, max_value=len(REGIMES) - 1))
def test_it_never_changes_a_decided_outcome_when_an_unknown_is_answered(
    data: st.DataObject, regime_index: int
) -> None:
    regime = REGIMES[regime_index]
    answers = {criterion.id: data.draw(answer_values) for criterion in regime.criteria}
    before = outcome_from_answers(regime.id, answers)
    unknowns = [criterion_id for criterion_id, answer in answers.items() if answer == "unknown"]
    if not unknowns:
        assert before.notifiable is not None
        return
    chosen = data.draw(st.sampled_from(unknowns))
    after = outcome_from_answers(regime.id, {**answers, chosen: data.draw(st.sampled_from(["yes", "no"]))})
    if before.notifiable is not None:
        assert after.notifiable == before.notifiable
    if before.rapid_review is not None:
        assert after.rapid_review == before.rapid_review
    if chosen not in before.missing and before.notifiable is None:
        assert after.notifiable is None or after.notifiable == before.notifiable


# --- Input checks and JSON -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": "injured"}, "outcome: 'injured' is not one of died, seriously_harmed, other"),
        ({"abuse_or_neglect": "maybe"}, "abuse_or_neglect: 'maybe' is not one of"),
        ({"harm_categories": ("bites",)}, "harm_categories: unknown harm category 'bites'"),
        ({"aware_on": D("2024-03-01")}, "aware_on: 2024-03-01 is before the incident"),
        ({"child_born_on": D("2024-04-01")}, "child_born_on: 2024-04-01 is after the incident"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        _input(**changes)


def test_it_accepts_plain_strings_for_the_choices() -> None:
    facts = _input(outcome="died", abuse_or_neglect="known", harm_categories=["neglect"])
    assert facts.outcome is Outcome.DIED
    assert facts.abuse_or_neglect is AbuseOrNeglect.KNOWN
    assert facts.harm_categories == ("neglect",)


def test_it_keeps_the_maintained_harm_categories() -> None:
    codes = [category.code for category in HARM_CATEGORIES]
    assert len(codes) == len(set(codes)) == 14
    assert codes[-1] == "other"
    flagged = {category.code for category in HARM_CATEGORIES if category.serious_harm_indicator}
    assert {"abusive_head_trauma", "fracture", "sexual_abuse"} <= flagged
    assert not flagged & {"bruising_non_mobile", "neglect", "domestic_abuse", "other"}
    assert harm_category("abusive_head_trauma").verified is False  # SH-RULE is a proposal [G]
    assert all(category.source for category in HARM_CATEGORIES)
    with pytest.raises(ValueError, match="unknown harm category 'bites'; use one of: abusive_head_trauma"):
        harm_category("bites")


def test_it_offers_the_outcome_and_abuse_choices() -> None:
    assert [value for value, _ in OUTCOME_CHOICES] == ["died", "seriously_harmed", "other"]
    assert [value for value, _ in ABUSE_OR_NEGLECT_CHOICES] == [
        "known",
        "suspected",
        "not_suspected",
        "unknown",
    ]


def test_it_accepts_every_harm_category() -> None:
    facts = _input(harm_categories=tuple(category.code for category in HARM_CATEGORIES))
    assert screen(facts, decided_on=D("2024-03-06")).notifiable is True


def test_it_gives_a_json_ready_result() -> None:
    data = to_json_dict(screen(_shaken_baby_2012(True), decided_on=D("2013-06-03")))
    assert json.loads(json.dumps(data)) == data
    assert data["regime"] == "LSCB2006/WT2010"
    assert data["notify_by"] == "2012-06-06"
    assert data["rapid_review_by"] is None
    assert set(data["criteria"][0]) == {"id", "question", "answer", "reason", "source", "verified"}
    assert data["also_under"][0]["regime"] == "LSCB2006/WT2013"


def test_it_keeps_results_immutable() -> None:
    result = screen(_input(), decided_on=D("2024-03-06"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.regime = "WT2018"  # type: ignore[misc]
