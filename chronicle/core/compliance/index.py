"""What the rules read: the entries, each entry's events, and the child's life around them.

An ``Index`` is built once per evaluation. Each entry is indexed under every
event type it asserts about the child (``events.asserted_types``: not negated,
not planned, not in passing, not about a sibling or an adult), with its injury
details; entries are sorted once by date, so every lookup is a binary search
and evaluation grows as n log n. Nothing here reads an entry's words: what the
words say was read once, into events, by ``chronicle.core.extract``.

The child's life is the scope: the child's death (a death event about the
child, or ``RuleContext.child_died_on``) ends every clock, so nothing is due on
or after it, and entries after it start nothing. Chains pause while the child
is recorded outside England (``abroad``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from chronicle.core.abroad import periods_away
from chronicle.core.agency_kinds import guess_agency_type
from chronicle.core.calendar import ENGLAND, OutsideCalendarError, WorkingCalendar, add_months
from chronicle.core.compliance.findings import (
    OUTSIDE_CALENDAR,
    UNVERIFIABLE_TIME,
    UNVERIFIED_RULE,
    EntryRef,
    Finding,
    Status,
)
from chronicle.core.compliance.rules import Deadline, Rule, Unit
from chronicle.core.dates import Precision
from chronicle.core.entries import Entry, EntryKind
from chronicle.core.event_types import EVENT_TYPES, label
from chronicle.core.events import Event, Injury, ReferralSaid, Subject
from chronicle.core.plain_words import dates_in_words


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What the rules need to know beyond the entries: the child, the agencies and the partnership's settings."""

    child_born_on: dt.date | None = None
    calendar: WorkingCalendar = ENGLAND
    cp_visit_interval_working_days: int | None = 10  # CJ-08, local; None: agencies judge
    strategy_discussion_max_working_days: int | None = 3  # CJ-02, local [S] Bexley; None: agencies judge
    non_mobile_age_months: int = 6  # SH-INJ-NIM: every baby under this age counts as non-mobile
    local_parameters: Mapping[str, int] = field(default_factory=dict)  # rule id -> deadline amount
    child_died_on: dt.date | None = None  # without it, a death event about the child in the record is used
    agency_types: Mapping[str, str] = field(default_factory=dict)  # agency name -> type; else guessed from it
    context_agencies: Collection[str] = ()  # rows that are not an agency's record (family, court, media)

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


_UNCODED: frozenset[str | None] = frozenset({None})
_NONE: frozenset[str] = frozenset()
NOTHING_ASSERTED: frozenset[str | None] = frozenset({"nothing_asserted"})  # read, but nothing happened
_CODE_ORDER = {code: rank for rank, code in enumerate(EVENT_TYPES)}
BIRTH_NOTICE_DAYS = 14  # a birth recorded this long after the date of birth is still the child's
_ABOUT_CHILD = frozenset({Subject.CHILD, Subject.UNKNOWN})  # records usually leave the child unnamed


def _code_order(code: str | None) -> int:
    return _CODE_ORDER.get(code or "", len(_CODE_ORDER))


@dataclass(frozen=True, slots=True)
class InjuryRead:
    """What an entry's injury events about the child say, taken together."""

    kinds: frozenset[str]
    sites: frozenset[str]
    explained: bool  # an account or explanation was given (and so, often, accepted)
    referral_made: bool
    referral_not_made: bool


def _injury_read(injuries: Sequence[Injury]) -> InjuryRead:
    return InjuryRead(
        frozenset(k for injury in injuries for k in injury.kinds),
        frozenset(s for injury in injuries for s in injury.sites),
        any(injury.explained for injury in injuries),
        any(injury.referral is ReferralSaid.MADE for injury in injuries),
        any(injury.referral is ReferralSaid.NOT_MADE for injury in injuries),
    )


@dataclass(frozen=True, slots=True)
class Series:
    """Entries of some event types, sorted by the last day their date could mean."""

    indexes: list[int]
    ends: list[int]  # date.end ordinals, ascending
    starts: list[int]  # date.start ordinals in the same order


class Index:
    def __init__(
        self,
        entries: Sequence[Entry],
        context: RuleContext,
        events: Sequence[Sequence[Event]],
        in_date_order: bool = False,
    ) -> None:
        if len(events) != len(entries):
            raise ValueError(f"events has {len(events)} items for {len(entries)} entries")
        self.entries = entries
        self.context = context
        self.calendar = context.calendar
        context_agencies = frozenset(context.context_agencies)
        self.types: list[frozenset[str | None]] = []
        self.negated: list[frozenset[str]] = []  # types the entry says did not happen to the child
        self.planned: list[frozenset[str]] = []  # types planned, asked for or not yet done for the child
        self.others: list[frozenset[str]] = []  # types asserted about a parent, carer or another adult
        self.injuries: dict[int, InjuryRead] = {}
        self.is_context: list[bool] = []
        adults = (Subject.PARENT_OR_CARER, Subject.OTHER_ADULT)
        for i, found in enumerate(events):
            # Named as context by the caller, or kept as context when imported (family, court, media).
            self.is_context.append(
                entries[i].agency in context_agencies or entries[i].kind is EntryKind.CONTEXT
            )
            if not found:
                self.types.append(_UNCODED)
                self.negated.append(_NONE)
                self.planned.append(_NONE)
                self.others.append(_NONE)
                continue
            asserted_codes, negated, planned, others = set(), set(), set(), set()
            injuries: list[Injury] = []
            coded = False
            for e in found:
                if e.subject in _ABOUT_CHILD:
                    if e.historical:
                        continue
                    if e.negated:
                        negated.add(e.type)
                    elif e.hypothetical:
                        planned.add(e.type)
                    else:
                        asserted_codes.add(e.type)
                        if e.type == "injury_observed":
                            coded = coded or e.source == "agency"
                            if e.injury:
                                injuries.append(e.injury)
                elif e.subject in adults and e.asserted:
                    others.add(e.type)
            asserted = frozenset(asserted_codes)
            self.types.append(frozenset[str | None](asserted) if asserted else NOTHING_ASSERTED)
            self.negated.append(frozenset(negated) if negated else _NONE)
            self.planned.append(frozenset(planned) if planned else _NONE)
            self.others.append(frozenset(others) if others else _NONE)
            if "injury_observed" in asserted:
                read = _injury_read(injuries)
                # An injury counts when the agency coded it so, or the words give its kind: "marks" with
                # no kind read (a birthmark, "skin - no marks") is not taken as an injury.
                if read.kinds or coded:
                    self.injuries[i] = read
        self.by_type: dict[str | None, list[int]] = {}
        for i, codes in enumerate(self.types):
            for code in codes:
                self.by_type.setdefault(code, []).append(i)
        self._series: dict[tuple[str | None, ...], Series] = {}
        self.memo: dict[str, object] = {}  # what one kind of rule works out once for its several families
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
        self.died_on = context.child_died_on or self._death_date()
        # Chains pause while the child is recorded outside England.
        self.away = periods_away(entries, self.types, context_agencies)

    def _birth_date(self) -> dt.date | None:
        births = [
            self.entries[i].date
            for i in self.by_type.get("birth", [])
            if self.entries[i].date.is_exact and not self.is_context[i]
        ]
        return min((d.start for d in births), default=None)

    def _death_date(self) -> dt.date | None:
        deaths = [
            self.entries[i].date for i in self.by_type.get("death", []) if self.entries[i].date.is_exact
        ]
        return min((d.start for d in deaths), default=None)

    # --- The child's life and the agencies ---

    def agency_type(self, i: int) -> str:
        agency = self.entries[i].agency
        given = self.context.agency_types.get(agency)
        return given if given else _guessed_type(agency)

    def starts_nothing(self, i: int) -> bool:
        """Context rows, death entries and anything after the child's death start no clock."""
        if self.is_context[i] or "death" in self.types[i]:
            return True
        return self.died_on is not None and self.start_day[i] > self.died_on

    def cut_by_death(self, due: dt.date | None) -> bool:
        """True when a step would fall due on or after the child's death: nothing is due then."""
        return self.died_on is not None and due is not None and due >= self.died_on

    def is_childs_birth(self, i: int) -> bool:
        """A birth entry about the child: on the known date of birth or in the fortnight after (a notification)."""
        born = self.context.child_born_on
        if born is None:
            return True
        return born <= self.start_day[i] and self.end_day[i] <= born + dt.timedelta(days=BIRTH_NOTICE_DAYS)

    def age_in_months(self, i: int) -> int | None:
        born, day = self.born_on, self.start_day[i]
        if born is None or day < born:
            return None
        months = (day.year - born.year) * 12 + day.month - born.month
        return months - (1 if day.day < born.day else 0)

    # --- Finding entries ---

    def describe(self, i: int) -> str:
        """What the entry is and where to find it, for messages."""
        cached = self._described.get(i)
        if cached is None:
            entry = self.entries[i]
            staff = " (information from staff)" if entry.kind is EntryKind.PRACTITIONER else ""
            codes = [code for code in self.types[i] if code in EVENT_TYPES]
            kinds = " and ".join(label(code) for code in sorted(codes, key=_code_order)) or "Entry"
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

    def series(self, types: tuple[str | None, ...]) -> Series:
        cached = self._series.get(types)
        if cached is None:
            chosen = [i for i in self.of_types(types) if not self.is_context[i]]
            chosen.sort(key=lambda i: (self.end_day[i], self.start_day[i], i))
            cached = self._series[types] = Series(
                chosen,
                [self.end_day[i].toordinal() for i in chosen],
                [self.start_day[i].toordinal() for i in chosen],
            )
        return cached

    def first_ending_on_or_after(
        self, series: Series, day: dt.date, skip: int | None = None, start_after: dt.date | None = None
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

    def first_starting_after(self, series: Series, day: dt.date) -> int | None:
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

    def between(self, series: Series, low: dt.date, high: dt.date) -> list[int]:
        """Entries of a series dated within [low, high], in date order."""
        position = bisect_left(series.ends, low.toordinal())
        found = []
        while position < len(series.indexes) and series.ends[position] <= high.toordinal():
            if series.starts[position] >= low.toordinal():
                found.append(series.indexes[position])
            position += 1
        return found

    # --- Counting ---

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        return start if n <= 0 else self.calendar.add_working_days(start, n)

    def due(self, start: dt.date, deadline: Deadline, amount: int, at: dt.time | None = None) -> dt.date:
        if deadline.unit is Unit.WORKING_DAYS:
            return self.add_working_days(start, amount)
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


@lru_cache(maxsize=1024)
def _guessed_type(agency: str) -> str:
    return guess_agency_type(agency)


# --- Judging one trigger against its evidence (WD-06) ---


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    reason: str
    flags: tuple[str, ...] = ()


def judge(
    ix: Index, trigger: Entry, evidence: Entry, deadline: Deadline, due: dt.date, lookback_days: int = 0
) -> Verdict:
    """Met, not met or borderline for evidence against a day-dated trigger (WD-06)."""
    t = trigger.date.start
    start, end = evidence.date.start, evidence.date.end
    earliest = t - dt.timedelta(days=lookback_days)
    if deadline.unit is Unit.SAME_DAY:
        return judge_same_day(trigger, evidence, earliest)
    if deadline.unit is Unit.HOURS:
        return judge_hours(trigger, evidence, deadline.amount)
    limit = ix.add_working_days(due, 1)  # one working day after the deadline: the borderline zone
    uncertain = trigger.date.uncertain or evidence.date.uncertain
    if end <= due:
        if start < earliest:
            return Verdict(
                Status.BORDERLINE,
                f"it is dated only {evidence.date.display()}, which may be before the trigger",
            )
        if uncertain and end >= ix.calendar.previous_working_day(due):
            return Verdict(
                Status.BORDERLINE,
                "a date marked uncertain falls within one working day of the deadline",
            )
        return Verdict(Status.MET, "within the deadline")
    if start > limit:
        late = ix.calendar.working_days_between(due, start)
        return Verdict(Status.NOT_MET, f"{late} working day{'s' if late != 1 else ''} after the deadline")
    if evidence.date.precision is not Precision.DAY:
        return Verdict(
            Status.BORDERLINE,
            f"it is dated only {evidence.date.display()}, a span that straddles the deadline",
        )
    return Verdict(Status.BORDERLINE, "one working day after the deadline (the WD-06 borderline)")


def judge_same_day(trigger: Entry, evidence: Entry, earliest: dt.date) -> Verdict:
    t = trigger.date.start
    if evidence.date.precision is not Precision.DAY:
        if earliest <= evidence.date.start and evidence.date.end <= t:
            return Verdict(Status.MET, "on or just before the day")
        if evidence.date.start > t + dt.timedelta(days=1):
            return Verdict(Status.NOT_MET, "on a later day")
        return Verdict(
            Status.CANNOT_BE_DETERMINED, f"it is dated only {evidence.date.display()}, so the day is unknown"
        )
    days = (evidence.date.start - t).days
    if days <= 0:
        return Verdict(Status.MET, "the same day" if days == 0 else "already on the day before")
    if days == 1:
        if trigger.time and evidence.time:
            hours = (
                dt.datetime.combine(evidence.date.start, evidence.time) - dt.datetime.combine(t, trigger.time)
            ).total_seconds() / 3600
            if hours <= 24:
                return Verdict(Status.BORDERLINE, f"the next day, {hours:.0f} hours later (WD-06 borderline)")
            return Verdict(Status.NOT_MET, f"the next day, {hours:.0f} hours later")
        return Verdict(
            Status.CANNOT_BE_DETERMINED,
            "the next day; no times are recorded, so whether it was within a day cannot be shown",
            (UNVERIFIABLE_TIME,),
        )
    return Verdict(Status.NOT_MET, f"{days} days later")


def judge_hours(trigger: Entry, evidence: Entry, hours_allowed: int) -> Verdict:
    if not (trigger.date.precision is Precision.DAY and evidence.date.precision is Precision.DAY):
        return Verdict(Status.CANNOT_BE_DETERMINED, "a date is not recorded to the day", (UNVERIFIABLE_TIME,))
    t, e = trigger.date.start, evidence.date.start
    if trigger.time and evidence.time:
        hours = (
            dt.datetime.combine(e, evidence.time) - dt.datetime.combine(t, trigger.time)
        ).total_seconds() / 3600
        if hours <= hours_allowed:
            return Verdict(Status.MET, f"{hours:.1f} hours later")
        if hours <= hours_allowed + 1:
            return Verdict(Status.BORDERLINE, f"{hours:.1f} hours later, within an hour of the limit")
        return Verdict(Status.NOT_MET, f"{hours:.1f} hours later")
    days = (e - t).days
    if (days + 1) * 24 <= hours_allowed:
        return Verdict(Status.MET, "within the limit whatever the times")
    if (days - 1) * 24 >= hours_allowed:
        return Verdict(Status.NOT_MET, f"{days} days later")
    return Verdict(
        Status.CANNOT_BE_DETERMINED,
        "no times are recorded, so the hours between them cannot be counted",
        (UNVERIFIABLE_TIME,),
    )


# --- Building findings ---


class Builder:
    """Collects findings with their messages and six-heading prefill."""

    def __init__(self, ix: Index) -> None:
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
        related: Sequence[int] = (),
    ) -> None:
        ix = self.ix
        # The child's life is the scope: nothing starts after the death, and nothing is due on or after it.
        if ix.starts_nothing(trigger):
            return
        if ix.cut_by_death(due):
            return
        deadline = deadline or rule.deadline
        all_flags = tuple(dict.fromkeys((*flags, *((UNVERIFIED_RULE,) if not rule.verified else ()))))
        regime = rule.regime + (f" ({regime_note})" if regime_note else "")
        practice = _practice_text(rule)
        message = dates_in_words(message)  # every finding's days as people write them: "2 June 2026"
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
                related=tuple(ix.ref(i) for i in related if i not in (trigger, evidence)),
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
def evidence_words(rule: Rule) -> str:
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


def variant(variants: Sequence[Rule], day: dt.date) -> Rule | None:
    for rule in variants:
        if rule.in_force(day):
            return rule
    return None


def span_reason(variants: Sequence[Rule], entry: Entry) -> str:
    text = f"it is dated only {entry.date.display()}, so the clock's start and deadline cannot be fixed"
    first, last = variant(variants, entry.date.start), variant(variants, entry.date.end)
    if first is not last:
        text += " (and the span covers a change of rules)"
    return text


def deadline_words(deadline: Deadline, amount: int) -> str:
    return Deadline(amount, deadline.unit).describe()
