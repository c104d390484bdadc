"""The compliance engine: statutory and local timescales checked against a chronology.

Every rule is data (``RULES``): its rulebook id, the requirement in plain
words, the event types that start the clock and the ones that satisfy it, the
deadline and how it is counted, the dates it applied, its source and its
verification tag. ``evaluate`` reads a composite chronology and proposes, for
each requirement that applied, whether the record shows it met, not met,
borderline, cannot show it (a gap), or needs multi-agency judgement.
Findings are proposals for people to confirm, never verdicts.

Counting follows rulebook WD-06: the trigger day is day 0; "within N working
days" ends on the N-th working day after it; weeks and months are calendar
arithmetic; evidence one working day after a deadline, or dated so loosely
that it may fall either side, is ``borderline``.

Cost: entries are indexed once by event type into date-sorted lists and every
lookup is a binary search, so evaluation grows as n log n.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import re
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from chronicle.core.calendar import ENGLAND, FIRST_YEAR, LAST_YEAR, WorkingCalendar
from chronicle.core.dates import Precision
from chronicle.core.entries import SIX_HEADINGS, Entry, EntryKind
from chronicle.core.event_types import EVENT_TYPES, label

# Dates on which the rules changed (rulebook §0).
WT2013_FROM = dt.date(2013, 4, 15)  # single assessment "with effect from 15 April 2013"
CPPCR2010_FROM = dt.date(2011, 4, 1)  # Care Planning, Placement and Case Review Regs 2010
HEALTH_VISITING_MANDATED_FROM = dt.date(2015, 10, 1)  # five universal contacts mandated


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    CANNOT_BE_DETERMINED = "cannot_be_determined"
    NEEDS_MULTI_AGENCY_JUDGEMENT = "needs_multi_agency_judgement"
    BORDERLINE = "borderline"

    @property
    def words(self) -> str:
        return {
            "met": "met",
            "not_met": "not met",
            "cannot_be_determined": "cannot be determined from the record",
            "needs_multi_agency_judgement": "needs multi-agency judgement",
            "borderline": "borderline",
        }[self.value]


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


# Flags a finding can carry.
UNVERIFIABLE_TIME = "unverifiable-time"  # WD-06: an hours or same-day rule with no times recorded
UNVERIFIED_RULE = "unverified-rule"  # the rule is tagged [G] in the rulebook
LOCAL_SETTING = "local-setting"  # the deadline is the partnership's own setting
OUTSIDE_CALENDAR = "outside-calendar"  # a date the working-day calendar does not cover


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
    trigger_pattern: str = ""  # the trigger's text must match (case-insensitive)
    evidence_pattern: str = ""
    evidence_exclude_pattern: str = ""
    window_closers: tuple[str, ...] = ()  # a later one of these ends the search for evidence
    window_openers: tuple[str, ...] = ()  # one of these in the window keeps it open until the evidence
    horizon: Deadline | None = None  # evidence later than this is not taken to answer the trigger
    evidence_days_before: int = 0  # evidence this many days before the trigger still counts
    must_precede: tuple[str, ...] = ()  # the evidence must come before the next one of these
    absence_is_breach: bool = False  # no evidence at all is itself shown by the composite record
    absence_reason: str = ""
    self_evidence_pattern: str = ""  # the trigger's own action text can show the step taken
    advisory: bool = False  # guidance only at the time: lateness is for judgement, not a breach
    cadence: Cadence | None = None
    chain_end_types: tuple[str, ...] = ()
    required_parties: tuple[str, ...] = ()
    injury: str = ""  # "non_mobile" or "serious": the SH-RULE trigger tests
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


# --- Lexicons (rulebook §5, SH-03 and the suggested SH-RULE; a proposal, tag [G]) ---

# Words that cancel what follows: "no bruising", "not referred".
_NEGATABLE = r"(?:bruis|marks?\b|injur|fractur|petechia|burns?\b|scalds?\b|swelling|referr|refer\b|medical|strategy)\w*"
# Words that cancel what follows, lists included: "no bruising or marks", "not referred".
NEGATION_PATTERN = (
    r"\b(?:no|nil|not|never|without|denies|denied|nor|decided against)\b(?:\W+\w+){0,2}?\W+"
    + _NEGATABLE
    + r"(?:(?:\s*,\s*|\s+(?:or|and|nor)\s+)(?:\w+\s+)?"
    + _NEGATABLE
    + r")*"
)
INJURY_PATTERN = (
    r"\b(?:bruis\w*|petechia\w*|marks?|swelling|swollen|injur\w*|frenulum|burns?|burnt|scalds?|"
    r"bite marks?|fractur\w*|grip marks?|fingertip marks?|bleed\w*|grazes?|lacerations?)\b"
)
SERIOUS_INJURY_PATTERN = (
    r"\b(?:skull fracture|fractured skull|fracture of the skull|subdural|intra-?cranial|"
    r"brain (?:bleed|injury|haemorrhage|hemorrhage)|retinal (?:haemorrhage|hemorrhage)|"
    r"abusive head trauma|\bAHT\b|\bshaken\b|shaking injur\w*|(?:internal )?abdominal injur\w*|"
    r"(?:liver|spleen|bowel) (?:laceration|injury|rupture)|suffocat\w*|\bALTE\b|"
    r"apparent life[- ]threatening|\b(?:PICU|ICU|HDU)\b|intensive care|high dependency|"
    r"life[- ]threatening)"
)
FRACTURE_PATTERN = r"\bfractur\w*"
BURN_ADMITTED_PATTERN = r"\b(?:burns?|burnt|scalds?|scalded)\b.*\badmi(?:tted|ssion)\b"
NON_MOBILE_PATTERN = (
    r"non[- ]?mobile|not (?:yet )?(?:independently )?mobile|immobile|\bNIM\b|not yet crawling"
)
SIGNIFICANT_HARM_PATTERN = (
    INJURY_PATTERN + "|" + SERIOUS_INJURY_PATTERN + "|"
    r"significant harm|non[- ]accidental|\bNAI\b|sexual(?:ly)? abus\w*|physical abuse|assault\w*|"
    r"\bhit\b|punch\w*|kick\w*|strangl\w*|neglect\w*"
)
REFERRED_PATTERN = (
    r"\b(?:referr\w*|refer|reported)\b[^.;]*\b(?:social care|social services|children'?s services|"
    r"\bCSC\b|MASH|front door|police|safeguarding team)|\b(?:CP|child protection) medical\b|"
    r"\bstrategy (?:discussion|meeting)\b"
)
MEDICAL_DECISION_PATTERN = (
    r"\bmedical\b|paediatric\w* (?:assessment|opinion|examination|review)|paediatrician|"
    r"pediatrician|skeletal survey"
)
# Who a strategy discussion involved: agency names and words in the record.
PARTY_PATTERNS: dict[str, str] = {
    "social care": (
        r"social (?:care|work\w*|services)|children'?s services|\bCSC\b|local authority|\bMASH\b|"
        r"council|team manager"
    ),
    "police": r"police|constabulary|\bDC\b|\bDS\b|\bPC\b|detective|\bCAIT\b|\bPPU\b|\bPVP\b",
    "health": (
        r"health|\bGP\b|general practi\w*|paediatric\w*|pediatric\w*|doctor|nurse|midwi\w*|"
        r"hospital|\bNHS\b|\bICB\b|\bCCG\b|consultant"
    ),
}
ATTENDEE_LIST_PATTERN = r"attendees|in attendance|present:|participants:|attended by"

NIM_TRIGGER_TYPES: tuple[str | None, ...] = (
    "gp_appointment",
    "injury_observed",
    "hv_contact",
    "ae_attendance",
    "contact",
    "police_callout",
    "domestic_abuse",
    "visit",
    "school_attendance",
    "other",
    None,
)
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
        trigger_pattern=SIGNIFICANT_HARM_PATTERN,
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
        applies_from=None,
        applies_until=WT2013_FROM,
        source="Working Together 2010, strategy discussion (wording not verified against the 2010 text)",
        tag="G",
        responsible="Local authority children's social care (convenes)",
        practice_required=(
            "Where there was reasonable cause to suspect significant harm, a strategy discussion between "
            "children's social care and the police (and other agencies as needed) should have been held "
            "as soon as possible (Working Together 2010, wording not verified)."
        ),
        trigger_pattern=SIGNIFICANT_HARM_PATTERN,
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
        applies_from=None,
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
        evidence_exclude_pattern=r"\bcore\b",
        window_closers=("referral",),
        window_openers=("assessment_start",),
    ),
    Rule(
        id="CJ-04-old-core",
        family="CJ-04-old-core",
        title="Core assessment within 35 working days (before 15 April 2013)",
        requirement="A core assessment had to be completed within 35 working days of its start.",
        method=Method.DEADLINE,
        trigger_types=("assessment_start",),
        evidence_types=("assessment_complete",),
        deadline=Deadline(35, _WD),
        regime="Working Together 2010 and the Assessment Framework 2000",
        applies_from=None,
        applies_until=WT2013_FROM,
        source="Community Care 12 Jun 2012; Devon child protection procedures 5.5 (start = allocation decision)",
        tag="S",
        responsible="Local authority children's social care",
        practice_required=(
            "A core assessment should have been completed within 35 working days of its start "
            "(Assessment Framework, before 15 April 2013)."
        ),
        trigger_pattern=r"\bcore\b",
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
        applies_from=None,
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
            "Any bruise, mark or injury seen on a baby who is not independently mobile (including every baby "
            "under six months) should lead the same day to a referral to children's social care, a strategy "
            "discussion and a child protection medical."
        ),
        method=Method.DEADLINE,
        trigger_types=NIM_TRIGGER_TYPES,
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
        trigger_pattern=INJURY_PATTERN,
        evidence_days_before=1,
        absence_is_breach=True,
        absence_reason=(
            "The composite chronology holds every agency's record; none shows a referral, strategy "
            "discussion or medical on that day or the day before."
        ),
        self_evidence_pattern=REFERRED_PATTERN,
        injury="non_mobile",
    ),
    Rule(
        id="SH-INJ-SERIOUS",
        family="SH-INJ-SERIOUS",
        title="Serious injury: same-day referral and medical",
        requirement=(
            "A serious injury (head injury such as a skull fracture or subdural bleed, shaking, internal "
            "abdominal injury, a fracture in a baby, a burn needing admission, suffocation, intensive care, "
            "anything life-threatening) should lead the same day to a referral to children's social care and a "
            "child protection medical."
        ),
        method=Method.DEADLINE,
        trigger_types=(*NIM_TRIGGER_TYPES, "death"),
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
        self_evidence_pattern=REFERRED_PATTERN,
        injury="serious",
    ),
)


def rule_by_id(rule_id: str) -> Rule:
    for rule in RULES:
        if rule.id == rule_id:
            return rule
    raise KeyError(f"no compliance rule with id {rule_id!r}")


# --- Context and results ---


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What the rules need to know beyond the entries: the child and the partnership's settings."""

    child_born_on: dt.date | None = None
    calendar: WorkingCalendar = ENGLAND
    cp_visit_interval_working_days: int | None = 10  # CJ-08, local; None: agencies judge
    strategy_discussion_max_working_days: int | None = 3  # CJ-02, local [S] Bexley; None: agencies judge
    non_mobile_age_months: int = 6  # SH-INJ-NIM: every baby under this age counts as non-mobile
    local_parameters: Mapping[str, int] = field(default_factory=dict)  # rule id -> deadline amount

    def __post_init__(self) -> None:
        for name in ("cp_visit_interval_working_days", "strategy_discussion_max_working_days"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{name} must be a whole number of working days (0 or more), not {value!r}")
        if not isinstance(self.non_mobile_age_months, int) or self.non_mobile_age_months < 0:
            raise ValueError(f"non_mobile_age_months must be 0 or more, not {self.non_mobile_age_months!r}")
        for key, value in self.local_parameters.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(
                    f"local_parameters[{key!r}] must be a whole number (0 or more), not {value!r}"
                )


@dataclass(frozen=True, slots=True)
class EntryRef:
    """How people find an entry again (agency, date, row), plus its place in the evaluated list."""

    index: int
    agency: str
    date: str  # ISO with precision
    row: int | None
    reference: str

    @classmethod
    def of(cls, entries: Sequence[Entry], index: int) -> EntryRef:
        entry = entries[index]
        return cls(index, entry.agency, entry.date.isoformat(), entry.row, entry.reference())

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "agency": self.agency,
            "date": self.date,
            "row": self.row,
            "reference": self.reference,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """A proposal for people to confirm: what a rule says about one part of the record."""

    rule_id: str
    rule_title: str
    source: str
    status: Status
    trigger_index: int
    evidence_index: int | None
    trigger: EntryRef
    evidence: EntryRef | None
    message: str
    deadline: dt.date | None
    regime: str
    counting: str
    verified: bool
    tag: str
    flags: tuple[str, ...]
    # Prefill for the six headings (lesson IV); people edit and confirm them.
    practice_required: str
    record_shows_met: str
    gap: str
    learning_point: str
    multi_agency_point: str

    def prefill(self) -> dict[str, str]:
        """The headings this finding proposes text for, keyed as in ``SIX_HEADINGS``."""
        values = {
            "practice_required": self.practice_required,
            "record_shows_met": self.record_shows_met,
            "gap": self.gap,
            "learning_point": self.learning_point,
            "multi_agency_point": self.multi_agency_point,
        }
        return {key: values[key] for key in SIX_HEADINGS if key in values}


def findings_to_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Plain dicts for ``chronicle analyse --json`` and the web app."""
    result = []
    for f in findings:
        result.append(
            {
                "rule": f.rule_id,
                "title": f.rule_title,
                "status": f.status.value,
                "entries": [f.trigger.as_dict()],
                "evidence": [f.evidence.as_dict()] if f.evidence else [],
                "message": f.message,
                "deadline": f.deadline.isoformat() if f.deadline else None,
                "regime": f.regime,
                "counting": f.counting,
                "source": f.source,
                "tag": f.tag,
                "verified": f.verified,
                "flags": list(f.flags),
                "prefill": f.prefill(),
            }
        )
    return result


def rules_to_json(rules: Iterable[Rule] = RULES) -> list[dict[str, Any]]:
    return [rule.as_dict() for rule in rules]


# --- Working days by binary search ---


class OutsideCalendarError(ValueError):
    """A date the working-day calendar does not cover."""


class _WorkingDays:
    """The calendar's working days as a sorted list, so each sum is a binary search."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        first = dt.date(FIRST_YEAR, 1, 1).toordinal()
        last = dt.date(LAST_YEAR, 12, 31).toordinal()
        self.first, self.last = first, last
        self.ordinals = [o for o in range(first, last + 1) if calendar.is_working_day(dt.date.fromordinal(o))]

    def _check(self, day: dt.date) -> int:
        ordinal = day.toordinal()
        if not self.first <= ordinal <= self.last:
            raise OutsideCalendarError(
                f"{day.isoformat()} is outside the working-day calendar ({FIRST_YEAR}-{LAST_YEAR})"
            )
        return ordinal

    def add(self, start: dt.date, n: int) -> dt.date:
        """The N-th working day after ``start`` (day 0), as WorkingCalendar.add_working_days."""
        ordinal = self._check(start)
        if n <= 0:
            return start
        position = bisect_right(self.ordinals, ordinal) + n - 1
        if position >= len(self.ordinals):
            raise OutsideCalendarError(f"{n} working days after {start.isoformat()} is beyond {LAST_YEAR}")
        return dt.date.fromordinal(self.ordinals[position])

    def previous(self, day: dt.date) -> dt.date:
        """The last working day before ``day``."""
        position = bisect_left(self.ordinals, self._check(day)) - 1
        if position < 0:
            raise OutsideCalendarError(f"no working day before {day.isoformat()} in the calendar")
        return dt.date.fromordinal(self.ordinals[position])

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
        a, b = self._check(start), self._check(end)
        return bisect_right(self.ordinals, b) - bisect_right(self.ordinals, a)


_WORKING_DAYS_CACHE: weakref.WeakKeyDictionary[WorkingCalendar, _WorkingDays] = weakref.WeakKeyDictionary()


def _working_days(calendar: WorkingCalendar) -> _WorkingDays:
    cached = _WORKING_DAYS_CACHE.get(calendar)
    if cached is None:
        cached = _WorkingDays(calendar)
        _WORKING_DAYS_CACHE[calendar] = cached
    return cached


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months on; a day the target month lacks becomes its last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


# --- Indexing the entries ---

_UNCODED: frozenset[str | None] = frozenset({None})
_CODE_ORDER = {code: rank for rank, code in enumerate(EVENT_TYPES)}


def _code_order(code: str | None) -> int:
    return _CODE_ORDER.get(code or "", len(_CODE_ORDER))


@dataclass(frozen=True, slots=True)
class _Series:
    """Entries of some event types, sorted by the last day their date could mean."""

    indexes: list[int]
    ends: list[int]  # date.end ordinals, ascending
    starts: list[int]  # date.start ordinals in the same order


class _Index:
    def __init__(
        self,
        entries: Sequence[Entry],
        context: RuleContext,
        event_types: Sequence[str | AbstractSet[str] | None] | None = None,
        in_date_order: bool = False,
    ) -> None:
        self.entries = entries
        self.context = context
        self.days = _working_days(context.calendar)
        # Each entry's event types, given beside the entries so that none has to be copied to carry them:
        # one code, or every type the entry asserts (an entry asserting none is indexed as uncoded).
        given = event_types if event_types is not None else [e.event_type for e in entries]
        self.types: list[frozenset[str | None]] = [
            frozenset((codes,)) if codes is None or isinstance(codes, str) else frozenset(codes) or _UNCODED
            for codes in given
        ]
        self.by_type: dict[str | None, list[int]] = {}
        for i, codes in enumerate(self.types):
            for code in codes:
                self.by_type.setdefault(code, []).append(i)
        self._series: dict[tuple[tuple[str | None, ...], str, str], _Series] = {}
        self._texts: list[str | None] = [None] * len(entries)
        # Chronologies repeat themselves ("no reply, card left"): each distinct text is read once.
        self._negated: dict[str, str] = {}  # raw text -> text with negated phrases taken out
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._matches: dict[str, dict[str, bool]] = {}  # pattern -> text -> matched
        self._described: dict[int, str] = {}
        self._refs: dict[int, EntryRef] = {}
        # Spans and order worked out once: PartialDate builds its dates on every call.
        self.start_day = [e.date.start for e in entries]
        self.end_day = [e.date.end for e in entries]
        if in_date_order:
            self.rank = list(range(len(entries)))
        else:
            # The order of Entry.sort_key, built from the spans already worked out.
            keys = [
                (
                    self.end_day[i],
                    (e.date.day is None) + (e.date.month is None),  # precision rank
                    self.start_day[i],
                    e.time or dt.time.min,
                    e.agency,
                    e.row or 0,
                    i,
                )
                for i, e in enumerate(entries)
            ]
            ordered = [key[-1] for key in sorted(keys)]
            self.rank = [0] * len(entries)
            for position, i in enumerate(ordered):
                self.rank[i] = position
        self._of_types: dict[tuple[str | None, ...], list[int]] = {}
        self.last_day = max(self.end_day, default=None)
        self.born_on = context.child_born_on or self._birth_date()

    def _birth_date(self) -> dt.date | None:
        births = [
            self.entries[i].date for i in self.by_type.get("birth", []) if self.entries[i].date.is_exact
        ]
        return min((d.start for d in births), default=None)

    def pattern(self, text: str) -> re.Pattern[str]:
        compiled = self._patterns.get(text)
        if compiled is None:
            compiled = self._patterns[text] = re.compile(text, re.IGNORECASE)
        return compiled

    def text(self, i: int) -> str:
        """What the entry says, with negated phrases ("no bruising") taken out."""
        cached = self._texts[i]
        if cached is None:
            entry = self.entries[i]
            raw = entry.description
            if entry.action or entry.outcome:
                raw = " ".join(part for part in (entry.description, entry.action, entry.outcome) if part)
            cached = self._negated.get(raw)
            if cached is None:
                cached = self._negated[raw] = self.pattern(NEGATION_PATTERN).sub(" ", raw)
            self._texts[i] = cached
        return cached

    def matches(self, i: int, pattern: str) -> bool:
        if not pattern:
            return True
        memo = self._matches.get(pattern)
        if memo is None:
            memo = self._matches[pattern] = {}
        said = self.text(i)
        found = memo.get(said)
        if found is None:
            found = memo[said] = self.pattern(pattern).search(said) is not None
        return found

    def matching(self, indexes: Iterable[int], pattern: str) -> list[int]:
        """The entries whose text matches the pattern, in the order given (all of them if no pattern)."""
        if not pattern:
            return list(indexes)
        memo = self._matches.get(pattern)
        if memo is None:
            memo = self._matches[pattern] = {}
        search, text = self.pattern(pattern).search, self.text
        chosen = []
        for i in indexes:
            said = text(i)
            found = memo.get(said)
            if found is None:
                found = memo[said] = search(said) is not None
            if found:
                chosen.append(i)
        return chosen

    def describe(self, i: int) -> str:
        """What the entry is and where to find it, for messages."""
        cached = self._described.get(i)
        if cached is None:
            entry = self.entries[i]
            staff = " (information from staff)" if entry.kind is EntryKind.PRACTITIONER else ""
            kinds = " and ".join(label(code) for code in sorted(self.types[i], key=_code_order)) or label(
                None
            )
            cached = self._described[i] = f"{kinds} ({entry.reference()}){staff}"
        return cached

    def ref(self, i: int) -> EntryRef:
        cached = self._refs.get(i)
        if cached is None:
            cached = self._refs[i] = EntryRef.of(self.entries, i)
        return cached

    def of_types(self, types: Iterable[str | None]) -> list[int]:
        """Entries of these event types in chronological order."""
        key = tuple(dict.fromkeys(types))
        cached = self._of_types.get(key)
        if cached is None:
            # An entry of several of these types is listed once.
            cached = list(dict.fromkeys(i for event_type in key for i in self.by_type.get(event_type, [])))
            cached.sort(key=self.rank.__getitem__)
            self._of_types[key] = cached
        return cached

    def series(self, types: tuple[str | None, ...], pattern: str = "", exclude: str = "") -> _Series:
        key = (types, pattern, exclude)
        cached = self._series.get(key)
        if cached is None:
            chosen = self.matching(self.of_types(types), pattern)
            if exclude:
                excluded = set(self.matching(chosen, exclude))
                chosen = [i for i in chosen if i not in excluded]
            chosen.sort(key=lambda i: (self.end_day[i], self.start_day[i], i))
            cached = self._series[key] = _Series(
                chosen,
                [self.end_day[i].toordinal() for i in chosen],
                [self.start_day[i].toordinal() for i in chosen],
            )
        return cached

    def first_ending_on_or_after(
        self, series: _Series, day: dt.date, skip: int | None = None, start_after: dt.date | None = None
    ) -> int | None:
        """The earliest entry of the series whose date could be on or after ``day``."""
        position = bisect_left(series.ends, day.toordinal())
        floor = start_after.toordinal() if start_after else None
        while position < len(series.indexes):
            i = series.indexes[position]
            if i != skip and (floor is None or series.ends[position] > floor):
                return i
            position += 1
        return None

    def first_starting_after(self, series: _Series, day: dt.date) -> int | None:
        """The earliest entry certainly after ``day`` (its whole span later)."""
        position = bisect_right(series.ends, day.toordinal())
        best: int | None = None
        # Spans sorted by end: the first few after ``day`` hold the earliest start.
        for offset in range(position, min(position + 8, len(series.indexes))):
            if series.starts[offset] > day.toordinal() and (
                best is None or series.starts[offset] < self.start_day[best].toordinal()
            ):
                best = series.indexes[offset]
        return best

    def due(self, start: dt.date, deadline: Deadline, amount: int, at: dt.time | None = None) -> dt.date:
        if deadline.unit is Unit.WORKING_DAYS:
            return self.days.add(start, amount)
        if deadline.unit is Unit.CALENDAR_DAYS:
            return start + dt.timedelta(days=amount)
        if deadline.unit is Unit.WEEKS:
            return start + dt.timedelta(weeks=amount)
        if deadline.unit is Unit.MONTHS:
            return add_months(start, amount)
        if deadline.unit is Unit.HOURS:
            return (dt.datetime.combine(start, at or dt.time.min) + dt.timedelta(hours=amount)).date()
        return start

    def amount(self, rule: Rule, deadline: Deadline) -> tuple[int | None, bool]:
        """The deadline amount in force and whether it is a local setting."""
        if rule.id in self.context.local_parameters:
            return self.context.local_parameters[rule.id], True
        if deadline.parameter:
            value = getattr(self.context, deadline.parameter)
            return (int(value) if value is not None else None), True
        return deadline.amount, False


# --- Judging one trigger against its evidence ---


@dataclass(frozen=True, slots=True)
class _Verdict:
    status: Status
    reason: str
    flags: tuple[str, ...] = ()


def _judge(
    ix: _Index, trigger: Entry, evidence: Entry, deadline: Deadline, due: dt.date, lookback_days: int = 0
) -> _Verdict:
    """Met, not met or borderline for evidence against a day-dated trigger (WD-06)."""
    t = trigger.date.start
    start, end = evidence.date.start, evidence.date.end
    earliest = t - dt.timedelta(days=lookback_days)
    if deadline.unit is Unit.SAME_DAY:
        return _judge_same_day(trigger, evidence, earliest)
    if deadline.unit is Unit.HOURS:
        return _judge_hours(trigger, evidence, deadline.amount)
    limit = ix.days.add(due, 1)  # one working day after the deadline: the borderline zone
    uncertain = trigger.date.uncertain or evidence.date.uncertain
    if end <= due:
        if start < earliest:
            return _Verdict(
                Status.BORDERLINE,
                f"it is dated only {evidence.date.display()}, which may be before the trigger",
            )
        if uncertain and end >= ix.days.previous(due):
            return _Verdict(
                Status.BORDERLINE,
                "a date marked uncertain falls within one working day of the deadline",
            )
        return _Verdict(Status.MET, "within the deadline")
    if start > limit:
        late = ix.days.between(due, start)
        return _Verdict(Status.NOT_MET, f"{late} working day{'s' if late != 1 else ''} after the deadline")
    if evidence.date.precision is not Precision.DAY:
        return _Verdict(
            Status.BORDERLINE,
            f"it is dated only {evidence.date.display()}, a span that straddles the deadline",
        )
    return _Verdict(Status.BORDERLINE, "one working day after the deadline (the WD-06 borderline)")


def _judge_same_day(trigger: Entry, evidence: Entry, earliest: dt.date) -> _Verdict:
    t = trigger.date.start
    if evidence.date.precision is not Precision.DAY:
        if earliest <= evidence.date.start and evidence.date.end <= t:
            return _Verdict(Status.MET, "on or just before the day")
        if evidence.date.start > t + dt.timedelta(days=1):
            return _Verdict(Status.NOT_MET, "on a later day")
        return _Verdict(
            Status.CANNOT_BE_DETERMINED, f"it is dated only {evidence.date.display()}, so the day is unknown"
        )
    days = (evidence.date.start - t).days
    if days <= 0:
        return _Verdict(Status.MET, "the same day" if days == 0 else "already on the day before")
    if days == 1:
        if trigger.time and evidence.time:
            hours = (
                dt.datetime.combine(evidence.date.start, evidence.time) - dt.datetime.combine(t, trigger.time)
            ).total_seconds() / 3600
            if hours <= 24:
                return _Verdict(
                    Status.BORDERLINE, f"the next day, {hours:.0f} hours later (WD-06 borderline)"
                )
            return _Verdict(Status.NOT_MET, f"the next day, {hours:.0f} hours later")
        return _Verdict(
            Status.CANNOT_BE_DETERMINED,
            "the next day; no times are recorded, so whether it was within a day cannot be shown",
            (UNVERIFIABLE_TIME,),
        )
    return _Verdict(Status.NOT_MET, f"{days} days later")


def _judge_hours(trigger: Entry, evidence: Entry, hours_allowed: int) -> _Verdict:
    if not (trigger.date.precision is Precision.DAY and evidence.date.precision is Precision.DAY):
        return _Verdict(
            Status.CANNOT_BE_DETERMINED, "a date is not recorded to the day", (UNVERIFIABLE_TIME,)
        )
    t, e = trigger.date.start, evidence.date.start
    if trigger.time and evidence.time:
        hours = (
            dt.datetime.combine(e, evidence.time) - dt.datetime.combine(t, trigger.time)
        ).total_seconds() / 3600
        if hours <= hours_allowed:
            return _Verdict(Status.MET, f"{hours:.1f} hours later")
        if hours <= hours_allowed + 1:
            return _Verdict(Status.BORDERLINE, f"{hours:.1f} hours later, within an hour of the limit")
        return _Verdict(Status.NOT_MET, f"{hours:.1f} hours later")
    days = (e - t).days
    if (days + 1) * 24 <= hours_allowed:
        return _Verdict(Status.MET, "within the limit whatever the times")
    if (days - 1) * 24 >= hours_allowed:
        return _Verdict(Status.NOT_MET, f"{days} days later")
    return _Verdict(
        Status.CANNOT_BE_DETERMINED,
        "no times are recorded, so the hours between them cannot be counted",
        (UNVERIFIABLE_TIME,),
    )


# --- Building findings ---


class _Builder:
    """Collects findings with their messages and six-heading prefill."""

    def __init__(self, ix: _Index) -> None:
        self.ix = ix
        self.findings: list[Finding] = []

    def add(
        self,
        rule: Rule,
        status: Status,
        trigger: int,
        evidence: int | None,
        message: str,
        due: dt.date | None = None,
        regime_note: str = "",
        flags: tuple[str, ...] = (),
        deadline: Deadline | None = None,
    ) -> None:
        deadline = deadline or rule.deadline
        all_flags = tuple(dict.fromkeys((*flags, *((UNVERIFIED_RULE,) if not rule.verified else ()))))
        regime = rule.regime + (f" ({regime_note})" if regime_note else "")
        practice = _practice_text(rule)
        full = f"{rule.id} {status.words}: {message}"
        self.findings.append(
            Finding(
                rule_id=rule.id,
                rule_title=rule.title,
                source=rule.source,
                status=status,
                trigger_index=trigger,
                evidence_index=evidence,
                trigger=self.ix.ref(trigger),
                evidence=self.ix.ref(evidence) if evidence is not None else None,
                message=full,
                deadline=due,
                regime=regime,
                counting=deadline.counting if deadline else "no timescale",
                verified=rule.verified,
                tag=rule.tag,
                flags=all_flags,
                practice_required=practice,
                record_shows_met=(
                    f"Proposed: the record shows this met: {message}" if status is Status.MET else ""
                ),
                gap=f"Proposed gap: {message}" if status is Status.CANNOT_BE_DETERMINED else "",
                learning_point=(
                    f"Proposed, to be confirmed: the record suggests the requirement was not met: {message}"
                    if status is Status.NOT_MET
                    else ""
                ),
                multi_agency_point=(
                    f"For multi-agency judgement: {message}"
                    if status in (Status.NEEDS_MULTI_AGENCY_JUDGEMENT, Status.BORDERLINE)
                    else ""
                ),
            )
        )

    def outside_calendar(self, rule: Rule, trigger: int, error: OutsideCalendarError) -> None:
        self.add(
            rule,
            Status.CANNOT_BE_DETERMINED,
            trigger,
            None,
            f"{self.ix.describe(trigger)}: {error}, so working days cannot be counted.",
            flags=(OUTSIDE_CALENDAR,),
        )


@lru_cache(maxsize=256)
def _evidence_words(rule: Rule) -> str:
    return " or ".join(label(code).lower() for code in rule.evidence_types)


_PRACTICE_TEXTS: dict[Rule, str] = {}


def _practice_text(rule: Rule) -> str:
    """Heading 1 prefill: the practice required, its source, and whether the rule is verified."""
    text = _PRACTICE_TEXTS.get(rule)
    if text is None:
        text = f"{rule.practice_required} Source: {rule.source}." + (
            "" if rule.verified else " This rule is not verified against its primary source."
        )
        _PRACTICE_TEXTS[rule] = text
    return text


def _variant(variants: Sequence[Rule], day: dt.date) -> Rule | None:
    for rule in variants:
        if rule.in_force(day):
            return rule
    return None


def _span_reason(variants: Sequence[Rule], entry: Entry) -> str:
    text = f"it is dated only {entry.date.display()}, so the clock's start and deadline cannot be fixed"
    first, last = _variant(variants, entry.date.start), _variant(variants, entry.date.end)
    if first is not last:
        text += " (and the span covers a change of rules)"
    return text


def _deadline_words(deadline: Deadline, amount: int) -> str:
    return Deadline(amount, deadline.unit).describe()


def _evaluate_deadline_family(variants: Sequence[Rule], ix: _Index, out: _Builder) -> None:
    trigger_types = tuple(dict.fromkeys(t for rule in variants for t in rule.trigger_types))
    triggers = ix.of_types(trigger_types)
    if all(rule.injury for rule in variants):
        # Only an entry that mentions an injury can trigger an injury rule (see _injury_trigger):
        # most entries are passed over here, in one pass per distinct text.
        injured = set(ix.matching(triggers, INJURY_PATTERN))
        injured.update(ix.matching(triggers, SERIOUS_INJURY_PATTERN))
        triggers = [i for i in triggers if i in injured]
    for i in triggers:
        rule = _variant(variants, ix.start_day[i]) or _variant(variants, ix.end_day[i])
        if rule is None or ix.types[i].isdisjoint(rule.trigger_types):
            continue
        if not ix.matches(i, rule.trigger_pattern):
            continue
        age_gap = ""
        if rule.injury:
            relevant, age_gap = _injury_trigger(rule, i, ix)
            if not relevant:
                continue
        try:
            _evaluate_deadline(rule, variants, i, ix, out, age_gap)
        except OutsideCalendarError as error:
            out.outside_calendar(rule, i, error)


def _months_between(born: dt.date, day: dt.date) -> int:
    months = (day.year - born.year) * 12 + day.month - born.month
    return months - (1 if day.day < born.day else 0)


def _injury_trigger(rule: Rule, i: int, ix: _Index) -> tuple[bool, str]:
    """Whether an entry describes an SH-RULE injury; the text says why age could not be checked."""
    if rule.injury == "serious":
        if ix.matches(i, SERIOUS_INJURY_PATTERN):
            return True, ""
        if not ix.matches(i, INJURY_PATTERN):  # fractures and burns are injuries: skip the rest
            return False, ""
        if ix.matches(i, BURN_ADMITTED_PATTERN):
            return True, ""
        # Any fracture in a baby under one or a non-mobile child (SH-RULE).
        if ix.matches(i, FRACTURE_PATTERN):
            age = _age_in_months(ix, i)
            return ix.matches(i, NON_MOBILE_PATTERN) or (age is not None and age < 12), ""
        return False, ""
    if not ix.matches(i, INJURY_PATTERN):
        return False, ""
    age = _age_in_months(ix, i)
    if ix.matches(i, NON_MOBILE_PATTERN) or (age is not None and age < ix.context.non_mobile_age_months):
        return True, ""
    if ix.born_on is None:
        return (
            True,
            "the child's date of birth is not in the context or the record, so mobility cannot be checked",
        )
    return False, ""


def _age_in_months(ix: _Index, i: int) -> int | None:
    born, day = ix.born_on, ix.start_day[i]
    if born is None or day < born:
        return None
    return _months_between(born, day)


def _evaluate_deadline(
    rule: Rule, variants: Sequence[Rule], i: int, ix: _Index, out: _Builder, age_gap: str
) -> None:
    entries = ix.entries
    trigger = entries[i]
    what = ix.describe(i)
    if age_gap:
        out.add(
            rule, Status.CANNOT_BE_DETERMINED, i, None, f"{what} records a possible injury, but {age_gap}."
        )
        return
    if trigger.date.precision is not Precision.DAY:
        out.add(rule, Status.CANNOT_BE_DETERMINED, i, None, f"{what}: {_span_reason(variants, trigger)}.")
        return
    t = trigger.date.start
    amount: int | None = None
    local = False
    if rule.deadline is not None:
        amount, local = ix.amount(rule, rule.deadline)
    regime_note = (
        f"local setting: {_deadline_words(rule.deadline, amount)}"
        if local and rule.deadline and amount is not None
        else ("no local setting: agencies judge timeliness" if local else "")
    )
    flags = (LOCAL_SETTING,) if local else ()
    due = ix.due(t, rule.deadline, amount, trigger.time) if rule.deadline and amount is not None else None
    clock = (
        f" The step was due by {due.strftime('%d/%m/%Y')} ({_deadline_words(rule.deadline, amount)})."
        if rule.deadline and due and amount is not None and rule.deadline.unit is not Unit.SAME_DAY
        else (
            " The step was due the same day." if rule.deadline and rule.deadline.unit is Unit.SAME_DAY else ""
        )
    )

    # The entry's own action text may record the step ("referred to children's social care").
    if rule.self_evidence_pattern and ix.pattern(rule.self_evidence_pattern).search(
        ix.pattern(NEGATION_PATTERN).sub(" ", f"{trigger.action} {trigger.outcome}")
    ):
        out.add(
            rule, Status.MET, i, i, f"{what} itself records the response on the day.", due, regime_note, flags
        )
        return

    # Where to look: after the trigger, before the next trigger-like event unless the work was opened.
    window_end: dt.date | None = None
    if rule.window_closers:
        closer = ix.first_starting_after(ix.series(rule.window_closers), ix.end_day[i])
        if closer is not None:
            window_end = ix.start_day[closer]
    earliest = t - dt.timedelta(days=rule.evidence_days_before)
    if rule.window_openers:
        opener = ix.first_ending_on_or_after(ix.series(rule.window_openers), t)
        if opener is not None and (window_end is None or ix.start_day[opener] <= window_end):
            earliest, window_end = max(earliest, ix.start_day[opener]), None
    evidence_series = ix.series(rule.evidence_types, rule.evidence_pattern, rule.evidence_exclude_pattern)
    evidence = ix.first_ending_on_or_after(evidence_series, earliest, skip=i)
    beyond = ""
    if evidence is not None and window_end is not None and ix.start_day[evidence] > window_end:
        beyond = (
            f" A later {ix.describe(evidence)} comes after the next "
            f"{label(rule.window_closers[0]).lower()} on {window_end.strftime('%d/%m/%Y')}, so it is not "
            "taken to answer this one."
        )
        evidence = None
    if evidence is not None and rule.horizon is not None:
        horizon = ix.due(t, rule.horizon, rule.horizon.amount)
        if ix.start_day[evidence] > horizon:
            beyond = (
                f" A later {ix.describe(evidence)} is more than {rule.horizon.describe()} later, so it "
                "is not taken to answer this one."
            )
            evidence = None

    wanted = _evidence_words(rule)
    if evidence is None:
        if rule.absence_is_breach:
            message = f"{what}: no {wanted} is recorded.{clock} {rule.absence_reason}"
            out.add(rule, Status.NOT_MET, i, None, message, due, regime_note, flags)
        else:
            message = (
                f"{what}: no {wanted} is recorded.{clock}{beyond} The record cannot show whether it happened."
            )
            out.add(rule, Status.CANNOT_BE_DETERMINED, i, None, message, due, regime_note, flags)
        return

    found = ix.describe(evidence)
    if rule.deadline is None or amount is None or due is None:
        _judge_without_deadline(rule, i, evidence, ix, out, regime_note, flags)
        return
    verdict = _judge(ix, trigger, entries[evidence], rule.deadline, due, rule.evidence_days_before)
    status = verdict.status
    advisory = ""
    if rule.advisory and status is Status.NOT_MET:
        status = Status.NEEDS_MULTI_AGENCY_JUDGEMENT
        advisory = " At the time this was guidance, not a requirement, so agencies should judge its weight."
    message = f"{what}.{clock} The record shows {found}: {verdict.reason}.{advisory}"
    out.add(rule, status, i, evidence, message, due, regime_note, (*flags, *verdict.flags))


def _judge_without_deadline(
    rule: Rule, i: int, evidence: int, ix: _Index, out: _Builder, regime_note: str, flags: tuple[str, ...]
) -> None:
    entries = ix.entries
    what, found = ix.describe(i), ix.describe(evidence)
    if rule.must_precede:
        before = ix.first_ending_on_or_after(ix.series(rule.must_precede), entries[i].date.start)
        if before is not None and entries[before].date.end < entries[evidence].date.start:
            out.add(
                rule,
                Status.NOT_MET,
                i,
                evidence,
                f"{what}: the outcome, {found}, is recorded after the {ix.describe(before)}.",
                None,
                regime_note,
                flags,
            )
            return
    try:
        elapsed = ix.days.between(entries[i].date.start, entries[evidence].date.start)
        took = f", {elapsed} working days later"
    except OutsideCalendarError:
        took = ""
    out.add(
        rule,
        Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
        i,
        evidence,
        f"{what}: the record shows {found}{took}. There is no national timescale, so agencies should judge "
        "whether this was timely.",
        None,
        regime_note,
        flags,
    )


def _evaluate_icpc_family(variants: Sequence[Rule], ix: _Index, out: _Builder) -> None:
    """CJ-05: each conference timed from the strategy discussion that anchors it."""
    entries = ix.entries
    discussions = ix.series(("strategy_discussion",))
    s47_starts = ix.series(("s47_start",))
    conferences = ix.of_types(("icpc",))
    previous_end: dt.date | None = None
    for c in conferences:
        conference = entries[c]
        # Look back to the previous conference, and no further than ICPC_LOOKBACK_MONTHS.
        low = add_months(conference.date.start, -ICPC_LOOKBACK_MONTHS)
        if previous_end is not None:
            low = max(low, previous_end + dt.timedelta(days=1))
        previous_end = conference.date.end
        high = conference.date.end
        in_window = _between(discussions, low, high, ix)
        rule = _variant(variants, conference.date.start) or variants[0]
        if not in_window:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                c,
                None,
                f"{ix.describe(c)}: no strategy discussion is recorded in the {ICPC_LOOKBACK_MONTHS} months "
                "before it, so the 15 working days cannot be counted.",
            )
            continue
        # WT2013+: the discussion at which s47 enquiries were started; WT2010: the last one.
        starts = _between(s47_starts, low, high, ix)
        if starts:
            s47_day = entries[starts[-1]].date.end
            candidates = [d for d in in_window if entries[d].date.end <= s47_day]
            new_anchor = candidates[-1] if candidates else in_window[0]
            basis = "the strategy discussion at which section 47 enquiries were started"
        else:
            new_anchor = in_window[0]
            basis = "the first strategy discussion before it (no section 47 start is recorded)"
        old_anchor = in_window[-1]
        rule = _variant(variants, entries[new_anchor].date.start) or variants[0]
        anchor = new_anchor
        if rule.id.endswith("-old"):
            anchor, basis = old_anchor, "the last strategy discussion before it"
        try:
            _judge_anchor(rule, anchor, c, basis, new_anchor, old_anchor, ix, out)
        except OutsideCalendarError as error:
            out.outside_calendar(rule, anchor, error)


def _between(series: _Series, low: dt.date, high: dt.date, ix: _Index) -> list[int]:
    """Entries of a series dated within [low, high], in date order."""
    position = bisect_left(series.ends, low.toordinal())
    found = []
    while position < len(series.indexes) and series.ends[position] <= high.toordinal():
        if series.starts[position] >= low.toordinal():
            found.append(series.indexes[position])
        position += 1
    return found


def _judge_anchor(
    rule: Rule, anchor: int, conference: int, basis: str, new: int, old: int, ix: _Index, out: _Builder
) -> None:
    entries = ix.entries
    what = ix.describe(anchor)
    found = ix.describe(conference)
    if entries[anchor].date.precision is not Precision.DAY:
        out.add(
            rule,
            Status.CANNOT_BE_DETERMINED,
            anchor,
            conference,
            f"{found} is timed from {basis}, {what}, but {_span_reason((rule,), entries[anchor])}.",
        )
        return
    assert rule.deadline is not None
    amount, local = ix.amount(rule, rule.deadline)
    amount = rule.deadline.amount if amount is None else amount
    due = ix.due(entries[anchor].date.start, rule.deadline, amount)
    verdict = _judge(ix, entries[anchor], entries[conference], rule.deadline, due)
    other = ""
    if new != old:
        other_anchor = old if anchor == new else new
        other = (
            f" The other reading of the anchor ({'last discussion' if anchor == new else 'discussion that started section 47'}: "
            f"{ix.describe(other_anchor)}) would give a different clock."
        )
    out.add(
        rule,
        verdict.status,
        anchor,
        conference,
        f"{what} is {basis}; the conference was due by {due.strftime('%d/%m/%Y')} "
        f"({_deadline_words(rule.deadline, amount)}). The record shows {found}: {verdict.reason}.{other}",
        due,
        "local setting" if local else "",
        ((LOCAL_SETTING,) if local else ()) + verdict.flags,
    )


def _evaluate_chain_family(variants: Sequence[Rule], ix: _Index, out: _Builder) -> None:
    """Reviews and visits: each step due within an interval of the one before."""
    entries = ix.entries
    start_types = tuple(dict.fromkeys(t for rule in variants for t in rule.trigger_types))
    starts: list[int] = []
    for i in ix.of_types(start_types):
        if starts and entries[starts[-1]].date == entries[i].date:
            continue  # a placement and becoming looked after on one day start one clock
        starts.append(i)
    for n, s in enumerate(starts):
        rule = _variant(variants, entries[s].date.start) or _variant(variants, entries[s].date.end)
        if rule is None:
            continue
        next_start = ix.start_day[starts[n + 1]] if n + 1 < len(starts) else None
        try:
            _run_chain(rule, s, next_start, ix, out)
        except OutsideCalendarError as error:
            out.outside_calendar(rule, s, error)


def _interval(
    rule: Rule, step: int, previous: dt.date, chain_start: dt.date
) -> tuple[Deadline, Deadline | None]:
    """The interval due after step ``step`` (0 = the start event) and an upper bound agencies may judge."""
    cadence = rule.cadence
    assert cadence is not None
    if step == 0 and rule.deadline is not None:
        return rule.deadline, None
    if step == 1 and cadence.second is not None:
        return cadence.second, None
    if cadence.after_first_year is not None and previous >= add_months(chain_start, 12):
        return cadence.after_first_year, cadence.after_first_year_upper
    return cadence.then, None


def _run_chain(rule: Rule, s: int, next_start: dt.date | None, ix: _Index, out: _Builder) -> None:
    entries = ix.entries
    chain_start = entries[s].date.start
    steps = ix.series(rule.evidence_types, rule.evidence_pattern)
    end_event: int | None = None
    if rule.chain_end_types:
        end_event = ix.first_ending_on_or_after(ix.series(rule.chain_end_types), chain_start)
    stop_candidates = [
        d for d in (next_start, ix.start_day[end_event] if end_event is not None else None) if d
    ]
    stop = min(stop_candidates) if stop_candidates else None  # the clock stops here
    stop_words = (
        "the next start"
        if stop is not None and stop == next_start
        else (ix.describe(end_event) if end_event is not None else "")
    )

    def next_step(after: dt.date, inclusive: bool) -> int | None:
        found = ix.first_ending_on_or_after(steps, after, start_after=None if inclusive else after)
        if found is None:
            return None
        if stop is not None and (
            ix.start_day[found] > stop or (stop == next_start and ix.start_day[found] >= stop)
        ):
            return None
        return found

    previous, step = s, 0
    if rule.cadence and rule.cadence.first_step_checked_by:
        first = next_step(chain_start, True)
        if first is None:
            return
        previous, step = first, 1
    while True:
        prev_entry = entries[previous]
        nxt = next_step(prev_entry.date.end, step == 0)
        if prev_entry.date.precision is not Precision.DAY:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                previous,
                nxt,
                f"{ix.describe(previous)}: it is dated only {prev_entry.date.display()}, so the next "
                f"{label(rule.evidence_types[0]).lower()} cannot be timed from it.",
            )
            if nxt is None:
                return
            previous, step = nxt, step + 1
            continue
        interval, upper = _interval(rule, step, prev_entry.date.start, chain_start)
        amount, local = ix.amount(rule, interval)
        flags = (LOCAL_SETTING,) if local else ()
        if amount is None:
            if nxt is None:
                return
            _judge_without_deadline(rule, previous, nxt, ix, out, "no local setting: agencies judge", flags)
            previous, step = nxt, step + 1
            continue
        due = ix.due(prev_entry.date.start, interval, amount)
        what = ix.describe(previous)
        wanted = label(rule.evidence_types[0]).lower()
        clock = (
            f"the next {wanted} was due by {due.strftime('%d/%m/%Y')} ({_deadline_words(interval, amount)})"
        )
        note = f"local setting: {_deadline_words(interval, amount)}" if local else ""
        if nxt is None:
            closing = stop if stop is not None else ix.last_day
            if closing is None or closing <= ix.days.add(due, 1):
                return  # the clock stopped, or the record ends, before the step fell due
            until = f"up to {stop_words}" if stop is not None else "to the end of the record"
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                previous,
                None,
                f"{what}: {clock}. No {wanted} is recorded {until}, so the record cannot show it happened.",
                due,
                note,
                flags,
                interval,
            )
            return
        verdict = _judge(ix, prev_entry, entries[nxt], interval, due)
        status = verdict.status
        extra = ""
        if status is Status.NOT_MET and upper is not None:
            upper_due = ix.due(prev_entry.date.start, upper, upper.amount)
            if entries[nxt].date.start <= ix.days.add(upper_due, 1):
                status = Status.NEEDS_MULTI_AGENCY_JUDGEMENT
                extra = (
                    f" After the first year of a placement meant to last until 18 the limit is "
                    f"{upper.describe()}; whether that applied is for agencies to judge."
                )
        out.add(
            rule,
            status,
            previous,
            nxt,
            f"{what}: {clock}. The record shows {ix.describe(nxt)}: {verdict.reason}.{extra}",
            due,
            note,
            (*flags, *verdict.flags),
            interval,
        )
        previous, step = nxt, step + 1


def _same_day_groups(ix: _Index, event_type: str) -> list[list[int]]:
    """Entries of one type grouped by recorded date: several agencies may record one discussion."""
    groups: dict[str, list[int]] = {}
    for i in ix.of_types((event_type,)):
        groups.setdefault(ix.entries[i].date.isoformat(), []).append(i)
    return list(groups.values())


def _evaluate_attendance_family(variants: Sequence[Rule], ix: _Index, out: _Builder) -> None:
    entries = ix.entries
    for group in _same_day_groups(ix, "strategy_discussion"):
        first = group[0]
        rule = _variant(variants, entries[first].date.start)
        if rule is None:
            continue
        parties: set[str] = set()
        listed = False
        for i in group:
            entry = entries[i]
            attendees = entry.extra.get("attendees", "") or entry.extra.get("participants", "")
            listed = listed or bool(attendees) or ix.matches(i, ATTENDEE_LIST_PATTERN)
            for party, pattern in PARTY_PATTERNS.items():
                if ix.pattern(pattern).search(entry.agency) or ix.pattern(pattern).search(
                    f"{ix.text(i)} {attendees}"
                ):
                    parties.add(party)
        present = [p for p in rule.required_parties if p in parties]
        missing = [p for p in rule.required_parties if p not in parties]
        records = ", ".join(entries[i].reference() for i in group)
        shown = ", ".join(present) if present else "no agency"
        if not missing:
            out.add(rule, Status.MET, first, first, f"Strategy discussion ({records}) involved {shown}.")
        elif listed:
            out.add(
                rule,
                Status.NOT_MET,
                first,
                first,
                f"Strategy discussion ({records}): the recorded attendance shows {shown} but not "
                f"{', '.join(missing)}.",
            )
        else:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                first,
                None,
                f"Strategy discussion ({records}): the record shows {shown} but does not list who took part, "
                f"so whether {', '.join(missing)} took part cannot be shown.",
            )


def _evaluate_medical_family(variants: Sequence[Rule], ix: _Index, out: _Builder) -> None:
    entries = ix.entries
    injuries = ix.series(tuple(dict.fromkeys((*NIM_TRIGGER_TYPES, "referral", "death"))), INJURY_PATTERN)
    serious = ix.series(
        tuple(dict.fromkeys((*NIM_TRIGGER_TYPES, "referral", "death"))), SERIOUS_INJURY_PATTERN
    )
    medicals = ix.series(("medical",))
    for group in _same_day_groups(ix, "strategy_discussion"):
        first = group[0]
        day = entries[first].date
        rule = _variant(variants, day.start)
        if rule is None:
            continue
        lookback = day.start - dt.timedelta(days=INJURY_LOOKBACK_DAYS)
        about_injury = any(
            ix.matches(i, INJURY_PATTERN) or ix.matches(i, SERIOUS_INJURY_PATTERN) for i in group
        ) or any(_between(s, lookback, day.end, ix) for s in (injuries, serious))
        if not about_injury:
            continue
        what = ix.describe(first)
        decided = next((i for i in group if ix.matches(i, MEDICAL_DECISION_PATTERN)), None)
        if decided is not None:
            out.add(rule, Status.MET, first, decided, f"{what} records the decision on a medical.")
            continue
        if day.precision is not Precision.DAY:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                first,
                None,
                f"{what}: {_span_reason(variants, entries[first])}.",
            )
            continue
        medical = ix.first_ending_on_or_after(
            medicals, day.start - dt.timedelta(days=rule.evidence_days_before)
        )
        if medical is None:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                first,
                None,
                f"{what} concerned an injury; no decision on a medical and no medical is recorded.",
            )
            continue
        verdict = _judge_same_day(entries[first], entries[medical], day.start - dt.timedelta(days=2))
        found = ix.describe(medical)
        if verdict.status is Status.MET:
            out.add(
                rule, Status.MET, first, medical, f"{what} concerned an injury; the record shows {found}."
            )
        else:
            out.add(
                rule,
                Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
                first,
                medical,
                f"{what} concerned an injury; the record does not show the medical decision, and {found} is "
                f"{verdict.reason}. The local expectation is the same day if at all possible.",
                flags=verdict.flags,
            )


_HANDLERS: dict[Method, Callable[[Sequence[Rule], _Index, _Builder], None]] = {
    Method.DEADLINE: _evaluate_deadline_family,
    Method.CHAIN: _evaluate_chain_family,
    Method.ICPC_ANCHOR: _evaluate_icpc_family,
    Method.ATTENDANCE: _evaluate_attendance_family,
    Method.MEDICAL_DECISION: _evaluate_medical_family,
}


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


def evaluate(entries: Sequence[Entry], context: RuleContext, rules: Sequence[Rule] = RULES) -> list[Finding]:
    """Propose a finding for every requirement the chronology triggers, in date order."""
    return _evaluate(_Index(entries, context), rules)


def evaluate_merged(
    entries: Sequence[Entry],
    event_types: Sequence[str | AbstractSet[str] | None],
    context: RuleContext,
    rules: Sequence[Rule] = RULES,
) -> list[Finding]:
    """``evaluate`` for a merged chronology, as ``analysis.analyse`` has it.

    ``entries`` must already be in ``Entry.sort_key`` order (as ``composite.merge``
    leaves them), and ``event_types`` gives each entry's code, or the set of
    types it asserts, beside it, so no entry is copied or changed.
    """
    if len(event_types) != len(entries):
        raise ValueError(f"event_types has {len(event_types)} codes for {len(entries)} entries")
    return _evaluate(_Index(entries, context, event_types, in_date_order=True), rules)


def _evaluate(ix: _Index, rules: Sequence[Rule]) -> list[Finding]:
    check_rules(rules)
    known = {rule.id for rule in rules}
    for key in ix.context.local_parameters:
        if key not in known:
            raise ValueError(
                f"local_parameters: {key!r} is not a rule id (known: {', '.join(sorted(known))})"
            )
    out = _Builder(ix)
    families: dict[str, list[Rule]] = {}
    for rule in rules:
        families.setdefault(rule.family, []).append(rule)
    for variants in families.values():
        _HANDLERS[variants[0].method](variants, ix, out)
    order = {rule.id: n for n, rule in enumerate(rules)}
    out.findings.sort(key=lambda f: (ix.rank[f.trigger_index], order[f.rule_id]))
    return out.findings
