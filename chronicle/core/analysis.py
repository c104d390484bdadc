"""The whole analysis of a composite chronology in one call.

``analyse`` merges every agency's entries into date order and runs, once each:
the events each entry mentions, clusters of entries recording one event (and
the conflicts inside them), silent periods, expected-contact gaps, the
compliance rules (a finding about one event made once per cluster, naming
every account) and the quality checks for each agency. The web app and the ``chronicle merge`` and ``chronicle analyse``
commands all call it, so they all say the same thing.

Nothing here changes an entry. The events each entry mentions (read by
``chronicle.core.extract``, or given when already stored) are kept beside it
(``events``), with the words they were read from; the agency's own code is
always one of them. The rules, duplicates and quality checks index each entry
under every type it asserts about the child (``events.asserted_types``): not
negated, not planned, not in passing, not about a sibling or an adult.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

from chronicle.core.abroad import periods_away
from chronicle.core.calendar import ENGLAND, WorkingCalendar
from chronicle.core.compliance import Finding, RuleContext, Status, evaluate_merged, findings_to_json
from chronicle.core.composite import CompositeSummary, summarise
from chronicle.core.duplicates import Cluster, Link, find_clusters
from chronicle.core.entries import Entry, EntryKind
from chronicle.core.events import Event, asserted_types, describe_events, primary_type
from chronicle.core.extract import extract_many, source_of
from chronicle.core.quality import QUALITY_RULES, QualityPoint, Scorecard, check_quality
from chronicle.core.silence import (
    DEFAULT_SILENCE_DAYS,
    CaseContext,
    ExpectedContactGap,
    SilentPeriod,
    expected_contact_gaps,
    silent_periods,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Analysis:
    """A merged chronology and everything found in it. Every index refers to ``entries``."""

    entries: list[Entry]  # all agencies, in date order, exactly as the agencies recorded them
    events: list[tuple[Event, ...]]  # per entry: the agency's own code, then what its words say
    primary_types: list[str | None]  # per entry: the agency's own code, else the main type asserted
    clusters: list[Cluster]  # entries that seem to record one event, and the conflicts between them
    silent_periods: list[SilentPeriod]  # stretches with no entry from any agency
    expected_contact_gaps: list[ExpectedContactGap]  # CJ-08, CJ-10, CJ-13 contacts the record lacks
    findings: list[Finding]  # compliance proposals, in date order
    scorecards: dict[str, Scorecard]  # quality checks per agency, agencies by name
    # For each agency, the composite index of each of its entries in the order the agency gave them:
    # quality points count entries that way (CQ-02 looks at the agency's own order). Context entries
    # (a court, the family's account) are no agency's record and are left out.
    agency_positions: dict[str, list[int]]
    child_born_on: dt.date | None = None
    # Per finding: every account of its event that gave the same finding, its trigger first.
    finding_accounts: list[tuple[int, ...]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    @property
    def event_types(self) -> list[str | None]:
        """One code per entry (or None) for lists and filters: the agency's own, else the main type asserted."""
        return self.primary_types

    @property
    def asserted(self) -> list[frozenset[str]]:
        """Per entry, every type it asserts about the child: what the rules read."""
        return [asserted_types(events) for events in self.events]

    def describe_events(self, index: int) -> str:
        """The entry's events in plain words, with the words each was read from."""
        return describe_events(self.events[index])

    @property
    def links(self) -> list[Link]:
        """Each cluster's later accounts linked with its first, then the conflicts: one link per pair."""
        return self.duplicates + self.conflicts

    @property
    def duplicates(self) -> list[Link]:
        """Later accounts that agree with their cluster's first account (corroboration)."""
        return [link for cluster in self.clusters for link in cluster.links if link.kind == "duplicate"]

    @property
    def conflicts(self) -> list[Link]:
        """Pairs of accounts of one event that differ."""
        return [link for cluster in self.clusters for link in cluster.conflicts]

    def cluster_of(self) -> dict[int, Cluster]:
        """Each clustered entry's cluster."""
        return {index: cluster for cluster in self.clusters for index in cluster.members}

    def accounts_of(self, finding_number: int) -> tuple[int, ...]:
        """Every account of the finding's event that gave it, its trigger first."""
        if finding_number < len(self.finding_accounts):
            return self.finding_accounts[finding_number]
        return (self.findings[finding_number].trigger_index,)

    @property
    def agencies(self) -> list[str]:
        """Every name in the agency column, context sources (a court, the family) included."""
        return sorted({entry.agency for entry in self.entries})

    def is_inferred(self, index: int) -> bool:
        """True when the entry's events were read from its text, none given by the agency."""
        return not any(e.source == "agency" for e in self.events[index])

    def point_entries(self, agency: str, point: QualityPoint) -> list[int]:
        """The composite indices of the entries a quality point is about."""
        positions = self.agency_positions[agency]
        return [positions[i] for i in point.entry_indices]

    def findings_by_status(self) -> dict[str, int]:
        counts = Counter(f.status.value for f in self.findings)
        return {status.value: counts[status.value] for status in Status if counts[status.value]}

    def summary(self) -> CompositeSummary:
        types = self.event_types
        position = {id(entry): i for i, entry in enumerate(self.entries)}
        return summarise(self.entries, event_type_of=lambda e: types[position[id(e)]])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: the analysis builds many small objects and no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyse(
    entries: Sequence[Entry],
    *,
    child_born_on: dt.date | None = None,
    calendar: WorkingCalendar = ENGLAND,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    silence_threshold_days: int = DEFAULT_SILENCE_DAYS,
    duplicate_window_days: int = 3,
    duplicate_threshold: int = 80,
    conflict_threshold: int = 90,
    cp_visit_interval_working_days: int = 10,
    strategy_discussion_max_working_days: int | None = 3,
    non_mobile_age_months: int = 6,
    local_parameters: Mapping[str, int] | None = None,
    events: Sequence[tuple[Event, ...]] | None = None,
    agency_types: Mapping[str, str] | None = None,
    processes: int = 1,
    child_died_on: dt.date | None = None,
    context_agencies: Collection[str] = (),
) -> Analysis:
    """Merge every agency's entries and run every check once.

    ``entries`` may come from any number of agencies, each in the order the
    agency gave them. ``child_born_on`` lets the rules work out the child's age
    (e.g. a bruise on a baby under six months, SH-INJ-NIM); without it a birth
    entry in the record is used. ``period_start``/``period_end`` bound the
    period the chronology covers, so silence at either end counts too.
    The other parameters are the partnership's local settings (see
    ``compliance.RuleContext`` and ``silence.CaseContext``). Raises ValueError
    naming the setting at fault.

    ``events`` gives each entry's events, in the order of ``entries`` (the web
    app passes the stored ones); without it they are read here, with
    ``agency_types`` (agency name to agency type) as evidence and over
    ``processes`` worker processes, which also share the search for clusters.

    ``child_died_on`` ends every clock (a death entry about the child does the
    same); ``context_agencies`` names rows that are not an agency's record
    (family background, court, coroner, media), which start no clock.
    """
    timings: dict[str, float] = {}

    def timed(stage: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = work()
        timings[stage] = time.perf_counter() - started
        return result

    case = CaseContext(
        child_born_on=child_born_on,
        child_died_on=child_died_on,
        visit_interval_working_days=cp_visit_interval_working_days,
        silence_threshold_days=silence_threshold_days,
        period_start=period_start,
        period_end=period_end,
        calendar=calendar,
    )
    rules = RuleContext(
        child_born_on=child_born_on,
        calendar=calendar,
        cp_visit_interval_working_days=cp_visit_interval_working_days,
        strategy_discussion_max_working_days=strategy_discussion_max_working_days,
        non_mobile_age_months=non_mobile_age_months,
        local_parameters=dict(local_parameters or {}),
        child_died_on=child_died_on,
        agency_types=dict(agency_types or {}),
        context_agencies=frozenset(context_agencies),
    )
    for name, value in (
        ("duplicate_window_days", duplicate_window_days),
        ("duplicate_threshold", duplicate_threshold),
        ("conflict_threshold", conflict_threshold),
    ):
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number (0 or more), not {value!r}")

    with _collector_paused():
        given = list(entries)
        order: list[int] = timed("merge", lambda: _date_order(given))
        merged = [given[i] for i in order]
        position = [0] * len(given)
        for composite_index, given_index in enumerate(order):
            position[given_index] = composite_index

        if events is not None and len(events) != len(given):
            raise ValueError(f"events has {len(events)} items for {len(given)} entries")

        def read_events() -> list[tuple[Event, ...]]:
            if events is not None:
                return [tuple(events[i]) for i in order]
            kinds = agency_types or {}
            return extract_many([source_of(e, kinds.get(e.agency, "")) for e in merged], processes=processes)

        merged_events = timed("events", read_events)
        asserted = [asserted_types(found) for found in merged_events]
        types = [primary_type(found, codes) for found, codes in zip(merged_events, asserted, strict=True)]
        clusters = timed(
            "clusters",
            lambda: find_clusters(
                merged,
                window_days=duplicate_window_days,
                threshold=duplicate_threshold,
                conflict_threshold=conflict_threshold,
                event_types=types,
                processes=processes,
            ),
        )
        quiet = timed(
            "silent_periods",
            lambda: silent_periods(merged, silence_threshold_days, period_start, period_end),
        )
        away = periods_away(merged, asserted, context_agencies)
        gaps = timed("expected_contacts", lambda: expected_contact_gaps(merged, case, types, away))

        def compliance() -> list[Finding]:
            # The rules take each entry's events beside it, so the agencies' own entries are never copied.
            return evaluate_merged(merged, merged_events, rules)

        evaluated = timed("compliance", compliance)
        findings, finding_accounts = timed("once_per_event", lambda: once_per_event(evaluated, clusters))

        def quality() -> tuple[dict[str, Scorecard], dict[str, list[int]]]:
            by_agency: dict[str, list[int]] = {}
            for given_index, entry in enumerate(given):
                # Context (kept as context when imported, or named so by the caller) is no agency's
                # record: no scorecard.
                if entry.kind is not EntryKind.CONTEXT and entry.agency not in context_agencies:
                    by_agency.setdefault(entry.agency, []).append(position[given_index])
            cards = {
                agency: check_quality(
                    [merged[i] for i in by_agency[agency]],
                    agency,
                    case,
                    event_types=[types[i] for i in by_agency[agency]],
                )
                for agency in sorted(by_agency)
            }
            return cards, {agency: by_agency[agency] for agency in sorted(by_agency)}

        scorecards, agency_positions = timed("quality", quality)

    return Analysis(
        entries=merged,
        events=merged_events,
        primary_types=types,
        clusters=clusters,
        silent_periods=quiet,
        expected_contact_gaps=gaps,
        findings=findings,
        scorecards=scorecards,
        agency_positions=agency_positions,
        child_born_on=child_born_on,
        finding_accounts=finding_accounts,
        timings=timings,
    )


def once_per_event(
    findings: Sequence[Finding], clusters: Sequence[Cluster]
) -> tuple[list[Finding], list[tuple[int, ...]]]:
    """One finding per event: a rule's findings of one status on accounts of one cluster become one.

    The same referral recorded by police and by children's social care is one event: the rule's
    "not met" is said once, on the first account, naming every account. Findings of different
    statuses on one event are all kept, so a disagreement between the accounts stays visible.
    Returns the findings kept (order unchanged) and, for each, the accounts it names (trigger first).
    """
    cluster_number = {index: n for n, cluster in enumerate(clusters) for index in cluster.members}
    kept: list[Finding] = []
    accounts: list[list[int]] = []
    place: dict[tuple[int, str, str], int] = {}
    for finding in findings:
        number = cluster_number.get(finding.trigger_index)
        if number is None:
            kept.append(finding)
            accounts.append([finding.trigger_index])
            continue
        key = (number, finding.rule_id, finding.status.value)
        if key in place:
            named = accounts[place[key]]
            if finding.trigger_index not in named:
                named.append(finding.trigger_index)
            continue
        place[key] = len(kept)
        kept.append(finding)
        # The rules may already name the event's other accounts (a referral recorded by several agencies).
        same_event = [r.index for r in finding.related if cluster_number.get(r.index) == number]
        accounts.append([finding.trigger_index, *same_event])
    return kept, [tuple(named) for named in accounts]


def _date_order(entries: Sequence[Entry]) -> list[int]:
    """Indices of the entries in ``Entry.sort_key`` order; stable, so equal keys keep the given order."""
    # The same key as Entry.sort_key, built here without its method calls, which are most of the
    # cost of merging a large case.
    keys = []
    for entry in entries:
        date = entry.date
        precision_rank = (date.day is None) + (date.month is None)  # as Precision.rank
        keys.append(
            (date.end, precision_rank, date.start, entry.time or _MIDNIGHT, entry.agency, entry.row or 0)
        )
    return sorted(range(len(entries)), key=keys.__getitem__)


_MIDNIGHT = dt.time.min


# --- JSON -----------------------------------------------------------------------------------------


RefMaker = Callable[["Analysis", int], dict[str, Any]]


def entry_ref(analysis: Analysis, index: int) -> dict[str, Any]:
    """How people find an entry again: agency, date (ISO with precision) and row, plus its place."""
    entry = analysis.entries[index]
    return {
        "index": index,
        "agency": entry.agency,
        "date": entry.date.isoformat(),
        "row": entry.row,
        "reference": entry.reference(),
    }


def _cached_refs() -> RefMaker:
    """``entry_ref`` worked out once per entry: a crowded case refers to the same entries many times."""
    made: dict[int, dict[str, Any]] = {}

    def ref(of: Analysis, index: int) -> dict[str, Any]:
        found = made.get(index)
        if found is None:
            found = made[index] = entry_ref(of, index)
        return dict(found)  # a copy each time, so no caller's change reaches another

    return ref


def _link_json(analysis: Analysis, link: Link, ref: RefMaker = entry_ref) -> dict[str, Any]:
    return {
        "kind": link.kind,
        "entries": [ref(analysis, link.a_index), ref(analysis, link.b_index)],
        "score": link.score,
        "reasons": list(link.reasons),
    }


def cluster_json(analysis: Analysis, ref: RefMaker = entry_ref) -> list[dict[str, Any]]:
    """Each event recorded more than once: its accounts, in plain words, and where they differ."""
    return [
        {
            "words": cluster.words(analysis.entries),
            "agencies": cluster.agencies(analysis.entries),
            "accounts": [ref(analysis, i) for i in cluster.members],
            "links": [
                {"entry": link.b_index, "kind": link.kind, "score": link.score, "reasons": list(link.reasons)}
                for link in cluster.links
            ],
            "conflicts": len(cluster.conflicts),
        }
        for cluster in analysis.clusters
    ]


# What a finding's rule says whatever the case: given once per rule in "rules", not in each finding,
# so a crowded case's thousands of findings do not repeat their rule's title, regime and sources.
RULE_KEYS = ("title", "regime", "counting", "source", "tag", "verified")


def rules_json(analysis: Analysis) -> dict[str, dict[str, Any]]:
    """Each rule that gave a finding, by id: its title, regime, counting, source and tag."""
    rules: dict[str, dict[str, Any]] = {}
    for f in analysis.findings:
        if f.rule_id not in rules:
            rules[f.rule_id] = {
                "title": f.rule_title,
                "regime": f.regime,
                "counting": f.counting,
                "source": f.source,
                "tag": f.tag,
                "verified": f.verified,
            }
    return rules


def findings_json(analysis: Analysis, ref: RefMaker = entry_ref) -> list[dict[str, Any]]:
    """The findings, each naming its rule by id (the rule's own text is in ``rules_json``) and every
    account of its event that gave it ("accounts")."""
    found = findings_to_json(analysis.findings)
    for number, item in enumerate(found):
        for key in RULE_KEYS:
            del item[key]
        item["accounts"] = [ref(analysis, i) for i in analysis.accounts_of(number)]
    return found


def _ref_or_none(analysis: Analysis, ref: RefMaker, index: int | None) -> dict[str, Any] | None:
    return ref(analysis, index) if index is not None else None


def silent_period_json(analysis: Analysis, ref: RefMaker = entry_ref) -> list[dict[str, Any]]:
    """Silences in the whole record, then contacts the rules expected and the record lacks."""
    found: list[dict[str, Any]] = [
        {
            "kind": "no_entries",
            "rule": None,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "days": period.days,
            "before": _ref_or_none(analysis, ref, period.before_index),
            "after": _ref_or_none(analysis, ref, period.after_index),
            "message": f"No agency recorded anything for {period.days} days.",
        }
        for period in analysis.silent_periods
    ]
    found += [
        {
            "kind": "expected_contact",
            "rule": gap.rule_id,
            "start": gap.start.isoformat(),
            "end": gap.end.isoformat(),
            "days": gap.days,
            "before": _ref_or_none(analysis, ref, gap.trigger_index),
            "after": _ref_or_none(analysis, ref, gap.next_index),
            "due_by": gap.due_by.isoformat(),
            "standing": gap.standing,
            "message": gap.message,
        }
        for gap in analysis.expected_contact_gaps
    ]
    return found


def quality_json(analysis: Analysis, ref: RefMaker = entry_ref) -> dict[str, Any]:
    """Each agency's scorecard: counts, the checks passed, and every point with its entries."""
    result: dict[str, Any] = {}
    for agency, card in analysis.scorecards.items():
        result[agency] = {
            "entries": card.entry_count,
            "errors": len(card.errors),
            "warnings": len(card.warnings),
            "rules_passed": list(card.rules_passed),
            "points": [
                {
                    "rule": point.rule_id,
                    "title": QUALITY_RULES[point.rule_id].title,
                    "severity": point.severity,
                    "message": point.message,
                    "verified": QUALITY_RULES[point.rule_id].verified,
                    "entries": [ref(analysis, i) for i in analysis.point_entries(agency, point)],
                }
                for point in card.points
            ],
        }
    return result


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """Plain dicts for ``chronicle analyse --json``, the JSON export and the web app."""
    ref = _cached_refs()
    return {
        "entries": len(analysis.entries),
        "clusters": cluster_json(analysis, ref),
        "conflicts": [_link_json(analysis, link, ref) for link in analysis.conflicts],
        "silent_periods": silent_period_json(analysis, ref),
        "rules": rules_json(analysis),
        "findings": findings_json(analysis, ref),
        "quality": quality_json(analysis, ref),
    }


def write_analysis_json(analysis: Analysis, out: TextIO) -> None:
    """``analysis_to_json`` written to ``out`` as compact JSON, one item at a time.

    The text is exactly ``json.dumps(analysis_to_json(analysis), ensure_ascii=False,
    separators=(",", ":"))``, but the whole analysis is never held as one dict and one string:
    each entry reference is encoded once however many clusters, conflicts and findings name it,
    and the cycle collector is paused while the many small dicts are built (a crowded case's
    JSON took three times as long with it running).
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
    ref_dicts: dict[int, dict[str, Any]] = {}
    ref_texts: dict[int, str] = {}

    def ref(of: Analysis, index: int) -> dict[str, Any]:
        found = ref_dicts.get(index)
        if found is None:
            found = ref_dicts[index] = entry_ref(of, index)
        return found  # shared, never changed: only written out

    def ref_text(index: int) -> str:
        found = ref_texts.get(index)
        if found is None:
            found = ref_texts[index] = encode(ref(analysis, index))
        return found

    def write_list(items: Iterator[str]) -> None:
        out.write("[")
        batch: list[str] = []
        first = True
        for item in items:
            batch.append(item)
            if len(batch) == 1000:
                out.write(("" if first else ",") + ",".join(batch))
                batch, first = [], False
        if batch:
            out.write(("" if first else ",") + ",".join(batch))
        out.write("]")

    def clusters() -> Iterator[str]:
        entries = analysis.entries
        for cluster in analysis.clusters:
            links = [
                {"entry": link.b_index, "kind": link.kind, "score": link.score, "reasons": list(link.reasons)}
                for link in cluster.links
            ]
            yield (
                f'{{"words":{encode(cluster.words(entries))},"agencies":{encode(cluster.agencies(entries))}'
                f',"accounts":[{",".join(ref_text(i) for i in cluster.members)}]'
                f',"links":{encode(links)},"conflicts":{len(cluster.conflicts)}}}'
            )

    def conflicts() -> Iterator[str]:
        for link in analysis.conflicts:
            yield (
                f'{{"kind":{encode(link.kind)},"entries":[{ref_text(link.a_index)},{ref_text(link.b_index)}]'
                f',"score":{link.score},"reasons":{encode(list(link.reasons))}}}'
            )

    with _collector_paused():
        out.write(f'{{"entries":{len(analysis.entries)},"clusters":')
        write_list(clusters())
        out.write(',"conflicts":')
        write_list(conflicts())
        out.write(f',"silent_periods":{encode(silent_period_json(analysis, ref))}')
        out.write(f',"rules":{encode(rules_json(analysis))},"findings":')
        write_list(encode(item) for item in findings_json(analysis, ref))
        out.write(f',"quality":{encode(quality_json(analysis, ref))}}}')
