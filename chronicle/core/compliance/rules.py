"""The rules as data (rulebook §4 and §5): what each requires, when, and from what source.

Every rule is a ``Rule``: its rulebook id, the requirement in plain words, the
event types that start the clock and the ones that satisfy it, the deadline and
how it is counted, the dates it applied, its source and its verification tag
(P primary, S secondary, G unverified). Rules name event types, never words:
what an entry says is read once, into events, by ``chronicle.core.extract``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chronicle.core.event_types import EVENT_TYPES

# Dates on which the rules changed (rulebook §0).
WT2013_FROM = dt.date(2013, 4, 15)  # single assessment "with effect from 15 April 2013"
WT2010_FROM = dt.date(2010, 3, 1)  # Working Together 2010, published March 2010
ASSESSMENT_FRAMEWORK_FROM = dt.date(2000, 4, 1)  # Framework for the Assessment of Children in Need, 2000
CPPCR2010_FROM = dt.date(2011, 4, 1)  # Care Planning, Placement and Case Review Regs 2010
HEALTHY_CHILD_PROGRAMME_FROM = dt.date(2009, 10, 1)  # Healthy Child Programme 2009 (month to be confirmed)
HEALTH_VISITING_MANDATED_FROM = dt.date(2015, 10, 1)  # five universal contacts mandated


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    SAME_DAY = "same_day"
    HOURS = "hours"


class Method(StrEnum):
    """How a rule is checked against the record."""

    DEADLINE = "deadline"  # trigger -> first evidence by a deadline
    CHAIN = "chain"  # start -> repeated steps at intervals (reviews, visits)
    ICPC_ANCHOR = "icpc_anchor"  # conference timed from the anchoring strategy discussion
    ATTENDANCE = "attendance"  # who took part in a strategy discussion
    MEDICAL_DECISION = "medical_decision"  # medical considered at a strategy discussion about injury
    INJURY = "injury"  # an injury to the child -> a same-day or prompt response (SH-INJ-*)
    REPEAT_INJURY = "repeat_injury"  # two or more injuries within a span, seen together
    EXAMINATION = "examination"  # a medical after an injury that records no full examination
    REPEAT_REFERRALS = "repeat_referrals"  # referrals closed again and again without assessment
    CLOSED_UNSEEN = "closed_unseen"  # a harm referral closed without the child seen
    RETURNED_TO_SUSPECT = "returned_to_suspect"  # the child with a carer on bail or under investigation
    INFORMATION_NOT_SHARED = "information_not_shared"  # a police attendance never passed on


@dataclass(frozen=True, slots=True)
class Deadline:
    """A timescale: an amount and a unit, optionally a partnership setting that replaces the amount."""

    amount: int
    unit: Unit
    parameter: str = ""  # a RuleContext field holding the local value

    def describe(self) -> str:
        n = self.amount
        if self.unit is Unit.SAME_DAY:
            return "the same day"
        names = {
            Unit.WORKING_DAYS: ("working day", "working days"),
            Unit.CALENDAR_DAYS: ("calendar day", "calendar days"),
            Unit.WEEKS: ("week", "weeks"),
            Unit.MONTHS: ("month", "months"),
            Unit.HOURS: ("hour", "hours"),
        }[self.unit]
        return f"{n} {names[0] if n == 1 else names[1]}"

    @property
    def counting(self) -> str:
        return COUNTING[self.unit]


COUNTING: dict[Unit, str] = {
    Unit.WORKING_DAYS: (
        "WD-06: the trigger day is day 0 and the deadline is the N-th working day after it; "
        "weekends, Christmas Day, Good Friday and England and Wales bank holidays (one-off days "
        "included) are not working days"
    ),
    Unit.CALENDAR_DAYS: "WD-06: calendar days counted from the day after the trigger",
    Unit.WEEKS: "WD-06: calendar weeks (7 days each) counted from the trigger day",
    Unit.MONTHS: "WD-06: calendar months from the trigger day (the 31st becomes the month's last day)",
    Unit.SAME_DAY: "the same calendar day as the trigger (times used where both are recorded)",
    Unit.HOURS: "WD-06: clock hours, which need the times of both events",
}


@dataclass(frozen=True, slots=True)
class Cadence:
    """Intervals after the first step of a chain (reviews, visits)."""

    then: Deadline  # between later steps
    second: Deadline | None = None  # first step -> second step, when it differs (CJ-09)
    after_first_year: Deadline | None = None  # once a year has passed since the start (CJ-10, CJ-12)
    after_first_year_upper: Deadline | None = None  # the longer interval agencies may judge applies
    first_step_checked_by: str = ""  # another rule checks start -> first step (CJ-12 by CJ-11)


@dataclass(frozen=True, slots=True)
class Rule:
    """One requirement a chronology can be checked against (rulebook §4 and §5)."""

    id: str
    family: str  # variants of one requirement share a family; the one in force is used
    title: str
    requirement: str  # the operative requirement in plain words
    method: Method
    trigger_types: tuple[str | None, ...]  # None: entries with no event type
    evidence_types: tuple[str, ...]
    deadline: Deadline | None  # None: no timescale, agencies judge timeliness
    regime: str
    applies_from: dt.date | None  # first day in force; None: as far back as the record goes
    applies_until: dt.date | None  # first day no longer in force
    source: str
    tag: str  # rulebook verification tag: P (primary), S (secondary), G (unverified)
    responsible: str
    practice_required: str  # prefill for heading 1
    trigger_with: tuple[str, ...] = ()  # the trigger entry must also assert one of these (harm alleged)
    window_closers: tuple[str, ...] = ()  # a later one of these ends the search for evidence
    window_openers: tuple[str, ...] = ()  # one of these in the window keeps it open until the evidence
    horizon: Deadline | None = None  # evidence later than this is not taken to answer the trigger
    evidence_days_before: int = 0  # evidence this many days before the trigger still counts
    must_precede: tuple[str, ...] = ()  # the evidence must come before the next one of these
    absence_is_breach: bool = False  # no evidence at all is itself shown by the composite record
    absence_reason: str = ""
    advisory: bool = False  # guidance only at the time: lateness is for judgement, not a breach
    cadence: Cadence | None = None
    chain_end_types: tuple[str, ...] = ()
    required_parties: tuple[str, ...] = ()
    injury: str = ""  # which injuries trigger it: "non_mobile", "serious", "any" or "on_plan"
    repeat: int = 0  # how many occurrences within the horizon make a pattern
    notes: str = ""

    @property
    def verified(self) -> bool:
        return self.tag != "G"

    def in_force(self, day: dt.date) -> bool:
        if self.applies_from is not None and day < self.applies_from:
            return False
        return self.applies_until is None or day < self.applies_until

    def as_dict(self) -> dict[str, Any]:
        deadline = self.deadline
        return {
            "id": self.id,
            "family": self.family,
            "title": self.title,
            "requirement": self.requirement,
            "trigger_types": [t or "" for t in self.trigger_types],
            "evidence_types": list(self.evidence_types),
            "deadline": deadline.describe() if deadline else None,
            "unit": deadline.unit.value if deadline else None,
            "counting": deadline.counting if deadline else "no timescale",
            "regime": self.regime,
            "applies_from": self.applies_from.isoformat() if self.applies_from else None,
            "applies_until": self.applies_until.isoformat() if self.applies_until else None,
            "source": self.source,
            "tag": self.tag,
            "verified": self.verified,
            "responsible": self.responsible,
            "practice_required": self.practice_required,
        }


HARM_TYPES: tuple[str, ...] = (
    "injury_observed",
    "allegation",
)  # what makes a referral about significant harm
RISK_TYPES: tuple[str, ...] = (*HARM_TYPES, "domestic_abuse")  # a referral about harm or risk of it
INJURY_RESPONSE_TYPES = ("referral", "strategy_discussion", "medical", "s47_start")
ICPC_LOOKBACK_MONTHS = 6  # CJ-05: an older strategy discussion is not taken as the conference's anchor
INJURY_LOOKBACK_DAYS = 7  # CJ-02b: an injury this recent makes a strategy discussion "about injury"


# --- The rules ---

_WD = Unit.WORKING_DAYS
_SH_SOURCE = (
    "NICE CG89 recs 1.1.1-1.1.2 (bruising in a child who is not independently mobile); National Panel "
    "briefing 'Bruising in non-mobile infants' (29 Sep 2022); local protocols (Leeds, Bedford); "
    "Sibert et al. 2002 categories. Thresholds are the rulebook's proposal (SH-RULE)."
)

RULES: tuple[Rule, ...] = (
    Rule(
        id="CJ-01",
        family="CJ-01",
        title="Decision on a referral within one working day",
        requirement=(
            "Within one working day of a referral, a local authority social worker should acknowledge "
            "it and decide the next steps and the type of response needed."
        ),
        method=Method.DEADLINE,
        trigger_types=("referral",),
        evidence_types=("referral_decision",),
        deadline=Deadline(1, _WD),
        regime="Working Together 2010 to 2023",
        applies_from=None,
        applies_until=None,
        source=(
            "Working Together (WT2013 p.26; WT2018 Ch.1 'Referral' p.17, paragraph to be confirmed); "
            "DfE metric text 'one working day to decide what further work needs to be done' (LG Inform 2234)"
        ),
        tag="S",
        responsible="Local authority children's social care",
        practice_required=(
            "A social worker should acknowledge the referral and record a decision on next steps and the "
            "type of response within one working day of receiving it (Working Together)."
        ),
        window_closers=("referral",),
    ),
    Rule(
        id="CJ-02",
        family="CJ-02",
        title="Strategy discussion when significant harm is suspected",
        requirement=(
            "Whenever there is reasonable cause to suspect that a child is suffering, or is likely to "
            "suffer, significant harm, children's social care should hold a strategy discussion with the "
            "police, health and other agencies as soon as possible. There is no national timescale; the "
            "partnership's own setting is used (default 3 working days, as Bexley's procedure)."
        ),
        method=Method.DEADLINE,
        trigger_types=("referral",),
        evidence_types=("strategy_discussion",),
        deadline=Deadline(3, _WD, parameter="strategy_discussion_max_working_days"),
        regime="Working Together 2013 to 2023 (timing: local setting)",
        applies_from=WT2013_FROM,
        applies_until=None,
        source=(
            "Working Together 2013-2023, 'Strategy discussion' (WT2018 Ch.1 p.41), quoted by Darlington "
            "SP and LLR procedures; local timescale: Bexley (within 3 days)"
        ),
        tag="S",
        responsible="Local authority children's social care (convenes)",
        practice_required=(
            "Where there was reasonable cause to suspect significant harm, a strategy discussion involving "
            "children's social care, the police and health should have been held as soon as possible."
        ),
        trigger_with=HARM_TYPES,
        horizon=Deadline(3, Unit.MONTHS),
    ),
    Rule(
        id="CJ-02-old",
        family="CJ-02",
        title="Strategy discussion when significant harm is suspected (before April 2013)",
        requirement=(
            "Whenever there was reasonable cause to suspect significant harm, children's social care "
            "should have held a strategy discussion with the police and other agencies as soon as possible."
        ),
        method=Method.DEADLINE,
        trigger_types=("referral",),
        evidence_types=("strategy_discussion",),
        deadline=Deadline(3, _WD, parameter="strategy_discussion_max_working_days"),
        regime="Working Together 2010 (timing: local setting)",
        applies_from=WT2010_FROM,
        applies_until=WT2013_FROM,
        source="Working Together 2010, strategy discussion (wording not verified against the 2010 text)",
        tag="G",
        responsible="Local authority children's social care (convenes)",
        practice_required=(
            "Where there was reasonable cause to suspect significant harm, a strategy discussion between "
            "children's social care and the police (and other agencies as needed) should have been held "
            "as soon as possible (Working Together 2010, wording not verified)."
        ),
        trigger_with=HARM_TYPES,
        horizon=Deadline(3, Unit.MONTHS),
    ),
    Rule(
        id="CJ-02-1991",
        family="CJ-02",
        title="Strategy discussion when significant harm is suspected (before March 2010)",
        requirement=(
            "Under Working Together 1991, 1999 and 2006, where there was reasonable cause to suspect significant "
            "harm, social services and the police should have held a strategy discussion or meeting before "
            "section 47 enquiries went ahead. There was no national timescale; the partnership's own setting "
            "is used."
        ),
        method=Method.DEADLINE,
        trigger_types=("referral",),
        evidence_types=("strategy_discussion",),
        deadline=Deadline(3, _WD, parameter="strategy_discussion_max_working_days"),
        regime="Working Together 1991, 1999 and 2006 (timing: local setting)",
        applies_from=None,
        applies_until=WT2010_FROM,
        source="Working Together 1991, 1999 and 2006, strategy discussion (wording not verified)",
        tag="G",
        responsible="Social services, with the police",
        practice_required=(
            "Where there was reasonable cause to suspect significant harm, a strategy discussion or meeting "
            "between social services and the police should have been held promptly (Working Together of the "
            "time, wording not verified)."
        ),
        trigger_with=HARM_TYPES,
        horizon=Deadline(3, Unit.MONTHS),
    ),
    Rule(
        id="CJ-02a",
        family="CJ-02a",
        title="Strategy discussion involved social care, police and health",
        requirement=(
            "A local authority social worker, a health practitioner and a police representative should, "
            "as a minimum, be involved in the strategy discussion, each senior enough to make decisions "
            "for their agency."
        ),
        method=Method.ATTENDANCE,
        trigger_types=("strategy_discussion",),
        evidence_types=("strategy_discussion",),
        deadline=None,
        regime="Working Together 2013 (health added) to 2023 (minimum three)",
        applies_from=WT2013_FROM,
        applies_until=None,
        source="Working Together 2023 quoted by Darlington SP; West Mercia amendment note (Oct 2013)",
        tag="S",
        responsible="Local authority children's social care (convenor)",
        practice_required=(
            "The strategy discussion should involve, as a minimum, children's social care, the police and "
            "health (Working Together 2013 onwards)."
        ),
        required_parties=("social care", "police", "health"),
    ),
    Rule(
        id="CJ-02a-old",
        family="CJ-02a",
        title="Strategy discussion involved social care and police (before April 2013)",
        requirement=(
            "Before April 2013 a strategy discussion should have involved, as a minimum, children's social "
            "care and the police; health took part as needed."
        ),
        method=Method.ATTENDANCE,
        trigger_types=("strategy_discussion",),
        evidence_types=("strategy_discussion",),
        deadline=None,
        regime="Working Together 2010",
        applies_from=None,
        applies_until=WT2013_FROM,
        source="Working Together 2010 (inferred from the 2013 change adding health; not verified)",
        tag="G",
        responsible="Local authority children's social care (convenor)",
        practice_required=(
            "The strategy discussion should have involved children's social care and the police "
            "(Working Together 2010, not verified)."
        ),
        required_parties=("social care", "police"),
    ),
    Rule(
        id="CJ-02b",
        family="CJ-02b",
        title="Medical considered at a strategy discussion about injury",
        requirement=(
            "Where bruising or another concerning injury is alleged, the strategy discussion should "
            "consider, with a paediatrician, the need for and timing of a child protection medical; a "
            "medical should be assumed necessary and, if not held, the reason recorded. Locally, a medical "
            "for physical injury is expected the same day if at all possible."
        ),
        method=Method.MEDICAL_DECISION,
        trigger_types=("strategy_discussion",),
        evidence_types=("medical",),
        deadline=Deadline(0, Unit.SAME_DAY),
        regime="Local procedures (all eras)",
        applies_from=None,
        applies_until=None,
        source=(
            "LLR Paediatric Safeguarding Medicals; Lincolnshire (2024); Nottingham Children's Hospital "
            "guideline"
        ),
        tag="S",
        responsible="Children's social care with the paediatrician",
        practice_required=(
            "A strategy discussion about an injury should record the decision on a child protection medical "
            "(and its timing) made with a paediatrician, or the reason a medical was not needed."
        ),
        evidence_days_before=2,
    ),
    Rule(
        id="CJ-03",
        family="CJ-03",
        title="Section 47 enquiry concluded before the initial conference",
        requirement=(
            "The local authority leads section 47 enquiries, with police, health and schools supporting. "
            "There is no national timescale, but the outcome must be available before any initial child "
            "protection conference."
        ),
        method=Method.DEADLINE,
        trigger_types=("s47_start",),
        evidence_types=("s47_outcome",),
        deadline=None,
        regime="Children Act 1989 s47; Working Together 2013 to 2023",
        applies_from=None,
        applies_until=None,
        source="North Yorkshire SCP (WT2023); LLR; Bedford Borough procedures",
        tag="S",
        responsible="Local authority children's social care",
        practice_required=(
            "The section 47 enquiry should be concluded and its outcome recorded, and be available before "
            "any initial child protection conference."
        ),
        must_precede=("icpc",),
        window_closers=("s47_start",),
    ),
    Rule(
        id="CJ-04",
        family="CJ-04",
        title="Assessment concluded within 45 working days of referral",
        requirement=(
            "The assessment should conclude, so a decision on next steps can be made, no later than 45 "
            "working days from the referral (not from allocation); if it takes longer the social worker "
            "should record why."
        ),
        method=Method.DEADLINE,
        trigger_types=("referral",),
        evidence_types=("assessment_complete",),
        deadline=Deadline(45, _WD),
        regime="Working Together 2013 to 2023 (single assessment, from 15 April 2013)",
        applies_from=WT2013_FROM,
        applies_until=None,
        source="Working Together 2013-2018 'Timeliness' (WT2018 Ch.1 p.33), via tri.x glossary; Northumberland",
        tag="S",
        responsible="Local authority children's social care",
        practice_required=(
            "The assessment should have concluded within 45 working days of the referral, with reasons "
            "recorded if it took longer (Working Together 2013 onwards)."
        ),
        window_closers=("referral",),
        window_openers=("assessment_start",),
    ),
    Rule(
        id="CJ-04-old",
        family="CJ-04",
        title="Initial assessment within 10 working days of referral (before 15 April 2013)",
        requirement="The initial assessment had to be completed within a maximum of 10 working days of the referral.",
        method=Method.DEADLINE,
        trigger_types=("referral",),
        evidence_types=("assessment_complete",),
        deadline=Deadline(10, _WD),
        regime="Working Together 2010 and the Assessment Framework 2000",
        applies_from=ASSESSMENT_FRAMEWORK_FROM,
        applies_until=WT2013_FROM,
        source=(
            "workingtogetheronline glossary; Community Care 12 Jun 2012; LG Inform 2234; Devon child "
            "protection procedures 5.5"
        ),
        tag="S",
        responsible="Local authority children's social care",
        practice_required=(
            "An initial assessment should have been completed within 10 working days of the referral "
            "(Assessment Framework, before 15 April 2013)."
        ),
        window_closers=("referral",),
        window_openers=("assessment_start",),
    ),
    Rule(
        id="CJ-04-old-core",
        family="CJ-04-old-core",
        title="Core assessment within 35 working days (before 15 April 2013)",
        requirement=(
            "A core assessment had to be completed within 35 working days of its start. The record does not "
            "say which kind an assessment was, so every assessment started in this era is held to 35 days at most."
        ),
        method=Method.DEADLINE,
        trigger_types=("assessment_start",),
        evidence_types=("assessment_complete",),
        deadline=Deadline(35, _WD),
        regime="Working Together 2010 and the Assessment Framework 2000",
        applies_from=ASSESSMENT_FRAMEWORK_FROM,
        applies_until=WT2013_FROM,
        source="Community Care 12 Jun 2012; Devon child protection procedures 5.5 (start = allocation decision)",
        tag="S",
        responsible="Local authority children's social care",
        practice_required=(
            "A core assessment should have been completed within 35 working days of its start "
            "(Assessment Framework, before 15 April 2013)."
        ),
    ),
    Rule(
        id="CJ-04-1991",
        family="CJ-04",
        title="Assessment after a referral (before April 2000: no national timescale)",
        requirement=(
            "Before the Framework for the Assessment of Children in Need (2000) there was no national timescale "
            "for assessments: how long one took is for agencies to judge."
        ),
        method=Method.DEADLINE,
        trigger_types=("referral",),
        evidence_types=("assessment_complete",),
        deadline=None,
        regime="Working Together 1991 and 1999; Protecting Children (1988) for comprehensive assessments",
        applies_from=None,
        applies_until=ASSESSMENT_FRAMEWORK_FROM,
        source="Working Together 1991; 'Protecting Children' (Department of Health, 1988) (not verified)",
        tag="G",
        responsible="Social services",
        practice_required=(
            "An assessment of the child's needs and risks should have been completed in a time that kept the "
            "child safe; there was no national timescale before April 2000."
        ),
        window_openers=("assessment_start",),
    ),
    Rule(
        id="CJ-05",
        family="CJ-05",
        title="Initial child protection conference within 15 working days",
        requirement=(
            "The initial child protection conference should be held within 15 working days of the strategy "
            "discussion at which section 47 enquiries were started (if more than one was held)."
        ),
        method=Method.ICPC_ANCHOR,
        trigger_types=("strategy_discussion",),
        evidence_types=("icpc",),
        deadline=Deadline(15, _WD),
        regime="Working Together 2013 to 2023",
        applies_from=WT2013_FROM,
        applies_until=None,
        source=(
            "Working Together 2013-2023 'Initial child protection conferences' (WT2018 Ch.1 p.49) via "
            "Sussex, Devon, Liverpool, Bexley, Brighton & Hove procedures"
        ),
        tag="S",
        responsible="Local authority children's social care (conference service)",
        practice_required=(
            "The initial child protection conference should have been held within 15 working days of the "
            "strategy discussion at which section 47 enquiries were started."
        ),
    ),
    Rule(
        id="CJ-05-old",
        family="CJ-05",
        title="Initial child protection conference within 15 working days (before April 2013)",
        requirement=(
            "The initial child protection conference should be held within 15 working days of the strategy "
            "discussion, or of the last strategy discussion if more than one was held."
        ),
        method=Method.ICPC_ANCHOR,
        trigger_types=("strategy_discussion",),
        evidence_types=("icpc",),
        deadline=Deadline(15, _WD),
        regime="Working Together 2010 and earlier",
        applies_from=None,
        applies_until=WT2013_FROM,
        source="Isle of Man procedures (same wording); Working Together 2010 text not verified",
        tag="G",
        responsible="Local authority children's social care (conference service)",
        practice_required=(
            "The initial child protection conference should have been held within 15 working days of the "
            "last strategy discussion (Working Together 2010, wording not verified)."
        ),
    ),
    Rule(
        id="CJ-06",
        family="CJ-06",
        title="First core group within 10 working days of the initial conference",
        requirement=(
            "If the child is made subject of a child protection plan, the core group should first meet "
            "within 10 working days of the initial conference."
        ),
        method=Method.DEADLINE,
        trigger_types=("icpc",),
        evidence_types=("core_group",),
        deadline=Deadline(10, _WD),
        regime="All English regimes",
        applies_from=None,
        applies_until=None,
        source="Teesside 2.0; Guernsey; Liverpool procedures (Working Together text to be confirmed)",
        tag="S",
        responsible="Lead social worker",
        practice_required=(
            "Where a child protection plan was made, the first core group meeting should have been held "
            "within 10 working days of the initial conference."
        ),
        window_closers=("icpc",),
    ),
    Rule(
        id="CJ-07",
        family="CJ-07",
        title="Review conferences: first within 3 months, then at most every 6 months",
        requirement=(
            "The first review conference should be held within 3 months of the initial conference, and "
            "further reviews at intervals of not more than 6 months while the child is subject to a plan."
        ),
        method=Method.CHAIN,
        trigger_types=("icpc",),
        evidence_types=("rcpc",),
        deadline=Deadline(3, Unit.MONTHS),
        regime="Working Together 2010 to 2023",
        applies_from=None,
        applies_until=None,
        source="Working Together 'Child protection review conference' (WT2018 Ch.1 p.53) via Sussex 5.5, tri.x, Teesside",
        tag="S",
        responsible="Local authority (conference service)",
        practice_required=(
            "While the child was subject to a plan, the first review conference should have been within 3 "
            "months of the initial conference and later reviews not more than 6 months apart."
        ),
        cadence=Cadence(then=Deadline(6, Unit.MONTHS)),
        chain_end_types=("cp_plan_end",),
    ),
    Rule(
        id="CJ-08",
        family="CJ-08",
        title="Visits to a child on a child protection plan (local frequency)",
        requirement=(
            "There is no national frequency for visits to a child on a child protection plan. The "
            "partnership's own setting is used (default every 10 working days); the child should be seen, "
            "alone where appropriate."
        ),
        method=Method.CHAIN,
        trigger_types=("cp_plan_start",),
        evidence_types=("visit",),
        deadline=Deadline(10, _WD, parameter="cp_visit_interval_working_days"),
        regime="Local procedures (partnership setting)",
        applies_from=None,
        applies_until=None,
        source="Liverpool, Central Bedfordshire, Camden (10 days); Walsall (2 weeks); Bolton, Southwark (4 weeks)",
        tag="S",
        responsible="Lead social worker",
        practice_required=(
            "The child on a child protection plan should have been visited at the frequency set locally, "
            "seen, and seen alone where appropriate."
        ),
        cadence=Cadence(then=Deadline(10, _WD, parameter="cp_visit_interval_working_days")),
        chain_end_types=("cp_plan_end",),
    ),
    Rule(
        id="CJ-09",
        family="CJ-09",
        title="Looked-after child reviews: 20 working days, then 3 months, then 6-monthly",
        requirement=(
            "The first review must be within 20 working days of the child becoming looked after, the second "
            "not more than 3 months after the first, and later reviews not more than 6 months apart."
        ),
        method=Method.CHAIN,
        trigger_types=("lac_start",),
        evidence_types=("lac_review",),
        deadline=Deadline(20, _WD),
        regime="Care Planning, Placement and Case Review (England) Regulations 2010 (from 1 April 2011)",
        applies_from=CPPCR2010_FROM,
        applies_until=None,
        source="SI 2010/959 reg 33 (legislation.gov.uk)",
        tag="P",
        responsible="Responsible authority (independent reviewing officer chairs)",
        practice_required=(
            "The looked-after child's case must be reviewed within 20 working days of becoming looked after, "
            "again within 3 months, then at least every 6 months (CPPCR 2010 reg 33)."
        ),
        cadence=Cadence(second=Deadline(3, Unit.MONTHS), then=Deadline(6, Unit.MONTHS)),
    ),
    Rule(
        id="CJ-09-old",
        family="CJ-09",
        title="Looked-after child reviews before April 2011: 4 weeks, then 3 months, then 6-monthly",
        requirement=(
            "Under the Review of Children's Cases Regulations 1991 the first review was due within four "
            "weeks of the child becoming looked after, then within 3 months, then every 6 months."
        ),
        method=Method.CHAIN,
        trigger_types=("lac_start",),
        evidence_types=("lac_review",),
        deadline=Deadline(4, Unit.WEEKS),
        regime="Review of Children's Cases Regulations 1991 (before 1 April 2011)",
        applies_from=None,
        applies_until=CPPCR2010_FROM,
        source="Oxfordshire keyword page ('within four weeks'); later intervals not verified",
        tag="G",
        responsible="Responsible authority",
        practice_required=(
            "The looked-after child's case should have been reviewed within four weeks, then within 3 "
            "months, then at least every 6 months (1991 regulations; later intervals not verified)."
        ),
        cadence=Cadence(second=Deadline(3, Unit.MONTHS), then=Deadline(6, Unit.MONTHS)),
    ),
    Rule(
        id="CJ-10",
        family="CJ-10",
        title="Visits to a looked-after child: within 1 week of a placement, then at most 6-weekly",
        requirement=(
            "The child must be visited within one week of the start of any placement, at intervals of not "
            "more than six weeks in the first year, and after that not more than three months apart if the "
            "placement is meant to last until 18, otherwise not more than six weeks apart."
        ),
        method=Method.CHAIN,
        trigger_types=("placement_start", "lac_start"),
        evidence_types=("visit",),
        deadline=Deadline(1, Unit.WEEKS),
        regime="Care Planning, Placement and Case Review (England) Regulations 2010 (from 1 April 2011)",
        applies_from=CPPCR2010_FROM,
        applies_until=None,
        source="SI 2010/959 reg 28(2) (legislation.gov.uk)",
        tag="P",
        responsible="Responsible authority's representative (social worker)",
        practice_required=(
            "The looked-after child should have been visited within one week of each placement starting, "
            "then at least every six weeks in the first year (CPPCR 2010 reg 28)."
        ),
        cadence=Cadence(
            then=Deadline(6, Unit.WEEKS),
            after_first_year=Deadline(6, Unit.WEEKS),
            after_first_year_upper=Deadline(3, Unit.MONTHS),
        ),
    ),
    Rule(
        id="CJ-11",
        family="CJ-11",
        title="Private fostering: visit within 7 working days of notification",
        requirement=(
            "On notification of a private fostering arrangement, an officer of the local authority must "
            "within seven working days visit the premises and speak to the carer, the household and the child."
        ),
        method=Method.DEADLINE,
        trigger_types=("pf_notification",),
        evidence_types=("pf_visit",),
        deadline=Deadline(7, _WD),
        regime="Children (Private Arrangements for Fostering) Regulations 2005",
        applies_from=None,
        applies_until=None,
        source="SI 2005/1533 reg 4 (text via Torbay copy); reg 7 (arrangement already running) not verified",
        tag="S",
        responsible="Local authority",
        practice_required=(
            "An officer of the local authority should have visited the private fostering arrangement within "
            "seven working days of the notification (PF regulations 2005 reg 4)."
        ),
        window_closers=("pf_notification",),
    ),
    Rule(
        id="CJ-12",
        family="CJ-12",
        title="Private fostering: visits at most 6-weekly in the first year, then 12-weekly",
        requirement=(
            "A privately fostered child must be visited at intervals of not more than six weeks in the first "
            "year and not more than 12 weeks after that, seen alone unless inappropriate, with a written "
            "report after each visit."
        ),
        method=Method.CHAIN,
        trigger_types=("pf_notification",),
        evidence_types=("pf_visit",),
        deadline=None,
        regime="Children (Private Arrangements for Fostering) Regulations 2005",
        applies_from=None,
        applies_until=None,
        source="SI 2005/1533 reg 8 (legislation.gov.uk)",
        tag="P",
        responsible="Local authority officer",
        practice_required=(
            "The privately fostered child should have been visited at least every six weeks in the first "
            "year and every 12 weeks after that (PF regulations 2005 reg 8)."
        ),
        cadence=Cadence(
            then=Deadline(6, Unit.WEEKS),
            after_first_year=Deadline(12, Unit.WEEKS),
            first_step_checked_by="CJ-11",
        ),
    ),
    Rule(
        id="CJ-13",
        family="CJ-13",
        title="Health visitor new-baby review within 14 days of birth",
        requirement=(
            "The health visiting service should carry out the new-baby review, ideally within 10 to 14 days "
            "of the birth (one of five mandated universal contacts)."
        ),
        method=Method.DEADLINE,
        trigger_types=("birth",),
        evidence_types=("hv_contact",),
        deadline=Deadline(14, Unit.CALENDAR_DAYS),
        regime="Healthy Child Programme, mandated contacts (from 1 October 2015)",
        applies_from=HEALTH_VISITING_MANDATED_FROM,
        applies_until=None,
        source="PHE/UKHSA blog 1 Mar 2017; BMC table of mandated health visitor checks",
        tag="S",
        responsible="Health visiting service (commissioned by the local authority)",
        practice_required="A health visitor new-baby review should have taken place within 14 days of the birth.",
    ),
    Rule(
        id="CJ-13-old",
        family="CJ-13",
        title="Health visitor new-baby review within 14 days of birth (guidance only before October 2015)",
        requirement=(
            "Before October 2015 the new-baby review was expected under the Healthy Child Programme but was "
            "not mandatory: a late or missing contact is a point for judgement, not a breach."
        ),
        method=Method.DEADLINE,
        trigger_types=("birth",),
        evidence_types=("hv_contact",),
        deadline=Deadline(14, Unit.CALENDAR_DAYS),
        regime="Healthy Child Programme 2009 (guidance, not mandated)",
        applies_from=HEALTHY_CHILD_PROGRAMME_FROM,
        applies_until=HEALTH_VISITING_MANDATED_FROM,
        source="PHE/UKHSA blog 1 Mar 2017; Healthy Child Programme 2009",
        tag="S",
        responsible="Health visiting service",
        practice_required=(
            "A health visitor new-baby review was expected within about 14 days of the birth (Healthy Child "
            "Programme guidance)."
        ),
        advisory=True,
    ),
    Rule(
        id="SH-INJ-NIM",
        family="SH-INJ-NIM",
        title="Bruise or injury in a non-mobile baby: same-day referral and medical",
        requirement=(
            "Any bruise, mark or injury seen on a baby who is not independently mobile should lead the same day "
            "to a referral to children's social care, a strategy discussion and a child protection medical. "
            "Mobility is taken from age: every baby under six months (the partnership's setting) counts."
        ),
        method=Method.INJURY,
        trigger_types=("injury_observed",),
        evidence_types=INJURY_RESPONSE_TYPES,
        deadline=Deadline(0, Unit.SAME_DAY),
        regime="NICE CG89 and the National Panel's 2022 briefing; local non-mobile injury protocols",
        applies_from=None,
        applies_until=None,
        source=_SH_SOURCE,
        tag="G",
        responsible="The agency that saw the injury (referral); children's social care and paediatrics",
        practice_required=(
            "A bruise or injury in a non-mobile baby should have been referred to children's social care the "
            "same day, with a strategy discussion and an urgent paediatric opinion (local non-mobile injury "
            "protocol, NICE CG89)."
        ),
        evidence_days_before=1,
        absence_is_breach=True,
        absence_reason=(
            "The composite chronology holds every agency's record; none shows a referral, strategy "
            "discussion or medical on that day or the day before."
        ),
        injury="non_mobile",
    ),
    Rule(
        id="SH-INJ-SERIOUS",
        family="SH-INJ-SERIOUS",
        title="Serious injury: same-day referral and medical",
        requirement=(
            "A serious injury (a head injury such as a skull fracture or subdural bleed, a fracture in a baby "
            "under one, a burn or scald needing admission to hospital) should lead the same day to a referral to "
            "children's social care and a child protection medical."
        ),
        method=Method.INJURY,
        trigger_types=("injury_observed",),
        evidence_types=INJURY_RESPONSE_TYPES,
        deadline=Deadline(0, Unit.SAME_DAY),
        regime="Working Together definition of serious harm; SH-RULE thresholds (proposal)",
        applies_from=None,
        applies_until=None,
        source=_SH_SOURCE,
        tag="G",
        responsible="The agency that saw the injury (referral); children's social care and paediatrics",
        practice_required=(
            "A serious or potentially life-threatening injury should have been referred to children's social "
            "care the same day, with a child protection medical and a strategy discussion."
        ),
        evidence_days_before=1,
        absence_is_breach=True,
        absence_reason=(
            "The composite chronology holds every agency's record; none shows a referral, strategy "
            "discussion or medical on that day or the day before."
        ),
        injury="serious",
    ),
    Rule(
        id="SH-INJ-ANY",
        family="SH-INJ-ANY",
        title="Injury to a child seen by a professional: referral, strategy discussion or medical",
        requirement=(
            "An injury to the child seen by a professional should lead to a referral to children's social care, "
            "a strategy discussion or a medical, unless the professional's judgement that it was accidental is "
            "recorded and sound. Where the record itself says no referral was made, or an explanation was "
            "accepted without a medical for a child under one, the step was not taken."
        ),
        method=Method.INJURY,
        trigger_types=("injury_observed",),
        evidence_types=INJURY_RESPONSE_TYPES,
        deadline=Deadline(7, Unit.CALENDAR_DAYS),
        regime="Working Together (all eras); NICE CG89 (when to suspect maltreatment); SH-RULE (proposal)",
        applies_from=None,
        applies_until=None,
        source=(
            "NICE CG89 rec 1.1 (consider and suspect maltreatment on injuries); Working Together, duty to "
            "refer where a child may be at risk of significant harm. The grading is Chronicle's proposal."
        ),
        tag="G",
        responsible="The agency that saw the injury",
        practice_required=(
            "An injury to the child seen by a professional should have been referred to children's social care, "
            "or discussed at a strategy discussion, or examined at a medical; an account accepted for a baby "
            "under one should not have replaced a medical."
        ),
        evidence_days_before=1,
        injury="any",
    ),
    Rule(
        id="SH-INJ-PLAN",
        family="SH-INJ-PLAN",
        title="Injury to a child on a child protection plan or under section 47: strategy discussion",
        requirement=(
            "A new injury to a child on a child protection plan, or while section 47 enquiries are open, is "
            "reasonable cause to suspect significant harm: a strategy discussion is expected, within the "
            "partnership's setting for strategy discussions (default 3 working days)."
        ),
        method=Method.INJURY,
        trigger_types=("injury_observed",),
        evidence_types=("strategy_discussion",),
        deadline=Deadline(3, _WD, parameter="strategy_discussion_max_working_days"),
        regime="Working Together (strategy discussion whenever significant harm is suspected); local setting",
        applies_from=None,
        applies_until=None,
        source=(
            "Working Together 2013-2023, 'Strategy discussion' (a strategy discussion 'can take place following a "
            "referral or at any other time'); applied to a child already on a plan by Chronicle (unverified)"
        ),
        tag="G",
        responsible="Lead social worker and children's social care",
        practice_required=(
            "A new injury to a child on a child protection plan or under section 47 enquiries should have led to "
            "a strategy discussion with the police and health."
        ),
        absence_is_breach=True,
        absence_reason=(
            "The composite chronology holds every agency's record; none shows a strategy discussion after the "
            "injury."
        ),
        horizon=Deadline(1, Unit.MONTHS),
        injury="on_plan",
    ),
    Rule(
        id="SH-INJ-REPEAT",
        family="SH-INJ-REPEAT",
        title="Repeat injuries: two or more within six months, seen together",
        requirement=(
            "Two or more injuries to the child within six months should be seen together: each agency should "
            "consider the history of injuries, and together they may be reasonable cause to suspect significant "
            "harm even where each alone was explained."
        ),
        method=Method.REPEAT_INJURY,
        trigger_types=("injury_observed",),
        evidence_types=("strategy_discussion", "referral"),
        deadline=None,
        regime="Working Together (all eras); NICE CG89 (repeated injuries); SH-RULE (proposal)",
        applies_from=None,
        applies_until=None,
        source=(
            "NICE CG89 rec 1.1 (consider maltreatment where there are repeated injuries); the Panel's annual "
            "reports on injuries not seen together (unverified wording)"
        ),
        tag="G",
        responsible="Every agency that saw an injury; children's social care",
        practice_required=(
            "Repeated injuries to the child within six months should have been considered together, with the "
            "history checked and a referral or strategy discussion considered."
        ),
        horizon=Deadline(6, Unit.MONTHS),
        repeat=2,
    ),
    Rule(
        id="SH-INJ-EXAM",
        family="SH-INJ-EXAM",
        title="Medical after an injury without a full examination",
        requirement=(
            "A medical or paediatric assessment after an injury should include a full examination (a full skin "
            "examination and, for a young child, the investigations the injury calls for). A medical that records "
            "that the full examination was not done should be flagged."
        ),
        method=Method.EXAMINATION,
        trigger_types=("medical",),
        evidence_types=("medical",),
        deadline=None,
        regime="RCPCH child protection evaluation guidance; local paediatric safeguarding medical protocols",
        applies_from=None,
        applies_until=None,
        source=(
            "RCPCH Child Protection Evaluation and Management (full examination); LLR Paediatric Safeguarding "
            "Medicals (unverified wording)"
        ),
        tag="G",
        responsible="Paediatrics",
        practice_required=(
            "A medical after an injury should have included a full examination, or recorded why it could not be "
            "done and when it would be."
        ),
        horizon=Deadline(2, Unit.MONTHS),
    ),
    Rule(
        id="PAT-01",
        family="PAT-01",
        title="Repeated referrals closed without assessment",
        requirement=(
            "When referrals about the same child are closed again and again without an assessment, the history "
            "should be looked at as a whole: two or more referrals closed without assessment within twelve months "
            "are flagged for agencies to judge whether an assessment was needed."
        ),
        method=Method.REPEAT_REFERRALS,
        trigger_types=("referral",),
        evidence_types=("assessment_start", "assessment_complete", "s47_start", "strategy_discussion"),
        deadline=None,
        regime="Working Together (all eras): decisions on referrals take account of the child's history",
        applies_from=None,
        applies_until=None,
        source=(
            "Working Together 2018 Ch.1 (referral decisions consider the history); Ofsted and Panel reports on "
            "repeat referrals (no rulebook entry: unverified)"
        ),
        tag="G",
        responsible="Local authority children's social care",
        practice_required=(
            "Repeated referrals about the child should have been considered together, and an assessment "
            "considered, rather than each closed on its own."
        ),
        horizon=Deadline(12, Unit.MONTHS),
        repeat=2,
    ),
    Rule(
        id="PAT-02",
        family="PAT-02",
        title="Case closed after a harm referral without the child seen",
        requirement=(
            "A referral that suggests the child may be harmed (an injury, an allegation or domestic abuse) should "
            "not be closed without the child being seen by a social worker (and seen alone where appropriate)."
        ),
        method=Method.CLOSED_UNSEEN,
        trigger_types=("referral",),
        evidence_types=("visit", "s47_start", "medical"),
        deadline=None,
        regime="Working Together (all eras): the child seen and heard in assessments and enquiries",
        applies_from=None,
        applies_until=None,
        source=(
            "Working Together 2018 Ch.1 ('children should be seen … alone' in assessments); no rulebook entry "
            "for closure without the child seen: unverified"
        ),
        tag="G",
        responsible="Local authority children's social care",
        practice_required=(
            "After a referral suggesting harm, the child should have been seen before the case was closed."
        ),
        trigger_with=RISK_TYPES,
        horizon=Deadline(6, Unit.MONTHS),
    ),
    Rule(
        id="PAT-03",
        family="PAT-03",
        title="Child with a carer on bail or under investigation for harming them",
        requirement=(
            "While a carer is on bail for, or under investigation for, harming the child, the child should not "
            "be returned to or left in that carer's care without a multi-agency decision (a strategy discussion) "
            "and a plan that keeps the child safe."
        ),
        method=Method.RETURNED_TO_SUSPECT,
        trigger_types=("arrest",),
        evidence_types=("strategy_discussion",),
        deadline=None,
        regime="Working Together (all eras); Police and Criminal Evidence Act bail conditions",
        applies_from=None,
        applies_until=None,
        source=(
            "Working Together 2018 Ch.1 (strategy discussion and safety planning while enquiries continue); "
            "no rulebook entry: unverified"
        ),
        tag="G",
        responsible="Children's social care with the police",
        practice_required=(
            "While the carer was on bail or under investigation for harming the child, a strategy discussion "
            "should have decided where the child lived and how they were kept safe."
        ),
        horizon=Deadline(6, Unit.MONTHS),
    ),
    Rule(
        id="PAT-04",
        family="PAT-04",
        title="Police attendance with the child present: information shared",
        requirement=(
            "When the police attend an incident where the child lives or is present, the information should be "
            "shared with children's social care (a notification or referral), promptly: the partnership's "
            "setting is used (default 3 working days)."
        ),
        method=Method.INFORMATION_NOT_SHARED,
        trigger_types=("police_callout", "domestic_abuse", "police_visit"),
        evidence_types=("information_shared", "referral"),
        deadline=Deadline(3, _WD),
        regime="Working Together (all eras): police notify children's social care of children at risk",
        applies_from=None,
        applies_until=None,
        source=(
            "Working Together 2018 Ch.2 (police duties to share information about children); College of "
            "Policing APP on domestic abuse (children present); no rulebook entry: unverified"
        ),
        tag="G",
        responsible="Police",
        practice_required=(
            "After attending an incident with the child present, the police should have notified children's "
            "social care."
        ),
        evidence_days_before=0,
    ),
)


def rule_by_id(rule_id: str) -> Rule:
    for rule in RULES:
        if rule.id == rule_id:
            return rule
    raise KeyError(f"no compliance rule with id {rule_id!r}")


def rules_to_json(rules: Iterable[Rule] = RULES) -> list[dict[str, Any]]:
    return [rule.as_dict() for rule in rules]


def check_rules(rules: Sequence[Rule]) -> None:
    """Raise ValueError naming the rule and field at fault when rule data is inconsistent."""
    seen: set[str] = set()
    families: dict[str, Method] = {}
    for rule in rules:
        if rule.id in seen:
            raise ValueError(f"rule {rule.id}: the id is used twice")
        seen.add(rule.id)
        if rule.tag not in ("P", "S", "G"):
            raise ValueError(f"rule {rule.id}: tag must be P, S or G, not {rule.tag!r}")
        for name in (
            "trigger_types",
            "evidence_types",
            "window_closers",
            "window_openers",
            "chain_end_types",
        ):
            for code in getattr(rule, name):
                if code is not None and code not in EVENT_TYPES:
                    raise ValueError(f"rule {rule.id}: {name} has unknown event type {code!r}")
        if families.setdefault(rule.family, rule.method) is not rule.method:
            raise ValueError(f"rule {rule.id}: family {rule.family} mixes methods")
        if rule.method is Method.CHAIN and rule.cadence is None:
            raise ValueError(f"rule {rule.id}: a chain rule needs a cadence")
        if rule.method is Method.ICPC_ANCHOR and rule.deadline is None:
            raise ValueError(f"rule {rule.id}: the conference rule needs a deadline")
        if (
            rule.applies_from is not None
            and rule.applies_until is not None
            and rule.applies_until <= rule.applies_from
        ):
            raise ValueError(f"rule {rule.id}: applies_until must be after applies_from")
