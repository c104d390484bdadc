"""Case chronologies with an answer key (tests/data/cases/README.md), and how well the analysis finds them.

A case is a folder of agency CSV files and a ``case.json`` naming the child, the
agencies, the key items a review found and the false alarms a reviewer would
strike out. ``analyse_case`` runs the same analysis the composite uses
(``chronicle.core.analysis.analyse``); ``score_case`` says which key items it
found and which false alarms it raised.

A key item is found when a finding of status not met, needs multi-agency
judgement or borderline, or an expected-contact gap, names one of its entries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chronicle.core.analysis import Analysis, analyse
from chronicle.core.compliance.findings import RAISED
from chronicle.core.entries import Entry
from chronicle.core.importing.readers import read_table
from chronicle.core.importing.validate import import_table

# The false-alarm kinds the compliance rules answer for; the others (context rows without a
# scorecard, one finding per event recorded several times) belong to the clusters of accounts.
RULE_ALARM_KINDS = frozenset({"nothing_due_after", "no_finding_from"})


@dataclass(frozen=True, slots=True)
class KeyItem:
    id: str
    found: str  # what the review found, in words
    entries: tuple[str, ...]  # entry refs
    pattern: str


@dataclass(frozen=True, slots=True)
class FalseAlarm:
    id: str
    kind: str
    says: str
    entries: tuple[str, ...] = ()
    agency: str = ""
    date: dt.date | None = None


@dataclass(slots=True)
class Case:
    name: str
    title: str
    born: dt.date | None
    died: dt.date | None
    agency_types: dict[str, str]
    context_agencies: frozenset[str]
    key: list[KeyItem]
    false_alarms: list[FalseAlarm]
    entries: list[Entry] = field(default_factory=list)


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_case(folder: Path) -> Case:
    """Read a case folder; raises ValueError naming the file, row and column of bad data."""
    meta = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    agencies: dict[str, str] = {}
    context: set[str] = set()
    entries: list[Entry] = []
    for file_name, agency in meta["agencies"].items():
        name = agency["name"]
        agencies[name] = agency.get("agency_type", "")
        if agency.get("context"):
            context.add(name)
        result = import_table(read_table((folder / file_name).read_bytes(), file_name), agency=name)
        if result.errors:
            error = result.errors[0]
            raise ValueError(
                f"{folder.name}/{file_name} row {error.row} column {error.column!r}: {error.message}"
            )
        entries += result.entries
    return Case(
        name=folder.name,
        title=meta["title"],
        born=_date(meta["child"].get("born")),
        died=_date(meta["child"].get("died")),
        agency_types=agencies,
        context_agencies=frozenset(context),
        key=[KeyItem(k["id"], k["found"], tuple(k["entries"]), k["pattern"]) for k in meta["key"]],
        false_alarms=[
            FalseAlarm(
                a["id"],
                a["kind"],
                a.get("says", ""),
                tuple(a.get("entries", ())),
                a.get("agency", ""),
                _date(a.get("date")),
            )
            for a in meta["false_alarms"]
        ],
        entries=entries,
    )


def load_cases(root: Path) -> list[Case]:
    return [load_case(folder) for folder in sorted(root.iterdir()) if (folder / "case.json").is_file()]


def analyse_case(case: Case, processes: int = 1) -> Analysis:
    """The analysis the composite page shows, with the case's child and agencies."""
    return analyse(
        case.entries,
        child_born_on=case.born,
        child_died_on=case.died,
        agency_types=case.agency_types,
        context_agencies=case.context_agencies,
        processes=processes,
    )


@dataclass(slots=True)
class CaseScore:
    case: str
    found: dict[str, bool]  # key item id -> found
    raised: dict[str, list[str]]  # false alarm id -> what raised it (empty: absent)
    alarm_kinds: dict[str, str]  # false alarm id -> kind

    def missed(self) -> list[str]:
        return [key for key, hit in self.found.items() if not hit]

    def alarms_raised(self, kinds: frozenset[str] | None = None) -> list[str]:
        return [
            alarm
            for alarm, why in self.raised.items()
            if why and (kinds is None or self.alarm_kinds[alarm] in kinds)
        ]


def score_case(case: Case, analysis: Analysis) -> CaseScore:
    refs = [entry.entry_ref for entry in analysis.entries]
    raised_findings = [f for f in analysis.findings if f.status in RAISED]
    named: dict[str, list[str]] = defaultdict(list)  # entry ref -> findings and gaps naming it
    for f in raised_findings:
        for i in f.entry_indexes:
            named[refs[i]].append(f.rule_id)
    for gap in analysis.expected_contact_gaps:
        for ends in (gap.trigger_index, gap.next_index):
            if ends is not None:
                named[refs[ends]].append(f"{gap.rule_id} (expected contact)")
    found = {item.id: any(named.get(ref) for ref in item.entries) for item in case.key}
    raised: dict[str, list[str]] = {}
    for alarm in case.false_alarms:
        raised[alarm.id] = _raised_by(alarm, analysis, refs, raised_findings)
    return CaseScore(case.name, found, raised, {a.id: a.kind for a in case.false_alarms})


def _raised_by(alarm: FalseAlarm, analysis: Analysis, refs: list[str], raised: list[Any]) -> list[str]:
    """What in the analysis raises this false alarm, in words ([] when nothing does)."""
    if alarm.kind == "nothing_due_after" and alarm.date is not None:
        day = alarm.date
        why = [
            f"{f.rule_id} due {f.deadline.isoformat()}"
            for f in analysis.findings
            if f.deadline is not None and f.deadline >= day
        ]
        why += [
            f"{f.rule_id} from {f.trigger.reference}"
            for f in raised
            if analysis.entries[f.trigger_index].date.start > day
        ]
        why += [
            f"{g.rule_id} expected contact due {g.due_by.isoformat()}"
            for g in analysis.expected_contact_gaps
            if g.due_by >= day
        ]
        return why
    if alarm.kind == "no_finding_from":
        wanted = set(alarm.entries)
        return [
            f"{f.rule_id} {f.status.value} from {refs[f.trigger_index]}"
            for f in raised
            if refs[f.trigger_index] in wanted
        ]
    if alarm.kind == "no_scorecard":
        return [f"scorecard for {alarm.agency}"] if alarm.agency in analysis.scorecards else []
    if alarm.kind == "one_finding_for":
        wanted = set(alarm.entries)
        per_rule: dict[str, int] = defaultdict(int)
        for f in raised:
            if refs[f.trigger_index] in wanted:
                per_rule[f.rule_id] += 1
        return [f"{rule} {count} findings" for rule, count in per_rule.items() if count > 1]
    raise ValueError(f"false alarm {alarm.id}: unknown kind {alarm.kind!r}")
