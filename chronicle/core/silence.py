"""Silent periods and expected contacts that the record cannot show.

A **silent period** is a stretch of days on which no agency recorded anything.
Partial dates are treated honestly: a month-only entry may mean any day of the
month, so only the days it certainly does not cover can be silent. A silence
is measured from the last day an earlier entry could mean (its span end, or
its end date) to the first day a later entry could mean.

An **expected-contact gap** is a period in which a timescale rule (CJ-08,
CJ-10, CJ-13) expected a contact and the record shows none. Each gap names its
rule; it is a prompt to ask the agency, not a finding of breach. Where a date
is only known to the month, the record gets the benefit of the doubt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from chronicle.core.calendar import ENGLAND, WorkingCalendar, add_months
from chronicle.core.composite import entry_span
from chronicle.core.entries import Entry, EntryKind

DEFAULT_SILENCE_DAYS = 42  # six weeks: the longest usual statutory visiting interval (CJ-10, CJ-12)


@dataclass(frozen=True, slots=True)
class CaseContext:
    """What the analysis needs to know about the case beyond its entries.

    ``visit_interval_working_days`` is the partnership's own CP-visit interval
    (CJ-08 has no national figure; 10 working days is a common local one).
    ``period_end`` is the last day the chronology covers (e.g. the incident
    date); when absent, the last day any entry may mean is used.
    """

    child_born_on: dt.date | None = None
    child_died_on: dt.date | None = None  # nothing is expected on or after it (a death entry does the same)
    visit_interval_working_days: int = 10
    lac_visit_interval_days: int = 42
    lac_first_visit_days: int = 7
    silence_threshold_days: int = DEFAULT_SILENCE_DAYS
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    calendar: WorkingCalendar = field(default=ENGLAND)

    def __post_init__(self) -> None:
        for name in (
            "visit_interval_working_days",
            "lac_visit_interval_days",
            "lac_first_visit_days",
            "silence_threshold_days",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")


@dataclass(frozen=True, slots=True)
class SilentPeriod:
    """Days on which no entry in the list could have happened."""

    start: dt.date
    end: dt.date
    before_index: int | None  # the entry just before the silence (None: the period start)
    after_index: int | None  # the entry that ends it (None: the period end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def silent_periods(
    entries: Sequence[Entry],
    threshold_days: int = DEFAULT_SILENCE_DAYS,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    spans: Sequence[tuple[dt.date, dt.date]] | None = None,
) -> list[SilentPeriod]:
    """Stretches longer than ``threshold_days`` with no entry, in date order.

    Pass one agency's entries for that agency's silences, or the composite for
    "no contact from any agency". Context entries (``EntryKind.CONTEXT``) end no silence. With ``period_start``/``period_end`` the
    silence before the first entry and after the last one counts too.
    ``spans`` may give each entry's ``composite.entry_span`` if already worked out.
    """
    if threshold_days < 0:
        raise ValueError(f"threshold_days must not be negative, got {threshold_days}")
    if spans is None:
        spans = [entry_span(entry) for entry in entries]
    elif len(spans) != len(entries):
        raise ValueError(f"spans has {len(spans)} items for {len(entries)} entries")
    # Context (a court hearing, a newspaper report, the family's account) is not contact with the child.
    ordered = sorted(
        (start, end, index)
        for index, (start, end) in enumerate(spans)
        if entries[index].kind is not EntryKind.CONTEXT
    )
    found: list[SilentPeriod] = []
    covered_to: dt.date | None = None
    covered_by: int | None = None
    if period_start is not None:
        covered_to = period_start - dt.timedelta(days=1)
    for start, end, index in ordered:
        if covered_to is not None and (start - covered_to).days - 1 > threshold_days:
            found.append(
                SilentPeriod(
                    covered_to + dt.timedelta(days=1), start - dt.timedelta(days=1), covered_by, index
                )
            )
        if covered_to is None or end > covered_to:
            covered_to, covered_by = end, index
    if period_end is not None and covered_to is not None and (period_end - covered_to).days > threshold_days:
        found.append(SilentPeriod(covered_to + dt.timedelta(days=1), period_end, covered_by, None))
    return found


@dataclass(frozen=True, slots=True)
class ExpectedContactRule:
    """A timescale rule that expects regular contact, as data (rulebook §4)."""

    id: str
    title: str
    requirement: str
    responsible: str
    standing: str  # "statutory", "local" or "guidance"
    source: str
    tag: str  # the rulebook's verification tag: P, S or G
    mandated_from: dt.date | None = None  # before this date the contact was guidance only

    @property
    def verified(self) -> bool:
        return self.tag != "G"


EXPECTED_CONTACT_RULES: dict[str, ExpectedContactRule] = {
    rule.id: rule
    for rule in (
        ExpectedContactRule(
            "CJ-08",
            "Visits to a child on a child protection plan",
            "The lead social worker visits the child at the interval the partnership sets "
            "(often every 10 working days); there is no national frequency.",
            "Children's social care (lead social worker)",
            "local",
            "Local procedures (Liverpool, Central Bedfordshire, Camden, Walsall, Bolton, Southwark)",
            "S",
        ),
        ExpectedContactRule(
            "CJ-10",
            "Visits to a looked-after child",
            "A visit within one week of the start of any placement, then at intervals of not more than "
            "six weeks in the first year of a placement.",
            "Children's social care (the responsible authority's representative)",
            "statutory",
            "Care Planning, Placement and Case Review (England) Regulations 2010, reg 28(2)",
            "P",
        ),
        ExpectedContactRule(
            "CJ-13",
            "Health visitor contacts for a baby",
            "Universal health visitor contacts: new baby review by 14 days (ideally 10–14 days), "
            "6–8 weeks, 9–12 months and 2–2½ years.",
            "Health visiting service (commissioned by the local authority)",
            "guidance",
            "Healthy Child Programme (2009); mandated for local authorities from October 2015",
            "S",
            mandated_from=dt.date(2015, 10, 1),
        ),
    )
}


@dataclass(frozen=True, slots=True)
class ExpectedContactGap:
    """A period in which a rule expected a contact that the record does not show."""

    rule_id: str
    message: str
    due_by: dt.date  # the last day the contact was expected
    start: dt.date  # first day of the gap (the day after due_by, or the window's first day)
    end: dt.date  # last day of the gap: the day before the next contact, or the period end
    trigger_index: int | None  # the entry that started the clock (plan start, placement, visit)
    next_index: int | None  # the entry that ended the gap, if any
    standing: str  # "statutory", "local", "mandated" or "guidance"

    @property
    def rule(self) -> ExpectedContactRule:
        return EXPECTED_CONTACT_RULES[self.rule_id]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _types_of(entries: Sequence[Entry], event_types: Sequence[str | None] | None) -> list[str | None]:
    if event_types is None:
        return _read_types(entries)
    if len(event_types) != len(entries):
        raise ValueError(f"event_types has {len(event_types)} codes for {len(entries)} entries")
    return list(event_types)


def _period_end(entries: Sequence[Entry], context: CaseContext) -> dt.date | None:
    if context.period_end is not None:
        return context.period_end
    return max((entry_span(e)[1] for e in entries), default=None)


def expected_contact_gaps(
    entries: Sequence[Entry],
    context: CaseContext,
    event_types: Sequence[str | None] | None = None,
) -> list[ExpectedContactGap]:
    """Gaps against CJ-08 (CP visits), CJ-10 (looked-after visits) and CJ-13 (health visiting).

    The child's life is the scope: contacts are expected only from the first entry about the
    child (or ``period_start``), so a record that starts when a family arrived in England
    expects nothing before, and only until the child's death.
    """
    types = _types_of(entries, event_types)
    until = _period_end(entries, context)
    if until is None:
        return []
    # Only the entries these rules look at, in date order, with their spans worked out once.
    order = sorted(
        (i for i, code in enumerate(types) if code in _GAP_TYPES), key=lambda i: entries[i].sort_key()
    )
    spans = {i: entry_span(entries[i]) for i in order}
    deaths = [spans[i][0] for i in order if types[i] == "death"]
    died = min([*deaths, *([context.child_died_on] if context.child_died_on else [])], default=None)
    if died is not None:
        until = min(until, died)
    about_child = [entry_span(entries[i])[0] for i, code in enumerate(types) if code is not None]
    context = replace(
        context,
        child_died_on=died,
        period_start=context.period_start or min(about_child, default=None),
    )
    gaps = _cp_visit_gaps(entries, types, order, spans, context, until)
    gaps += _lac_visit_gaps(entries, types, order, spans, context, until)
    gaps += _health_visiting_gaps(entries, types, order, spans, context, until)
    gaps.sort(key=lambda gap: (gap.start, gap.rule_id))
    return gaps


_GAP_TYPES = frozenset(
    {"cp_plan_start", "cp_plan_end", "visit", "lac_start", "placement_start", "birth", "death", "hv_contact"}
)
Spans = Mapping[int, tuple[dt.date, dt.date]]


def _cp_visit_gaps(
    entries: Sequence[Entry],
    types: Sequence[str | None],
    order: Sequence[int],
    spans: Spans,
    context: CaseContext,
    until: dt.date,
) -> list[ExpectedContactGap]:
    interval = context.visit_interval_working_days
    gaps: list[ExpectedContactGap] = []
    due: dt.date | None = None  # None: no plan open
    trigger: int | None = None

    def overdue(next_day: dt.date, next_index: int | None, ending: str) -> None:
        assert due is not None
        if next_day > due:
            anchor = entries[trigger].date.display() if trigger is not None else "the plan start"
            gaps.append(
                ExpectedContactGap(
                    "CJ-08",
                    f"No visit recorded within {interval} working days of {anchor} (due by "
                    f"{due.strftime('%d/%m/%Y')}); {ending}.",
                    due,
                    due + dt.timedelta(days=1),
                    next_day - dt.timedelta(days=1) if next_index is not None else next_day,
                    trigger,
                    next_index,
                    "local",
                )
            )

    for index in order:
        code = types[index]
        start, end = spans[index]
        if start > until:
            break
        if code == "cp_plan_start" and due is None:
            due, trigger = context.calendar.add_working_days(end, interval), index
        elif code == "visit" and due is not None:
            overdue(start, index, f"the next visit recorded is {entries[index].date.display()}")
            due, trigger = max(due, context.calendar.add_working_days(end, interval)), index
        elif code == "cp_plan_end" and due is not None:
            overdue(start, index, f"the plan ended {entries[index].date.display()}")
            due = trigger = None
    if due is not None and due < until:
        overdue(until, None, f"no later visit is recorded up to {until.strftime('%d/%m/%Y')}")
    return gaps


def _lac_visit_gaps(
    entries: Sequence[Entry],
    types: Sequence[str | None],
    order: Sequence[int],
    spans: Spans,
    context: CaseContext,
    until: dt.date,
) -> list[ExpectedContactGap]:
    gaps: list[ExpectedContactGap] = []
    due: dt.date | None = None  # None: not yet looked after
    trigger: int | None = None
    weeks = context.lac_visit_interval_days // 7

    def overdue(next_day: dt.date, next_index: int | None, ending: str) -> None:
        assert due is not None and trigger is not None
        if next_day > due:
            what = (
                f"within {context.lac_first_visit_days} days of the placement starting {entries[trigger].date.display()}"
                if types[trigger] in {"lac_start", "placement_start"}
                else f"within {weeks} weeks of the visit on {entries[trigger].date.display()}"
            )
            gaps.append(
                ExpectedContactGap(
                    "CJ-10",
                    f"No visit recorded {what} (due by {due.strftime('%d/%m/%Y')}); {ending}.",
                    due,
                    due + dt.timedelta(days=1),
                    next_day - dt.timedelta(days=1) if next_index is not None else next_day,
                    trigger,
                    next_index,
                    "statutory",
                )
            )

    for index in order:
        code = types[index]
        start, end = spans[index]
        if start > until:
            break
        if code in {"lac_start", "placement_start"}:
            first_visit = end + dt.timedelta(days=context.lac_first_visit_days)
            # A visit already due sooner than the new placement's first week keeps its date.
            if due is None or first_visit < due:
                due, trigger = first_visit, index
        elif code == "visit" and due is not None:
            overdue(start, index, f"the next visit recorded is {entries[index].date.display()}")
            due, trigger = end + dt.timedelta(days=context.lac_visit_interval_days), index
    if due is not None and due < until:
        overdue(until, None, f"no later visit is recorded up to {until.strftime('%d/%m/%Y')}")
    return gaps


# (name, window as days or months after birth, whether any contact from birth counts)
HEALTH_VISITING_WINDOWS: tuple[tuple[str, tuple[int, int], str], ...] = (
    ("new baby review", (10, 14), "days"),
    ("6–8 week review", (42, 56), "days"),
    ("9–12 month review", (9, 12), "months"),
    ("2–2½ year review", (24, 30), "months"),
)


def _health_visiting_gaps(
    entries: Sequence[Entry],
    types: Sequence[str | None],
    order: Sequence[int],
    spans: Spans,
    context: CaseContext,
    until: dt.date,
) -> list[ExpectedContactGap]:
    born = context.child_born_on
    birth_index: int | None = None
    for index in order:
        if types[index] == "birth" and entries[index].date.is_exact:
            birth_index = index
            born = born or entries[index].date.start
            break
    if born is None:
        return []
    died = context.child_died_on
    contacts = [(*spans[i], i) for i in order if types[i] == "hv_contact"]
    rule = EXPECTED_CONTACT_RULES["CJ-13"]
    gaps: list[ExpectedContactGap] = []
    for name, (low, high), unit in HEALTH_VISITING_WINDOWS:
        if unit == "days":
            opens, closes = born + dt.timedelta(days=low), born + dt.timedelta(days=high)
        else:
            opens, closes = add_months(born, low), add_months(born, high)
        if closes > until or (died is not None and died <= closes):
            continue  # the window had not closed, or the child had died
        if context.period_start is not None and closes < context.period_start:
            continue  # before the record of the child begins (born abroad, moved into the area later)
        # The new baby review counts from birth: an earlier visit is not a gap.
        counts_from = born if name == "new baby review" else opens
        if any(start <= closes and end >= counts_from for start, end, _ in contacts):
            continue
        mandated = rule.mandated_from is not None and opens >= rule.mandated_from
        standing = "mandated" if mandated else "guidance"
        after = next((i for start, _, i in contacts if start > closes), None)
        note = (
            "mandated for local authorities from October 2015"
            if mandated
            else "an expected contact (guidance only before October 2015), not a statutory breach"
        )
        gaps.append(
            ExpectedContactGap(
                "CJ-13",
                f"No health visitor contact recorded for the {name} "
                f"({opens.strftime('%d/%m/%Y')} to {closes.strftime('%d/%m/%Y')}); {note}.",
                closes,
                counts_from,
                closes,
                birth_index,
                after,
                standing,
            )
        )
    return gaps


def _read_types(entries: Sequence[Entry]) -> list[str | None]:
    """Types read from the entries' words when none are given (imported here: the reader loads spaCy)."""
    from chronicle.core.extract import read_types

    return read_types(entries)
