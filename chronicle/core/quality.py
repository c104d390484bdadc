"""Quality checks over one agency's chronology (rulebook §6, CQ-01 to CQ-11).

Each check is a rule with an id, a severity, its source and the rulebook's
verification tag, held as data below. A check produces points a person reads
and acts on; none of them changes an entry. The word lists are deliberately
short and visible: they prompt a second look, they do not judge.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from chronicle.core.composite import entry_span
from chronicle.core.dates import PartialDate, Precision
from chronicle.core.entries import Entry
from chronicle.core.silence import EXPECTED_CONTACT_RULES, CaseContext, expected_contact_gaps, silent_periods

Severity = Literal["error", "warning"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class QualityRule:
    id: str
    title: str
    severity: Severity
    source: str
    tag: str  # the rulebook's verification tag: P, S or G

    @property
    def verified(self) -> bool:
        return self.tag != "G"


QUALITY_RULES: dict[str, QualityRule] = {
    rule.id: rule
    for rule in (
        QualityRule(
            "CQ-01",
            "Dates that are impossible, uncertain or not exact",
            "error",
            "Chronolator date checks",
            "P",
        ),
        QualityRule(
            "CQ-02",
            "Entries out of order or recorded twice",
            "warning",
            "Chronolator ordering checks; design",
            "P",
        ),
        QualityRule(
            "CQ-03", "No source of information", "error", "Chronolator (mandatory column); PD12A", "P"
        ),
        QualityRule(
            "CQ-04",
            "Opinion presented as fact",
            "warning",
            "Glow guidance 'facts (no opinions)'; Walsall 'based on fact'; Panel 2020 annual report",
            "S",
        ),
        QualityRule(
            "CQ-05", "Significant event without action or outcome", "warning", "Morris audit (2014)", "S"
        ),
        QualityRule(
            "CQ-06", "Too many routine entries", "warning", "Devon (2018), Luton, Morris audit (2014)", "S"
        ),
        QualityRule(
            "CQ-07",
            "Gaps: silent periods and contacts the rules expect",
            "warning",
            "Care Inspectorate (2017) 'highlight gaps'; CJ-08, CJ-10, CJ-13",
            "S",
        ),
        QualityRule(
            "CQ-08",
            "Only adverse or only 'significant' events",
            "warning",
            "National Guidance for Child Protection in Scotland 2021, para 3.176; Luton",
            "S",
        ),
        QualityRule(
            "CQ-09",
            "Child not seen or child's voice absent across a plan period",
            "warning",
            "CP visit procedures (Central Bedfordshire, Walsall); Private Fostering Regs 2005 reg 8(3)",
            "S",
        ),
        QualityRule(
            "CQ-10",
            "Analysis absent",
            "warning",
            "National Guidance for Child Protection in Scotland 2021, para 3.175; Research in Practice (2022)",
            "S",
        ),
        QualityRule(
            "CQ-11", "Third-party information not marked as such", "warning", "Sefton procedures", "S"
        ),
    )
}


def _words(*phrases: str) -> re.Pattern[str]:
    """Whole-word phrases, matched against lower-cased text (much faster than ignoring case)."""
    return re.compile(r"(?<!\w)(" + "|".join(phrases) + r")(?!\w)")


# CQ-04: evaluative words that need attribution or evidence.
OPINION_WORDS = _words(
    "disguised compliance",
    "chaotic",
    "not engaging",
    "non-?engag(ing|ement)",
    "disengaged",
    "(appears|appeared|seems|seemed|looked) (fine|well|happy|ok|okay)",
    "uncooperative",
    "un-cooperative",
    "hostile",
    "manipulative",
    "resistant",
    "evasive",
    "neglectful",
    "lazy",
    "good (mum|mother|dad|father|parent|parents)",
    "bad (mum|mother|dad|father|parent|parents)",
    "loving",
    "doting",
    "attention[- ]seeking",
    "volatile",
    "toxic",
    "liar",
    "feckless",
    "over-?anxious",
    "unreasonable",
    "no concerns?",
    "well cared for",
)
# Words that show the statement is someone's account or is backed by what was seen.
ATTRIBUTION_WORDS = _words(
    "said",
    "says",
    "stated",
    "states",
    "reported",
    "reports",
    "told",
    "according to",
    "described",
    "in (the|my|our|his|her) (view|opinion)",
    "felt",
    "believes?",
    "alleged",
    "observed",
    "noted that",
    "because",
    "as evidenced",
    "evidenced by",
    "for example",
    "e\\.g\\.",
    "assessed as",
    "expressed",
    "commented",
    "concluded",
)
_QUOTED = re.compile(r"[\"“”]")

# CQ-06: what counts as routine when nothing marks it as significant.
ROUTINE_TYPES = frozenset({None, "contact", "gp_appointment", "hv_contact", "visit", "other"})
ROUTINE_WORDS = _words(
    "routine",
    "nothing of note",
    "no issues",
    "letter sent",
    "appointment (made|booked|sent|rearranged)",
    "case note",
    "file (review|closed)",
    "voicemail",
    "left (a )?message",
    "admin",
)
ROUTINE_MIN_ENTRIES = 20
ROUTINE_MAX_SHARE = 0.6

# CQ-05: event types that are significant unless the agency says otherwise.
KEY_EVENT_TYPES = frozenset(
    {
        "referral",
        "referral_decision",
        "strategy_discussion",
        "s47_start",
        "s47_outcome",
        "icpc",
        "lac_start",
        "medical",
        "injury_observed",
        "missing_episode",
        "domestic_abuse",
        "school_exclusion",
        "ae_attendance",
        "police_callout",
    }
)

# CQ-08: adverse events and signs of strengths or ordinary progress.
ADVERSE_TYPES = frozenset(
    {
        "injury_observed",
        "police_callout",
        "domestic_abuse",
        "missing_episode",
        "school_exclusion",
        "ae_attendance",
        "death",
    }
)
ADVERSE_WORDS = _words(
    "concerns?",
    "injur\\w*",
    "bruis\\w*",
    "assault\\w*",
    "missing",
    "arrest\\w*",
    "incident",
    "excluded",
    "neglect\\w*",
    "abuse\\w*",
    "violen\\w*",
    "intoxicated",
    "drunk",
    "self-harm\\w*",
    "overdose",
)
STRENGTH_WORDS = _words(
    "attended",
    "engaged",
    "engaging",
    "positive\\w*",
    "good",
    "well",
    "progress\\w*",
    "improv\\w*",
    "thriving",
    "settled",
    "happy",
    "supportive",
    "protective",
    "on track",
    "no concerns",
    "enjoy\\w*",
    "milestones",
    "meeting (his|her|their) needs",
)
ADVERSE_MIN_ENTRIES = 5
ALL_SIGNIFICANT_MIN_ENTRIES = 10

# CQ-11: words that show information came from someone else.
THIRD_PARTY_WORDS = _words(
    "reported that",
    "reports that",
    "told (\\w+ ){0,3}that",
    "said that",
    "according to",
    "informed (by|that)",
    "alleged(ly)?",
    "it is understood",
    "apparently",
    "neighbours? (reported|said|called|rang)",
    "anonymous(ly)?",
    "relayed",
    "second[- ]hand",
    "heard that",
)

PLAN_VISIT_TYPES = frozenset({"visit", "hv_contact", "pf_visit", "core_group"})


@dataclass(frozen=True, slots=True)
class QualityPoint:
    rule_id: str
    severity: Severity
    message: str
    entry_indices: tuple[int, ...] = ()

    @property
    def rule(self) -> QualityRule:
        return QUALITY_RULES[self.rule_id]


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The quality checks' points for one agency's chronology."""

    agency: str
    entry_count: int
    points: list[QualityPoint] = field(default_factory=list)
    checked: tuple[str, ...] = tuple(QUALITY_RULES)

    @property
    def errors(self) -> list[QualityPoint]:
        return [p for p in self.points if p.severity == "error"]

    @property
    def warnings(self) -> list[QualityPoint]:
        return [p for p in self.points if p.severity == "warning"]

    @property
    def rules_passed(self) -> tuple[str, ...]:
        raised = {p.rule_id for p in self.points}
        return tuple(rule_id for rule_id in self.checked if rule_id not in raised)


def _point(
    rule_id: str, message: str, indices: Sequence[int] = (), severity: Severity | None = None
) -> QualityPoint:
    return QualityPoint(rule_id, severity or QUALITY_RULES[rule_id].severity, message, tuple(indices))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# Chronologies repeat themselves ("no reply, card left"), so each distinct text is read once.


class _Memo(Generic[T]):
    """A reading of a text, worked out once per distinct text."""

    def __init__(self, read: Callable[[str], T]) -> None:
        self.read = read
        self.found: dict[str, T] = {}

    def __call__(self, text: str) -> T:
        try:
            return self.found[text]
        except KeyError:
            result = self.found[text] = self.read(text)
            return result


def _once_per_text(texts: Sequence[str], read: Callable[[str], T]) -> list[T]:
    memo = _Memo(read)
    return [memo(text) for text in texts]


def _casefolded(descriptions: Sequence[str]) -> list[str]:
    return _once_per_text(descriptions, str.casefold)


def check_quality(
    entries: Sequence[Entry],
    agency: str | None = None,
    context: CaseContext | None = None,
    event_types: Sequence[str | None] | None = None,
) -> Scorecard:
    """Run CQ-01 to CQ-11 over one agency's chronology, in the order the agency gave it.

    Entry indices in the points refer to ``entries``. ``context`` gives the
    silence threshold and the facts the expected-contact rules need (CQ-07).
    """
    agencies = {e.agency for e in entries}
    if len(agencies) > 1:
        raise ValueError(f"quality checks take one agency's chronology; got {', '.join(sorted(agencies))}")
    name = agency if agency is not None else next(iter(agencies), "")
    types = list(event_types) if event_types is not None else _read_types(entries)
    if len(types) != len(entries):
        raise ValueError(f"event_types has {len(types)} codes for {len(entries)} entries")
    context = context or CaseContext()
    points: list[QualityPoint] = []
    if entries:
        spans = [entry_span(e) for e in entries]
        texts = _casefolded([e.description for e in entries])
        points += _dates(entries)
        points += _order_and_repeats(entries, [_date_order(e.date) for e in entries], texts)
        points += _sources(entries)
        points += _opinion(texts)
        points += _significant_without_outcome(entries, types)
        points += _routine_overload(entries, types, texts)
        points += _gaps(entries, types, context, spans)
        points += _only_adverse(entries, types, texts)
        points += _child_seen_and_heard(entries, types, spans)
        points += _analysis(entries)
        points += _third_party(entries, texts)
    return Scorecard(name, len(entries), points)


def _dates(entries: Sequence[Entry]) -> list[QualityPoint]:
    points = []
    after_recorded = [
        i for i, e in enumerate(entries) if e.recorded_on is not None and e.date.start > e.recorded_on
    ]
    if after_recorded:
        points.append(
            _point(
                "CQ-01",
                f"{_count(len(after_recorded), 'entry is', 'entries are')} dated after the day "
                "they were recorded; check the event date.",
                after_recorded,
            )
        )
    ends_first = [
        i for i, e in enumerate(entries) if e.end_date is not None and e.end_date.end < e.date.start
    ]
    if ends_first:
        points.append(
            _point(
                "CQ-01",
                f"{_count(len(ends_first), 'entry ends', 'entries end')} before they start.",
                ends_first,
            )
        )
    not_exact = [i for i, e in enumerate(entries) if e.date.day is None or e.date.uncertain]  # not is_exact
    if not_exact:
        coarse = sum(entries[i].date.precision is not Precision.DAY for i in not_exact)
        points.append(
            _point(
                "CQ-01",
                f"{_count(len(not_exact), 'entry has', 'entries have')} a date that is uncertain "
                f"or not exact ({coarse} known only to the month or year); confirm the date from the "
                "record where possible.",
                not_exact,
                "warning",
            )
        )
    return points


def _date_order(date: PartialDate) -> tuple[int, int, int]:
    """Sorts as PartialDate.sort_key does (a month-only date after every day of its month, a
    year-only date after every month of its year), but cheaper to work out."""
    if date.month is None:
        return (date.year, 12, 33)
    return (date.year, date.month, date.day if date.day is not None else 32)


def _order_and_repeats(
    entries: Sequence[Entry], keys: Sequence[tuple[int, int, int]], texts: Sequence[str]
) -> list[QualityPoint]:
    points = []
    steps_back = [i for i in range(1, len(keys)) if keys[i] < keys[i - 1]]
    steps_on = [i for i in range(1, len(keys)) if keys[i] > keys[i - 1]]
    # Ascending and descending chronologies are both accepted; steps against the main direction are not.
    out_of_order = steps_back if len(steps_back) <= len(steps_on) else steps_on
    if steps_back and steps_on:
        points.append(
            _point(
                "CQ-02",
                f"{_count(len(out_of_order), 'entry is', 'entries are')} out of date order "
                "(the composite will order them by date).",
                out_of_order,
            )
        )
    seen: dict[tuple[tuple[int, int, int], bool, str], int] = {}
    repeats: list[int] = []
    spaced = _once_per_text(texts, lambda text: " ".join(text.split()))
    for index, entry in enumerate(entries):
        key = (keys[index], entry.date.uncertain, spaced[index])
        if not key[2]:
            continue
        if key in seen:
            repeats += [seen[key], index]
        else:
            seen[key] = index
    if repeats:
        points.append(
            _point(
                "CQ-02",
                "The same event appears more than once with the same date and description; "
                "both are kept: confirm whether they are one event.",
                sorted(set(repeats)),
            )
        )
    return points


def _sources(entries: Sequence[Entry]) -> list[QualityPoint]:
    missing = [i for i, e in enumerate(entries) if not e.source.strip()]
    if not missing:
        return []
    return [
        _point(
            "CQ-03",
            f"{_count(len(missing), 'entry has', 'entries have')} no source of information "
            "(the document, system record or person it came from).",
            missing,
        )
    ]


def _opinion(texts: Sequence[str]) -> list[QualityPoint]:
    flagged: list[int] = []
    words: set[str] = set()
    for index, found in enumerate(_once_per_text(texts, _unattributed_opinion)):
        if found:
            flagged.append(index)
            words.update(found)
    if not flagged:
        return []
    return [
        _point(
            "CQ-04",
            f"{_count(len(flagged), 'entry uses', 'entries use')} evaluative words "
            f"({', '.join(sorted(words))}) without saying whose view it is or what was seen.",
            flagged,
        )
    ]


def _unattributed_opinion(text: str) -> tuple[str, ...]:
    """The evaluative words of a text that says neither whose view it is nor what was seen."""
    found = tuple(match.group() for match in OPINION_WORDS.finditer(text))
    if found and not ATTRIBUTION_WORDS.search(text) and not _QUOTED.search(text):
        return found
    return ()


def _significant_without_outcome(entries: Sequence[Entry], types: Sequence[str | None]) -> list[QualityPoint]:
    flagged = [
        i
        for i, e in enumerate(entries)
        if (e.significant is True or (e.significant is None and types[i] in KEY_EVENT_TYPES))
        and not e.action.strip()
        and not e.outcome.strip()
    ]
    if not flagged:
        return []
    return [
        _point(
            "CQ-05",
            f"{_count(len(flagged), 'significant event has', 'significant events have')} "
            "no action taken or outcome recorded.",
            flagged,
        )
    ]


def _routine_overload(
    entries: Sequence[Entry], types: Sequence[str | None], texts: Sequence[str]
) -> list[QualityPoint]:
    routine_words = _Memo(lambda text: ROUTINE_WORDS.search(text) is not None)
    routine = [
        i
        for i, e in enumerate(entries)
        if e.significant is not True
        and not e.significance.strip()
        and (types[i] in ROUTINE_TYPES or routine_words(texts[i]))
    ]
    share = len(routine) / len(entries)
    if len(entries) < ROUTINE_MIN_ENTRIES or share <= ROUTINE_MAX_SHARE:
        return []
    return [
        _point(
            "CQ-06",
            f"{share:.0%} of entries are routine contacts with no significance recorded; a chronology is "
            "not a list of everything on the file. Say why they matter, or leave out those that do not.",
            routine,
        )
    ]


def _gaps(
    entries: Sequence[Entry],
    types: Sequence[str | None],
    context: CaseContext,
    spans: Sequence[tuple[dt.date, dt.date]],
) -> list[QualityPoint]:
    points = []
    for period in silent_periods(
        entries, context.silence_threshold_days, context.period_start, context.period_end, spans
    ):
        bounds = [i for i in (period.before_index, period.after_index) if i is not None]
        points.append(
            _point(
                "CQ-07",
                f"No entries from {period.start.strftime('%d/%m/%Y')} to {period.end.strftime('%d/%m/%Y')} "
                f"({period.days} days); was there really no contact?",
                bounds,
            )
        )
    # A rule applies to this chronology only if the agency records the contact it expects.
    recorded = set(types)
    evidence = {"CJ-08": "visit", "CJ-10": "visit", "CJ-13": "hv_contact"}
    for gap in expected_contact_gaps(entries, context, types):
        if evidence[gap.rule_id] not in recorded:
            continue
        bounds = [i for i in (gap.trigger_index, gap.next_index) if i is not None]
        rule = EXPECTED_CONTACT_RULES[gap.rule_id]
        points.append(_point("CQ-07", f"{gap.rule_id} ({rule.title}): {gap.message}", bounds))
    return points


def _only_adverse(
    entries: Sequence[Entry], types: Sequence[str | None], texts: Sequence[str]
) -> list[QualityPoint]:
    points = []
    if len(entries) >= ADVERSE_MIN_ENTRIES:

        def adverse(i: int, entry: Entry) -> bool:
            return bool(
                (types[i] in ADVERSE_TYPES or ADVERSE_WORDS.search(texts[i]))
                and not STRENGTH_WORDS.search(f"{texts[i]} {entry.outcome.casefold()}")
            )

        if all(adverse(i, e) for i, e in enumerate(entries)):  # stops at the first ordinary entry
            points.append(
                _point(
                    "CQ-08",
                    "Every entry records an adverse event or a concern; a chronology should show strengths, "
                    "progress and ordinary contact too.",
                )
            )
    if len(entries) >= ALL_SIGNIFICANT_MIN_ENTRIES and all(e.significant is True for e in entries):
        points.append(
            _point(
                "CQ-08",
                "Every entry is marked significant: this may be a significant-events extract. Consider "
                "asking for the full contact record for the period.",
            )
        )
    return points


def _child_seen_and_heard(
    entries: Sequence[Entry], types: Sequence[str | None], spans: Sequence[tuple[dt.date, dt.date]]
) -> list[QualityPoint]:
    order = sorted(range(len(entries)), key=lambda i: (spans[i][1], spans[i][0], i))
    periods: list[tuple[int, int | None]] = []  # (plan start index, plan end index)
    open_start: int | None = None
    for index in order:
        if types[index] == "cp_plan_start" and open_start is None:
            open_start = index
        elif types[index] == "cp_plan_end" and open_start is not None:
            periods.append((open_start, index))
            open_start = None
    if open_start is not None:
        periods.append((open_start, None))

    def heard(i: int) -> bool:
        return entries[i].child_seen is True or bool(entries[i].child_voice.strip())

    points = []
    for start_index, end_index in periods:
        first = spans[start_index][0]
        last = spans[end_index][1] if end_index is not None else None
        inside = [i for i in order if spans[i][1] >= first and (last is None or spans[i][0] <= last)]
        if not any(heard(i) for i in inside):
            until = (
                entries[end_index].date.display() if end_index is not None else "the end of the chronology"
            )
            points.append(
                _point(
                    "CQ-09",
                    f"No entry during the child protection plan from {entries[start_index].date.display()} "
                    f"to {until} records the child seen or the child's voice.",
                    [i for i in inside if types[i] in PLAN_VISIT_TYPES] or [start_index],
                )
            )
    if not periods:
        visits = [i for i in order if types[i] in PLAN_VISIT_TYPES]
        if visits and not any(heard(i) for i in visits):
            points.append(
                _point(
                    "CQ-09",
                    f"None of the {_count(len(visits), 'visit or contact', 'visits and contacts')} with the "
                    "family records whether the child was seen, or the child's voice.",
                    visits,
                )
            )
    return points


def _analysis(entries: Sequence[Entry]) -> list[QualityPoint]:
    if any(e.significance.strip() for e in entries):
        return []
    return [
        _point(
            "CQ-10",
            "No entry says what the event meant for the child (significance or impact); a chronology "
            "informs analysis, so add it to the key entries.",
        )
    ]


def _third_party(entries: Sequence[Entry], texts: Sequence[str]) -> list[QualityPoint]:
    third_party_words = _Memo(lambda text: THIRD_PARTY_WORDS.search(text) is not None)
    flagged = [i for i, e in enumerate(entries) if e.first_hand is None and third_party_words(texts[i])]
    if not flagged:
        return []
    return [
        _point(
            "CQ-11",
            f"{_count(len(flagged), 'entry reports', 'entries report')} what someone else said or saw "
            "but is not marked as third-party information.",
            flagged,
        )
    ]


def _read_types(entries: Sequence[Entry]) -> list[str | None]:
    """Types read from the entries' words when none are given (imported here: the reader loads spaCy)."""
    from chronicle.core.extract import read_types

    return read_types(entries)
