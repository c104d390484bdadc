"""Serious-incident screening: which statutory criteria applied, and what follows.

The engine PROPOSES an answer to each criterion of the regime in force from the
facts reported, works out the outcome (notifiable? to whom, by when? a Serious
Case Review or a rapid review?), and explains itself. A person then confirms or
corrects each answer; ``outcome_from_answers`` recomputes the outcome from the
confirmed answers, and ``deadlines`` the working-day clocks.

Regimes, criteria and their sources are data (``REGIMES``), each criterion with
its rulebook id and verification tag; anything the rulebook marks [G]
(unverified) is flagged ``verified=False`` and named in the warnings.

Engine convention (rulebook section 0): the regime is the one in force on the
date the incident occurred. When the date the local authority became aware, or
the date of the decision, falls under a later regime, the case is evaluated
under that regime too and the difference reported (SH-01).

Answers are three-valued: "yes", "no" or "unknown". An outcome is only given
when every possible answer to the unknown criteria leads to it; otherwise it is
``None`` (more information needed) and the criteria that would decide it are
listed in ``missing``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import product
from typing import Any, TypeVar

from chronicle.core.calendar import ENGLAND, WorkingCalendar
from chronicle.core.harm import HARM_CATEGORIES_BY_CODE, AbuseOrNeglect, Outcome, harm_category
from chronicle.core.indicators import IndicatorKind, IndicatorMatch, match_indicators, serious_harm_matches

YES, NO, UNKNOWN = "yes", "no", "unknown"
ANSWERS = (YES, NO, UNKNOWN)

PANEL = "Child Safeguarding Practice Review Panel"
OFSTED = "Ofsted"
SAFEGUARDING_PARTNERS = "Safeguarding partners"
SECRETARY_OF_STATE = "Secretary of State"
LSCB = "LSCB"

T = TypeVar("T")


class Fact(StrEnum):
    """What a criterion asks about. Several regimes ask the same fact in their own words."""

    ABUSE_OR_NEGLECT = "abuse_or_neglect"
    DIED = "died"
    SERIOUSLY_HARMED = "seriously_harmed"
    WORKED_TOGETHER_CONCERN = "worked_together_concern"
    DIED_IN_CUSTODY = "died_in_custody"
    LOOKED_AFTER = "looked_after"
    REGULATED_SETTING = "regulated_setting"
    CARE_LEAVER = "care_leaver"
    IN_ENGLAND = "in_england"


class Era(StrEnum):
    LSCB_WT2010 = "lscb_wt2010"  # SI 2006/90 reg 5 with WT2006/WT2010 Ch.8: SCR "must" or "consider"
    LSCB_WT2013 = "lscb_wt2013"  # SI 2006/90 reg 5 with WT2013/WT2015: SCR unless clearly no concerns
    PANEL = "panel"  # CA 2004 s16C, SI 2018/789: Panel notification and rapid review


class RapidReviewStart(StrEnum):
    AWARENESS = "awareness"  # RR-01 (a) [G]: 15 working days from becoming aware
    NOTIFICATION = "notification"  # RR-01 (b) [S]: 15 working days from the notification to the Panel


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str  # "<rulebook id>.<fact>", unique within a regime
    fact: Fact
    question: str
    source: str
    tag: str  # "P", "S" or "G"

    @property
    def verified(self) -> bool:
        return self.tag != "G"


@dataclass(frozen=True, slots=True)
class Regime:
    id: str
    title: str
    starts_on: dt.date
    era: Era
    criteria: tuple[Criterion, ...]
    notify_to: tuple[str, ...]  # who a serious incident is notified to
    notify_within: int  # working days after the local authority became aware
    notify_rule: str
    notify_tag: str
    rapid_review_within: int | None  # working days; None before the Panel era
    source: str
    tag: str
    notes: tuple[str, ...] = ()  # warnings given whenever this regime is used

    @property
    def notify_verified(self) -> bool:
        return self.notify_tag != "G"

    def criterion(self, fact: Fact) -> Criterion | None:
        for criterion in self.criteria:
            if criterion.fact is fact:
                return criterion
        return None


# --- The criteria, as data ------------------------------------------------------------------------

_LSCB_ABUSE = Criterion(
    "CR-01.abuse_or_neglect",
    Fact.ABUSE_OR_NEGLECT,
    "Is abuse or neglect of the child known or suspected?",
    "LSCB Regulations 2006 (SI 2006/90) reg 5(2)(a) (CR-01)",
    "S",
)
_LSCB_DIED = Criterion(
    "CR-01.died",
    Fact.DIED,
    "Has the child died (including by suspected suicide)?",
    "SI 2006/90 reg 5(2)(b)(i); Working Together 2010 Ch.8 (CR-01, CR-02)",
    "S",
)
_LSCB_HARMED_2010 = Criterion(
    "CR-01.seriously_harmed",
    Fact.SERIOUSLY_HARMED,
    "Has the child been seriously harmed, for example a potentially life-threatening injury, serious and "
    "permanent impairment of health or development, or serious sexual abuse?",
    "SI 2006/90 reg 5(2)(b)(ii); Working Together 2010 Ch.8 (CR-01, CR-02)",
    "S",
)
_LSCB_HARMED_2015 = Criterion(
    "CR-01.seriously_harmed",
    Fact.SERIOUSLY_HARMED,
    "Has the child been seriously harmed, for example a potentially life-threatening injury or serious "
    "and/or likely long-term impairment of health or development? (Recovery does not mean serious harm "
    "did not occur.)",
    "SI 2006/90 reg 5(2)(b)(ii); Working Together 2015 'seriously harmed' (CR-01, CR-12)",
    "S",
)
_LSCB_CONCERN_2010 = Criterion(
    "CR-01.worked_together_concern",
    Fact.WORKED_TOGETHER_CONCERN,
    "Is there cause for concern about the way the local authority, its Board partners or other relevant "
    "persons worked together to safeguard the child?",
    "SI 2006/90 reg 5(2)(b)(ii) (CR-01); SH-01",
    "S",
)
_LSCB_CONCERN_2013 = Criterion(
    "CR-03.worked_together_concern",
    Fact.WORKED_TOGETHER_CONCERN,
    "Is there cause for concern about how agencies worked together? (Unless it is clear that there are "
    "no such concerns, the LSCB must commission a Serious Case Review.)",
    "SI 2006/90 reg 5(2)(b)(ii); Working Together 2013/2015 Ch.4 (CR-03)",
    "S",
)
_LSCB_CUSTODY = Criterion(
    "CR-03.died_in_custody",
    Fact.DIED_IN_CUSTODY,
    "Did the child die in custody, in police custody, on remand or following sentencing, in a Young "
    "Offender Institution, a secure training centre or a secure children's home, or while detained under "
    "the Mental Health Act?",
    "Working Together 2013/2015 Ch.4 (CR-03)",
    "S",
)
_LSCB_LOOKED_AFTER_2010 = Criterion(
    "CR-10.looked_after",
    Fact.LOOKED_AFTER,
    "Was the child looked after by a local authority? (The death of a looked-after child is notified "
    "whether or not abuse or neglect is suspected.)",
    "Ofsted 'Notification of serious childcare incident' form; CA 1989 Sch 2 para 20(1)(a) (CR-10)",
    "S",
)
_LSCB_REGULATED_2010 = Criterion(
    "CR-10.regulated_setting",
    Fact.REGULATED_SETTING,
    "Did the death or serious harm happen in a children's home or other regulated setting?",
    "Ofsted 'Notification of serious childcare incident' form (CR-10)",
    "S",
)
_LSCB_LOOKED_AFTER_2015 = Criterion(
    "CR-11.looked_after",
    Fact.LOOKED_AFTER,
    "Was the child looked after by a local authority? (The death of a looked-after child is notifiable "
    "even where abuse or neglect is not known or suspected.)",
    "Working Together 2015 'notifiable incident' (CR-11)",
    "S",
)
_LSCB_REGULATED_2015 = Criterion(
    "CR-11.regulated_setting",
    Fact.REGULATED_SETTING,
    "Was the child in a regulated setting or service? (A death there is notifiable even where abuse or "
    "neglect is not known or suspected.)",
    "Working Together 2015 'notifiable incident' (CR-11)",
    "S",
)
_LSCB_LOOKED_AFTER_2013 = Criterion(
    _LSCB_LOOKED_AFTER_2015.id,
    Fact.LOOKED_AFTER,
    _LSCB_LOOKED_AFTER_2015.question,
    "Working Together 2013: the same notification concept as WT2015 is believed to apply (CR-11) [G]",
    "G",
)
_LSCB_REGULATED_2013 = Criterion(
    _LSCB_REGULATED_2015.id,
    Fact.REGULATED_SETTING,
    _LSCB_REGULATED_2015.question,
    "Working Together 2013: the same notification concept as WT2015 is believed to apply (CR-11) [G]",
    "G",
)

_PANEL_ABUSE = Criterion(
    "CR-20.abuse_or_neglect",
    Fact.ABUSE_OR_NEGLECT,
    "Does the local authority know or suspect that the child has been abused or neglected?",
    "Children Act 2004 s16C(1) (CR-20)",
    "S",
)
_PANEL_DIED = Criterion(
    "CR-20.died",
    Fact.DIED,
    "Has the child died (including suspected suicide)?",
    "Children Act 2004 s16C(1); gov.uk 'Report a serious child safeguarding incident' (CR-20, CR-21)",
    "P",
)
_PANEL_HARMED = Criterion(
    "CR-23.seriously_harmed",
    Fact.SERIOUSLY_HARMED,
    "Has the child been seriously harmed? Serious harm includes serious and/or long-term impairment of "
    "mental health, intellectual, emotional, social or behavioural development, or physical health; the "
    "list is not exhaustive, and recovery does not mean serious harm did not occur.",
    "Children Act 2004 s16C(1); Working Together 2018 Ch.4 / 2023 Ch.5 'serious harm' (CR-23)",
    "S",
)
_PANEL_IN_ENGLAND = Criterion(
    "CR-20.in_england",
    Fact.IN_ENGLAND,
    "Did the death or serious harm happen in the local authority's area in England, or, if outside "
    "England, was the child normally resident in the local authority's area?",
    "Children Act 2004 s16C(1)(a) and (b) (CR-20)",
    "S",
)
_PANEL_LOOKED_AFTER = Criterion(
    "CR-22.looked_after",
    Fact.LOOKED_AFTER,
    "Was the child looked after by a local authority? (The death of a looked-after child is notified "
    "whether or not abuse or neglect is known or suspected.)",
    "gov.uk 'Report a serious child safeguarding incident' (CR-22)",
    "P",
)
_PANEL_CARE_LEAVER = Criterion(
    "CR-22.care_leaver",
    Fact.CARE_LEAVER,
    "Was the person a care leaver aged 24 or under? (The death of a care leaver is notified to the "
    "Secretary of State and Ofsted.)",
    "Working Together 2023 (CR-22)",
    "S",
)

_LSCB_2010_CRITERIA = (
    _LSCB_ABUSE,
    _LSCB_DIED,
    _LSCB_HARMED_2010,
    _LSCB_CONCERN_2010,
    _LSCB_LOOKED_AFTER_2010,
    _LSCB_REGULATED_2010,
)

REGIMES: tuple[Regime, ...] = (
    Regime(
        id="LSCB2006/WT2006",
        title="LSCB Regulations 2006 with Working Together 2006",
        starts_on=dt.date(2006, 4, 1),
        era=Era.LSCB_WT2010,
        criteria=_LSCB_2010_CRITERIA,
        notify_to=(OFSTED, SECRETARY_OF_STATE),
        notify_within=1,
        notify_rule="CR-10",
        notify_tag="G",
        rapid_review_within=None,
        source="SI 2006/90 (in force 1 April 2006); Working Together 2006",
        tag="G",
        notes=(
            "Working Together 2006 wording is not held: this incident is assessed with the Working "
            "Together 2010 criteria, which rest on the same LSCB Regulations 2006 (reg 5). Check the "
            "decision against Working Together 2006 Chapter 8.",
        ),
    ),
    Regime(
        id="LSCB2006/WT2010",
        title="LSCB Regulations 2006 with Working Together 2010",
        starts_on=dt.date(2010, 3, 1),
        era=Era.LSCB_WT2010,
        criteria=_LSCB_2010_CRITERIA,
        notify_to=(OFSTED, SECRETARY_OF_STATE),
        notify_within=1,
        notify_rule="CR-10",
        notify_tag="G",
        rapid_review_within=None,
        source="SI 2006/90 reg 5; Working Together 2010 Ch.8 (March 2010)",
        tag="S",
    ),
    Regime(
        id="LSCB2006/WT2013",
        title="LSCB Regulations 2006 with Working Together 2013",
        starts_on=dt.date(2013, 4, 15),
        era=Era.LSCB_WT2013,
        criteria=(
            _LSCB_ABUSE,
            _LSCB_DIED,
            _LSCB_HARMED_2015,
            _LSCB_CONCERN_2013,
            _LSCB_CUSTODY,
            _LSCB_LOOKED_AFTER_2013,
            _LSCB_REGULATED_2013,
        ),
        notify_to=(OFSTED, LSCB),
        notify_within=5,
        notify_rule="CR-11",
        notify_tag="G",
        rapid_review_within=None,
        source="SI 2006/90 reg 5; Working Together 2013 Ch.4 (in effect 15 April 2013)",
        tag="S",
    ),
    Regime(
        id="LSCB2006/WT2015",
        title="LSCB Regulations 2006 with Working Together 2015",
        starts_on=dt.date(2015, 3, 26),
        era=Era.LSCB_WT2013,
        criteria=(
            _LSCB_ABUSE,
            _LSCB_DIED,
            _LSCB_HARMED_2015,
            _LSCB_CONCERN_2013,
            _LSCB_CUSTODY,
            _LSCB_LOOKED_AFTER_2015,
            _LSCB_REGULATED_2015,
        ),
        notify_to=(OFSTED, LSCB),
        notify_within=5,
        notify_rule="CR-11",
        notify_tag="S",
        rapid_review_within=None,
        source="SI 2006/90 reg 5; Working Together 2015 Ch.4 (published 26 March 2015)",
        tag="S",
    ),
    Regime(
        id="WT2018",
        title="Children Act 2004 s16C, SI 2018/789 and Working Together 2018",
        starts_on=dt.date(2018, 6, 29),
        era=Era.PANEL,
        criteria=(_PANEL_ABUSE, _PANEL_DIED, _PANEL_HARMED, _PANEL_IN_ENGLAND, _PANEL_LOOKED_AFTER),
        notify_to=(PANEL, OFSTED, SAFEGUARDING_PARTNERS),
        notify_within=5,
        notify_rule="CR-21",
        notify_tag="P",
        rapid_review_within=15,
        source="Children Act 2004 s16C (Panel notification from 29 June 2018); SI 2018/789",
        tag="P",
    ),
    Regime(
        id="WT2023",
        title="Children Act 2004 s16C, SI 2018/789 and Working Together 2023",
        starts_on=dt.date(2023, 12, 15),
        era=Era.PANEL,
        criteria=(
            _PANEL_ABUSE,
            _PANEL_DIED,
            _PANEL_HARMED,
            _PANEL_IN_ENGLAND,
            _PANEL_LOOKED_AFTER,
            _PANEL_CARE_LEAVER,
        ),
        notify_to=(PANEL, OFSTED, SAFEGUARDING_PARTNERS),
        notify_within=5,
        notify_rule="CR-21",
        notify_tag="P",
        rapid_review_within=15,
        source="Children Act 2004 s16C; SI 2018/789; Working Together 2023 Ch.5 (published 15 December 2023)",
        tag="S",
    ),
)

REGIMES_BY_ID: dict[str, Regime] = {regime.id: regime for regime in REGIMES}

# WT2018 transition: LSCBs and SCRs continued until local arrangements began (rulebook section 0).
WT2018_TRANSITION_ENDS = dt.date(2019, 9, 29)
# RR-01: default to the notification start "for WT2023 and the Panel guidance from 2022 onward".
PANEL_GUIDANCE_2022 = dt.date(2022, 1, 1)


def regime_for(day: dt.date) -> Regime:
    """The regime in force on ``day``."""
    if day < REGIMES[0].starts_on:
        raise ValueError(
            f"{day.isoformat()} is before 1 April 2006, when the LSCB Regulations 2006 came into force; "
            "the rules before then are not held"
        )
    found = REGIMES[0]
    for regime in REGIMES:
        if regime.starts_on <= day:
            found = regime
    return found


def get_regime(regime_id: str) -> Regime:
    try:
        return REGIMES_BY_ID[regime_id]
    except KeyError:
        raise ValueError(f"unknown regime {regime_id!r}; use one of: {', '.join(REGIMES_BY_ID)}") from None


# --- Input and output ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScreeningInput:
    """The facts reported about an incident."""

    occurred_on: dt.date
    aware_on: dt.date  # when the local authority became aware of the incident
    looked_after: bool
    care_leaver: bool
    outcome: Outcome
    harm: str  # what happened, in words
    abuse_or_neglect: AbuseOrNeglect
    in_england: bool
    concern_about_working_together: bool | None
    child_born_on: dt.date | None = None
    harm_categories: tuple[str, ...] = ()
    in_regulated_setting: bool | None = None

    def __post_init__(self) -> None:
        # Accept plain strings for the enumerations, so callers can pass form or JSON values.
        try:
            object.__setattr__(self, "outcome", Outcome(self.outcome))
        except ValueError:
            raise ValueError(
                f"outcome: {self.outcome!r} is not one of {', '.join(item.value for item in Outcome)}"
            ) from None
        try:
            object.__setattr__(self, "abuse_or_neglect", AbuseOrNeglect(self.abuse_or_neglect))
        except ValueError:
            raise ValueError(
                f"abuse_or_neglect: {self.abuse_or_neglect!r} is not one of "
                f"{', '.join(item.value for item in AbuseOrNeglect)}"
            ) from None
        object.__setattr__(self, "harm_categories", tuple(self.harm_categories))
        for code in self.harm_categories:
            try:
                harm_category(code)
            except ValueError as error:
                raise ValueError(f"harm_categories: {error}") from None
        if self.aware_on < self.occurred_on:
            raise ValueError(
                f"aware_on: {self.aware_on.isoformat()} is before the incident ({self.occurred_on.isoformat()})"
            )
        if self.child_born_on is not None and self.child_born_on > self.occurred_on:
            raise ValueError(
                f"child_born_on: {self.child_born_on.isoformat()} is after the incident "
                f"({self.occurred_on.isoformat()})"
            )

    def age_in_years(self) -> int | None:
        """The child's age in whole years on the day of the incident, if the birth date is known."""
        if self.child_born_on is None:
            return None
        born, on = self.child_born_on, self.occurred_on
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True, slots=True)
class CriterionAnswer:
    id: str
    question: str
    answer: str  # "yes", "no" or "unknown"
    reason: str  # why the engine proposed this answer, naming the input it used
    source: str
    verified: bool


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    """What follows from a set of answers under one regime (no dates)."""

    regime: str
    notifiable: bool | None
    notify_to: tuple[str, ...]
    scr: str | None  # "must", "consider", "not required"; None in the Panel era or when not yet clear
    rapid_review: bool | None  # whether a rapid review is required (Panel era); False before it
    review: str
    missing: tuple[str, ...]  # ids of unanswered criteria whose answer would change the outcome


@dataclass(frozen=True, slots=True)
class Deadlines:
    notify_by: dt.date | None
    rapid_review_by: dt.date | None
    rapid_review_start: RapidReviewStart | None
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegimeComparison:
    """The same incident evaluated under a later regime (SH-01)."""

    regime: str
    because: str  # e.g. "the awareness date 2013-05-01"
    notifiable: bool | None
    notify_to: tuple[str, ...]
    scr: str | None
    review: str
    differences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    regime: str
    regime_title: str
    notifiable: bool | None
    notify_to: list[str]
    notify_by: dt.date | None
    rapid_review_by: dt.date | None
    rapid_review_start: RapidReviewStart | None
    review: str
    scr: str | None
    criteria: list[CriterionAnswer]
    missing: list[str]
    warnings: list[str]
    indicators: list[IndicatorMatch] = field(default_factory=list)
    also_under: list[RegimeComparison] = field(default_factory=list)


# --- Proposing answers from the facts ------------------------------------------------------------


def _yes_no(value: bool, said: str, not_said: str) -> tuple[str, str]:
    """The report's answer, and what it says, in words."""
    return (YES, said) if value else (NO, not_said)


def _outcome_words(outcome: Outcome) -> str:
    return {
        Outcome.DIED: "the report says the child died",
        Outcome.SERIOUSLY_HARMED: "the report says the child was seriously harmed",
        Outcome.OTHER: "the report says the child neither died nor is known to have been seriously harmed",
    }[outcome]


def _propose(
    criterion: Criterion, regime: Regime, facts: ScreeningInput, matches: list[IndicatorMatch]
) -> CriterionAnswer:
    answer, reason = _proposal(criterion.fact, regime, facts, matches)
    return CriterionAnswer(
        id=criterion.id,
        question=criterion.question,
        answer=answer,
        reason=reason,
        source=criterion.source,
        verified=criterion.verified,
    )


def _proposal(
    fact: Fact, regime: Regime, facts: ScreeningInput, matches: list[IndicatorMatch]
) -> tuple[str, str]:
    outcome = facts.outcome
    if fact is Fact.ABUSE_OR_NEGLECT:
        value = facts.abuse_or_neglect
        if value in (AbuseOrNeglect.KNOWN, AbuseOrNeglect.SUSPECTED):
            return YES, f"the report says abuse or neglect is {value.value}"
        if value is AbuseOrNeglect.NOT_SUSPECTED:
            return NO, "the report says abuse or neglect is not suspected"
        return (
            UNKNOWN,
            "the report does not yet say: find out whether abuse or neglect is known or suspected",
        )
    if fact is Fact.DIED:
        if outcome is Outcome.DIED:
            return YES, _outcome_words(outcome)
        deaths = [m for m in matches if m.kind is IndicatorKind.DEATH and not m.negated]
        if deaths:
            words = ", ".join(f"'{word}'" for m in deaths for word in m.words)
            return (
                UNKNOWN,
                f"{_outcome_words(outcome)}, but the description of the harm mentions {words}: confirm",
            )
        return NO, _outcome_words(outcome)
    if fact is Fact.SERIOUSLY_HARMED:
        return _serious_harm_proposal(facts, matches)
    if fact is Fact.WORKED_TOGETHER_CONCERN:
        if facts.concern_about_working_together is None:
            extra = (
                "; unless it is clear there are no such concerns, a Serious Case Review must be commissioned"
                if regime.era is Era.LSCB_WT2013
                else ""
            )
            return (
                UNKNOWN,
                f"the report does not say whether there are concerns about how agencies worked together{extra}",
            )
        return _yes_no(
            facts.concern_about_working_together,
            "the report says there are concerns about how agencies worked together",
            "the report says there are no concerns about how agencies worked together",
        )
    if fact is Fact.DIED_IN_CUSTODY:
        if outcome is not Outcome.DIED:
            return NO, f"the child did not die ({_outcome_words(outcome)})"
        return UNKNOWN, "where the child died is not recorded: confirm whether it was in custody or detention"
    if fact is Fact.LOOKED_AFTER:
        return _yes_no(
            facts.looked_after,
            "the report says the child was looked after by a local authority",
            "the report says the child was not looked after by a local authority",
        )
    if fact is Fact.REGULATED_SETTING:
        if facts.in_regulated_setting is None:
            return UNKNOWN, "the report does not say whether it happened in a regulated setting"
        return _yes_no(
            facts.in_regulated_setting,
            "the report says it happened in a regulated setting",
            "the report says it did not happen in a regulated setting",
        )
    if fact is Fact.CARE_LEAVER:
        if not facts.care_leaver:
            return NO, "the report says the person was not a care leaver"
        age = facts.age_in_years()
        if age is None:
            return (
                UNKNOWN,
                "the report says the person was a care leaver but gives no date of birth: the duty covers "
                "ages up to 24",
            )
        if age <= 24:
            return YES, f"the report says the person was a care leaver, aged {age} (from the date of birth)"
        return (
            NO,
            f"the report says the person was a care leaver, but aged {age}, over 24 (from the date of birth)",
        )
    # Fact.IN_ENGLAND
    if facts.in_england:
        return YES, "the report says it happened in England"
    return UNKNOWN, (
        "the report says it did not happen in England: notifiable only if the child normally lives in the local authority's area "
        "(s16C(1)(b)); confirm"
    )


def _serious_harm_proposal(facts: ScreeningInput, matches: list[IndicatorMatch]) -> tuple[str, str]:
    if facts.outcome is Outcome.SERIOUSLY_HARMED:
        return YES, _outcome_words(facts.outcome)
    flagged = [
        HARM_CATEGORIES_BY_CODE[code]
        for code in facts.harm_categories
        if HARM_CATEGORIES_BY_CODE[code].serious_harm_indicator
    ]
    if flagged:
        labels = ", ".join(f"'{category.label}'" for category in flagged)
        return (
            YES,
            f"the kinds of harm reported include {labels}, a sign of serious harm (SH-RULE, a proposal): confirm",
        )
    serious = serious_harm_matches(matches)
    if serious:
        words = ", ".join(f"'{word}' ({m.indicator_id})" for m in serious for word in m.words)
        return (
            YES,
            f"the description of the harm mentions {words}, signs of serious harm (indicators): confirm",
        )
    return UNKNOWN, (
        "no sign of serious harm in the kinds of harm reported or the description: a person must judge "
        "(the definition is not exhaustive)"
    )


def propose_answers(regime: Regime, facts: ScreeningInput) -> list[CriterionAnswer]:
    """The engine's proposed answer to each criterion of ``regime``, with its reason."""
    matches = _matches(facts)
    return [_propose(criterion, regime, facts, matches) for criterion in regime.criteria]


def _is_infant(facts: ScreeningInput) -> bool | None:
    if facts.child_born_on is None:
        return None
    return (facts.occurred_on - facts.child_born_on).days < 365


def _matches(facts: ScreeningInput) -> list[IndicatorMatch]:
    return match_indicators(facts.harm, infant=_is_infant(facts))


# --- From answers to an outcome ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Decision:
    notifiable: bool
    notify_to: tuple[str, ...]
    scr: str | None
    rapid_review: bool
    review: str


_NOTHING_REQUIRED = "No notification or review required: record the rationale for this decision."


def _decide_lscb_2010(facts: Mapping[Fact, bool | None], regime: Regime) -> _Decision:
    abuse, died, harmed = (
        bool(facts[Fact.ABUSE_OR_NEGLECT]),
        bool(facts[Fact.DIED]),
        bool(facts[Fact.SERIOUSLY_HARMED]),
    )
    # SH-01: before April 2013 an unanswered concern means the LSCB has to consider a review.
    concern = facts[Fact.WORKED_TOGETHER_CONCERN] is True
    looked_after, regulated = bool(facts[Fact.LOOKED_AFTER]), bool(facts[Fact.REGULATED_SETTING])
    notifiable = (abuse and (died or harmed)) or (looked_after and died) or (regulated and (died or harmed))
    if abuse and died:
        scr = "must"
        review = (
            "Serious Case Review must be commissioned (reg 5(2)(b)(i)): the child died and abuse or "
            "neglect is known or suspected."
        )
    elif abuse and harmed and concern:
        scr = "must"
        review = (
            "Serious Case Review must be commissioned (reg 5(2)(b)(ii)): the child was seriously harmed, "
            "abuse or neglect is known or suspected, and there is cause for concern about how agencies "
            "worked together."
        )
    elif abuse and harmed:
        scr = "consider"
        review = (
            "Serious Case Review must be considered: the child was seriously harmed and abuse or neglect "
            "is known or suspected, so the LSCB may decide to conduct one (Working Together 2010 Ch.8). "
            "If there is cause for concern about how agencies worked together, reg 5(2)(b)(ii) makes it "
            "a must (SH-01)."
        )
    else:
        scr = "not required"
        review = (
            "No Serious Case Review required under reg 5(2); notify Ofsted (CR-10)."
            if notifiable
            else _NOTHING_REQUIRED
        )
    return _Decision(notifiable, regime.notify_to if notifiable else (), scr, False, review)


def _decide_lscb_2013(facts: Mapping[Fact, bool | None], regime: Regime) -> _Decision:
    abuse, died, harmed = (
        bool(facts[Fact.ABUSE_OR_NEGLECT]),
        bool(facts[Fact.DIED]),
        bool(facts[Fact.SERIOUSLY_HARMED]),
    )
    # CR-03: "unless it is clear that there are no concerns" - only a clear "no" avoids an SCR.
    concern = facts[Fact.WORKED_TOGETHER_CONCERN] is not False
    custody = bool(facts[Fact.DIED_IN_CUSTODY])
    looked_after, regulated = bool(facts[Fact.LOOKED_AFTER]), bool(facts[Fact.REGULATED_SETTING])
    notifiable = (abuse and (died or harmed)) or (looked_after and died) or (regulated and died)
    decide_within = " The LSCB Chair should decide within one month of notification (CR-04)."
    if abuse and died:
        scr = "must"
        review = (
            "Serious Case Review must be commissioned (reg 5(2)(b)(i)): the child died and abuse or "
            "neglect is known or suspected (Working Together Ch.4)." + decide_within
        )
    elif died and custody:
        scr = "must"
        review = (
            "Serious Case Review must be commissioned: the child died in custody or detention "
            "(Working Together Ch.4, CR-03)." + decide_within
        )
    elif abuse and harmed and concern:
        scr = "must"
        review = (
            "Serious Case Review must be commissioned (reg 5(2)(b)(ii)): the child was seriously harmed "
            "and abuse or neglect is known or suspected; unless it is clear that there are no concerns "
            "about inter-agency working, the LSCB must commission one (Working Together Ch.4, CR-03)."
            + decide_within
        )
    else:
        scr = "not required"
        review = (
            "No Serious Case Review required. If the LSCB Chair decides not to initiate one for a notified "
            "incident, tell the National Panel of Independent Experts within 14 days, with reasons (CR-05)."
            if notifiable
            else _NOTHING_REQUIRED
        )
    return _Decision(notifiable, regime.notify_to if notifiable else (), scr, False, review)


def _decide_panel(facts: Mapping[Fact, bool | None], regime: Regime) -> _Decision:
    abuse, died, harmed = (
        bool(facts[Fact.ABUSE_OR_NEGLECT]),
        bool(facts[Fact.DIED]),
        bool(facts[Fact.SERIOUSLY_HARMED]),
    )
    in_england = bool(facts[Fact.IN_ENGLAND])
    looked_after = bool(facts[Fact.LOOKED_AFTER])
    care_leaver = bool(facts.get(Fact.CARE_LEAVER))
    serious_incident = abuse and (died or harmed) and in_england
    if serious_incident:
        review = (
            "Rapid review within 15 working days; then decide on a local child safeguarding practice "
            "review (SI 2018/789 reg 11)."
        )
        return _Decision(True, regime.notify_to, None, True, review)
    if looked_after and died:
        review = (
            "Notify the Secretary of State and Ofsted of the looked-after child's death. No rapid review: "
            "the Panel does not consider the deaths of looked-after children where abuse or neglect is not "
            "known or suspected (CR-22)."
        )
        return _Decision(True, (SECRETARY_OF_STATE, OFSTED), None, False, review)
    if care_leaver and died:
        review = (
            "Notify the Secretary of State and Ofsted of the care leaver's death (Working Together 2023, "
            "CR-22). No rapid review or local child safeguarding practice review is needed."
        )
        return _Decision(True, (SECRETARY_OF_STATE, OFSTED), None, False, review)
    review = (
        "No notification or rapid review required: record the rationale. Where the family is known to "
        "children's social care because of a recent or current concern, consider the incident as serious "
        "(CR-24)."
    )
    return _Decision(False, (), None, False, review)


_DECIDERS = {Era.LSCB_WT2010: _decide_lscb_2010, Era.LSCB_WT2013: _decide_lscb_2013, Era.PANEL: _decide_panel}


def _to_fact_value(answer: str, criterion_id: str) -> bool | None:
    if answer not in ANSWERS:
        raise ValueError(f"{criterion_id}: answer {answer!r} is not one of yes, no, unknown")
    return {YES: True, NO: False, UNKNOWN: None}[answer]


def _agree(values: Iterable[T]) -> tuple[bool, T | None]:
    """(True, the value) if all values are equal, else (False, None)."""
    seen = list(values)
    first = seen[0]
    if all(value == first for value in seen):
        return True, first
    return False, None


def _evaluate(regime: Regime, facts: Mapping[Fact, bool | None]) -> ScreeningOutcome:
    decide = _DECIDERS[regime.era]
    # The worked-together concern is never enumerated: each era has its own rule for an unknown answer.
    open_facts = [
        criterion.fact
        for criterion in regime.criteria
        if facts[criterion.fact] is None and criterion.fact is not Fact.WORKED_TOGETHER_CONCERN
    ]

    def decisions(fixed: Mapping[Fact, bool | None], free: Sequence[Fact]) -> list[_Decision]:
        return [
            decide({**facts, **fixed, **dict(zip(free, values, strict=True))}, regime)
            for values in product((True, False), repeat=len(free))
        ]

    every = decisions({}, open_facts)
    notifiable_known, notifiable = _agree(d.notifiable for d in every)
    scr_known, scr = _agree(d.scr for d in every)
    rapid_known, rapid = _agree(d.rapid_review for d in every)
    review_known, review = _agree(d.review for d in every)

    def key(decision: _Decision) -> tuple[bool, str | None, bool]:
        return decision.notifiable, decision.scr, decision.rapid_review

    missing = []
    for criterion in regime.criteria:
        if facts[criterion.fact] is not None:
            continue
        others = [fact for fact in open_facts if fact is not criterion.fact]
        when_yes = [key(d) for d in decisions({criterion.fact: True}, others)]
        when_no = [key(d) for d in decisions({criterion.fact: False}, others)]
        if when_yes != when_no:
            missing.append(criterion.id)

    notify_to: tuple[str, ...]
    if notifiable is False:
        notify_to = ()
    else:
        lists_known, lists = _agree(d.notify_to for d in every if d.notifiable)
        notify_to = lists if lists_known and lists is not None else regime.notify_to
    if not review_known or review is None:
        to_answer = missing or [c.id for c in regime.criteria if facts[c.fact] is None]
        review = "More information needed before the duty is clear: answer " + ", ".join(to_answer) + "."
    return ScreeningOutcome(
        regime=regime.id,
        notifiable=notifiable if notifiable_known else None,
        notify_to=notify_to,
        scr=scr if scr_known else None,
        rapid_review=rapid if rapid_known else None,
        review=review,
        missing=tuple(missing),
    )


def outcome_from_answers(regime_id: str, answers: Mapping[str, str]) -> ScreeningOutcome:
    """The outcome under ``regime_id`` from answers keyed by criterion id ("yes", "no", "unknown").

    A criterion with no answer counts as "unknown"; an id the regime does not
    have, or an answer other than yes/no/unknown, raises ValueError.
    """
    regime = get_regime(regime_id)
    known_ids = {criterion.id for criterion in regime.criteria}
    for criterion_id in answers:
        if criterion_id not in known_ids:
            raise ValueError(
                f"{criterion_id!r} is not a criterion of {regime.id}; use one of: {', '.join(sorted(known_ids))}"
            )
    facts: dict[Fact, bool | None] = {fact: None for fact in Fact}
    for criterion in regime.criteria:
        facts[criterion.fact] = _to_fact_value(answers.get(criterion.id, UNKNOWN), criterion.id)
    return _evaluate(regime, facts)


# --- Working-day clocks --------------------------------------------------------------------------


def default_rapid_review_start(regime: Regime, aware_on: dt.date) -> RapidReviewStart:
    """RR-01: from the notification for WT2023 and the Panel guidance from 2022; else from awareness."""
    if regime.id == "WT2023" or aware_on >= PANEL_GUIDANCE_2022:
        return RapidReviewStart.NOTIFICATION
    return RapidReviewStart.AWARENESS


def deadlines(
    regime_id: str,
    aware_on: dt.date,
    *,
    notifiable: bool | None,
    rapid_review: bool | None,
    calendar: WorkingCalendar = ENGLAND,
    rapid_review_start: RapidReviewStart | str | None = None,
    notified_on: dt.date | None = None,
) -> Deadlines:
    """The notification and rapid-review deadlines, counted in working days (WD-06).

    A deadline is given unless the outcome is known to be "not required"
    (``False``): while it is still open the clock is already running.
    """
    regime = get_regime(regime_id)
    warnings: list[str] = []
    notify_by = None
    if notifiable is not False:
        notify_by = calendar.add_working_days(aware_on, regime.notify_within)
        if not regime.notify_verified:
            warnings.append(
                f"The notification deadline ({regime.notify_within} working day"
                f"{'s' if regime.notify_within != 1 else ''} after becoming aware, {regime.notify_rule}) "
                "is unverified [G]: it is computed so that the clock shows, but check it against the "
                "guidance in force at the time."
            )
    rapid_review_by = None
    start = None
    if regime.rapid_review_within is not None and rapid_review is not False and notify_by is not None:
        start = (
            RapidReviewStart(rapid_review_start)
            if rapid_review_start is not None
            else default_rapid_review_start(regime, aware_on)
        )
        by_awareness = calendar.add_working_days(aware_on, regime.rapid_review_within)
        if start is RapidReviewStart.AWARENESS:
            rapid_review_by = by_awareness
            warnings.append(
                "The rapid review is counted from the date the local authority became aware (RR-01 (a)); "
                "that reading of Working Together is unverified [G]."
            )
        else:
            counted_from = notified_on or notify_by
            rapid_review_by = calendar.add_working_days(counted_from, regime.rapid_review_within)
            if notified_on is None:
                warnings.append(
                    "The rapid review is counted from the latest notification date "
                    f"({notify_by.isoformat()}); recompute it from the day the notification is sent (RR-01 (b))."
                )
            warnings.append(
                f"Counted from the date the local authority became aware instead (RR-01 (a), unverified), "
                f"the rapid review would be due by {by_awareness.isoformat()}."
            )
    return Deadlines(notify_by, rapid_review_by, start, tuple(warnings))


# --- Screening -----------------------------------------------------------------------------------


def _later_regimes(regime: Regime, facts: ScreeningInput, decided_on: dt.date) -> list[tuple[Regime, str]]:
    found: list[tuple[Regime, str]] = []
    for day, because in (
        (facts.aware_on, f"the awareness date {facts.aware_on.isoformat()}"),
        (decided_on, f"the decision date {decided_on.isoformat()}"),
    ):
        later = regime_for(day)
        if later.starts_on > regime.starts_on and later.id not in {seen.id for seen, _ in found}:
            found.append((later, because))
    return found


def _describe(value: object) -> str:
    if value is None:
        return "not yet clear"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(value) or "nobody"
    return str(value)


def _compare(
    first: ScreeningOutcome, later: ScreeningOutcome, regime: Regime, because: str
) -> RegimeComparison:
    differences = []
    for label, mine, theirs in (
        ("notifiable", first.notifiable, later.notifiable),
        ("notify to", first.notify_to, later.notify_to),
        ("Serious Case Review", first.scr, later.scr),
        ("rapid review", first.rapid_review, later.rapid_review),
    ):
        if mine != theirs:
            differences.append(
                f"{label}: {_describe(mine)} under {first.regime}, {_describe(theirs)} under {regime.id}"
            )
    return RegimeComparison(
        regime=regime.id,
        because=because,
        notifiable=later.notifiable,
        notify_to=later.notify_to,
        scr=later.scr,
        review=later.review,
        differences=tuple(differences),
    )


def _facts_from(answers: list[CriterionAnswer], regime: Regime) -> dict[Fact, bool | None]:
    facts: dict[Fact, bool | None] = {fact: None for fact in Fact}
    by_id = {answer.id: answer.answer for answer in answers}
    for criterion in regime.criteria:
        facts[criterion.fact] = _to_fact_value(by_id[criterion.id], criterion.id)
    return facts


def screen(
    facts: ScreeningInput,
    *,
    calendar: WorkingCalendar = ENGLAND,
    rapid_review_start: RapidReviewStart | str | None = None,
    notified_on: dt.date | None = None,
    decided_on: dt.date | None = None,
) -> ScreeningResult:
    """Screen an incident under the regime in force when it occurred, proposing every answer.

    ``decided_on`` (default today) is the date of the screening decision; if it,
    or ``facts.aware_on``, falls under a later regime the incident is evaluated
    under that regime too (``also_under``) and a warning says what differs.
    """
    regime = regime_for(facts.occurred_on)
    decided_on = decided_on or dt.date.today()
    matches = _matches(facts)
    answers = [_propose(criterion, regime, facts, matches) for criterion in regime.criteria]
    outcome = _evaluate(regime, _facts_from(answers, regime))
    clocks = deadlines(
        regime.id,
        facts.aware_on,
        notifiable=outcome.notifiable,
        rapid_review=outcome.rapid_review,
        calendar=calendar,
        rapid_review_start=rapid_review_start,
        notified_on=notified_on,
    )

    warnings = [*regime.notes]
    if regime.id == "LSCB2006/WT2010" and facts.occurred_on < dt.date(2010, 4, 1):
        warnings.append(
            "Working Together 2010 is taken to apply from 1 March 2010 (it was published in March 2010; the "
            "exact day is not held). Check whether Working Together 2006 still applied on the incident date."
        )
    if regime.id == "WT2018" and facts.occurred_on < WT2018_TRANSITION_ENDS:
        warnings.append(
            "LSCBs and Serious Case Reviews continued in some areas until the new local safeguarding "
            "arrangements began (by 29 September 2019): check whether the area still commissioned an SCR."
        )
    if regime.id == "WT2023" and facts.occurred_on < dt.date(2024, 12, 1):
        warnings.append(
            "Some partnerships treated December 2024 as their Working Together 2023 implementation date: "
            "check the local arrangements in force on the incident date."
        )
    if regime.era is not Era.PANEL and not facts.in_england:
        warnings.append(
            "It did not happen in England: these rules are for English local authorities and LSCBs; check which "
            "area's arrangements apply."
        )
    for answer in answers:
        if not answer.verified:
            warnings.append(f"Unverified rule used [G]: {answer.id} ({answer.source}).")
    harm_answer = next((a for a in answers if a.id.endswith(".seriously_harmed")), None)
    if harm_answer is not None and harm_answer.answer == YES and "SH-RULE" in harm_answer.reason:
        warnings.append(
            "Serious harm was proposed from a harm category under SH-RULE, a proposed threshold that is "
            "unverified [G]: confirm it."
        )
    if harm_answer is not None and harm_answer.answer == YES and "indicators" in harm_answer.reason:
        unverified = [m.indicator_id for m in serious_harm_matches(matches) if not m.verified]
        if unverified:
            warnings.append(
                f"Serious harm was proposed from indicators ({', '.join(unverified)}) that rest on SH-RULE, a "
                "proposed threshold that is unverified [G]: confirm it."
            )
    warnings.extend(clocks.warnings)
    if outcome.notifiable is None:
        warnings.append(
            "More information is needed to decide whether it is notifiable: answer "
            + ", ".join(outcome.missing)
            + "."
        )

    also_under = []
    for later, because in _later_regimes(regime, facts, decided_on):
        later_answers = [_propose(criterion, later, facts, matches) for criterion in later.criteria]
        later_outcome = _evaluate(later, _facts_from(later_answers, later))
        comparison = _compare(outcome, later_outcome, later, because)
        also_under.append(comparison)
        summary = "; ".join(comparison.differences) or "the outcome is the same"
        warnings.append(
            f"{because[0].upper()}{because[1:]} falls under {later.id} (from {later.starts_on.isoformat()}): "
            f"evaluate under both (SH-01). {summary}. Under {later.id}: {later_outcome.review}"
        )

    return ScreeningResult(
        regime=regime.id,
        regime_title=regime.title,
        notifiable=outcome.notifiable,
        notify_to=list(outcome.notify_to),
        notify_by=clocks.notify_by,
        rapid_review_by=clocks.rapid_review_by,
        rapid_review_start=clocks.rapid_review_start,
        review=outcome.review,
        scr=outcome.scr,
        criteria=answers,
        missing=list(outcome.missing),
        warnings=warnings,
        indicators=matches,
        also_under=also_under,
    )


# --- JSON ----------------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def to_json_dict(result: ScreeningResult) -> dict[str, Any]:
    """The result as plain JSON types (ISO dates), for the command line and exports."""
    return {
        "regime": result.regime,
        "regime_title": result.regime_title,
        "notifiable": result.notifiable,
        "notify_to": list(result.notify_to),
        "notify_by": _iso(result.notify_by),
        "rapid_review_by": _iso(result.rapid_review_by),
        "rapid_review_start": result.rapid_review_start.value if result.rapid_review_start else None,
        "review": result.review,
        "scr": result.scr,
        "criteria": [
            {
                "id": answer.id,
                "question": answer.question,
                "answer": answer.answer,
                "reason": answer.reason,
                "source": answer.source,
                "verified": answer.verified,
            }
            for answer in result.criteria
        ],
        "missing": list(result.missing),
        "warnings": list(result.warnings),
        "indicators": [
            {
                "id": match.indicator_id,
                "label": match.label,
                "words": list(match.words),
                "kind": match.kind.value,
                "negated": match.negated,
                "source": match.source,
                "verified": match.verified,
            }
            for match in result.indicators
        ],
        "also_under": [
            {
                "regime": comparison.regime,
                "because": comparison.because,
                "notifiable": comparison.notifiable,
                "notify_to": list(comparison.notify_to),
                "scr": comparison.scr,
                "review": comparison.review,
                "differences": list(comparison.differences),
            }
            for comparison in result.also_under
        ],
    }
