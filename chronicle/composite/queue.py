"""What awaits a person on a case: proposed duplicates and conflicts, and compliance findings, not yet
confirmed, changed, rejected or dismissed.

Everything that asks "what is left to decide?" goes through this module (the review queue; the counts
on dashboards and task lists in ``awaiting``). It reads the case's stored analysis: the proposals from
their columns, and the entries and the finding's detail only for the items a page shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, overload
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet

from chronicle.composite import stored as stored_analysis
from chronicle.composite.models import (
    AnalysedEntry,
    AnalysedFinding,
    AnalysedLink,
    FindingDecision,
    LinkDecision,
    StoredAnalysis,
)
from chronicle.core.compliance import Finding
from chronicle.core.entries import Entry
from chronicle.core.plain import from_plain
from chronicle.incidents.models import Incident

KINDS = {"duplicate": "Duplicates", "conflict": "Conflicts", "finding": "Findings"}


class OnScreen(Protocol):
    """What the queue reads: the case and its stored analysis (``services.Shown`` or ``Composite``)."""

    @property
    def incident(self) -> Incident: ...

    @property
    def stored(self) -> StoredAnalysis | None: ...


@dataclass(frozen=True)
class QueueItem:
    """One proposal awaiting a person. ``key`` names it in a form, stable across resubmissions."""

    key: str  # "link|first-uid|second-uid" or "finding|rule-id|trigger-uid"
    kind: str  # "duplicate", "conflict" or "finding"
    uids: tuple[str, ...]
    analysis_id: int
    positions: tuple[int, ...]  # the entries' places in the stored analysis, as ``uids``
    number: int | None = None  # the finding's number in the stored analysis, for findings
    link_reasons: tuple[str, ...] = ()

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        rows = AnalysedEntry.objects.filter(analysis_id=self.analysis_id, position__in=self.positions)
        by_position = {row.position: stored_analysis.entry_of(row) for row in rows}
        return tuple(by_position[p] for p in self.positions)

    @cached_property
    def finding(self) -> Any:
        """The finding whole (chronicle.core.compliance.Finding), for findings."""
        if self.number is None:
            return None
        detail = (
            AnalysedFinding.objects.filter(analysis_id=self.analysis_id, number=self.number)
            .values_list("detail", flat=True)
            .get()
        )
        return from_plain(Finding, detail)

    @property
    def reasons(self) -> tuple[str, ...]:
        return (self.finding.message,) if self.kind == "finding" else self.link_reasons

    @property
    def shown(self) -> list[tuple[Entry, str]]:
        return list(zip(self.entries, self.uids, strict=True))

    @property
    def slug(self) -> str:
        """A short id for the item's form fields on the page (HTML ids cannot hold every character)."""
        return "q" + hashlib.sha256(self.key.encode()).hexdigest()[:10]


ORDER = ("conflict", "finding", "duplicate")  # conflicts first, then findings, then duplicates


def _open_links(stored: StoredAnalysis) -> QuerySet[AnalysedLink]:
    decided = LinkDecision.objects.filter(
        incident_id=stored.incident_id, first_uid=OuterRef("first_uid"), second_uid=OuterRef("second_uid")
    )
    return AnalysedLink.objects.filter(analysis=stored).exclude(Exists(decided)).order_by("pk")


def _open_findings(stored: StoredAnalysis) -> QuerySet[AnalysedFinding]:
    decided = FindingDecision.objects.filter(
        incident_id=stored.incident_id, rule_id=OuterRef("rule_id"), trigger_uid=OuterRef("trigger_uid")
    )
    return (
        AnalysedFinding.objects.filter(analysis=stored)
        .exclude(status="met")  # a finding proposed as met asks nobody to confirm it
        .exclude(Exists(decided))
        .defer("detail")
        .order_by("number")
    )


def _open(stored: StoredAnalysis, kind: str) -> QuerySet[Any]:
    return _open_findings(stored) if kind == "finding" else _open_links(stored).filter(kind=kind)


class Awaiting(Sequence[QueueItem]):
    """The proposals awaiting a person on a case (of one kind, if asked), counted and read a slice at
    a time in the database: a page of the queue reads its ten items, not every proposal."""

    def __init__(self, on_screen: OnScreen, kind: str = "") -> None:
        self.stored = on_screen.stored
        self.kinds = [k for k in ORDER if not kind or k == kind] if self.stored is not None else []
        self.counts = {k: _open(self.stored, k).count() for k in self.kinds} if self.stored else {}

    def __len__(self) -> int:
        return sum(self.counts.values())

    @overload
    def __getitem__(self, index: int) -> QueueItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[QueueItem]: ...

    def __getitem__(self, index: int | slice) -> QueueItem | list[QueueItem]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        found: list[QueueItem] = []
        offset = 0
        for kind in self.kinds:
            count = self.counts[kind]
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                assert self.stored is not None
                found += _items(self.stored, kind, _open(self.stored, kind)[low:high])
            offset += count
        return found


def _items(stored: StoredAnalysis, kind: str, rows: Iterable[Any]) -> list[QueueItem]:
    rows = list(rows)
    if kind != "finding":
        return [_link_item(stored, row) for row in rows]
    evidence = {row.evidence_position for row in rows if row.evidence_position is not None}
    uid_at = dict(
        AnalysedEntry.objects.filter(analysis=stored, position__in=evidence).values_list("position", "uid")
    )
    items = []
    for row in rows:
        uid = str(row.trigger_uid)
        positions: tuple[int, ...] = (row.trigger_position,)
        uids: tuple[str, ...] = (uid,)
        if row.evidence_position is not None:
            positions += (row.evidence_position,)
            uids += (str(uid_at[row.evidence_position]),)
        items.append(
            QueueItem(f"finding|{row.rule_id}|{uid}", "finding", uids, stored.pk, positions, row.number)
        )
    return items


def _link_item(stored: StoredAnalysis, row: AnalysedLink) -> QueueItem:
    first, second = str(row.first_uid), str(row.second_uid)
    uid_at = {row.first_position: first, row.second_position: second}
    positions = (row.detail["a_index"], row.detail["b_index"])  # as the analysis gave them
    return QueueItem(
        f"link|{first}|{second}",
        row.kind,
        tuple(uid_at[p] for p in positions),
        stored.pk,
        positions,
        link_reasons=tuple(row.detail["reasons"]),
    )


def awaiting_review(on_screen: OnScreen, kind: str = "") -> list[QueueItem]:
    """Every proposal nobody has decided yet, conflicts first, then findings, then duplicates, each by date."""
    return list(Awaiting(on_screen, kind)[:])


def find(on_screen: OnScreen, key: str) -> QueueItem | None:
    """The proposal a queue form names, if it is still awaiting a person."""
    stored = on_screen.stored
    if stored is None:
        return None
    kind, _, rest = key.partition("|")
    try:
        if kind == "finding":
            rule_id, _, uid = rest.rpartition("|")
            rows = _open_findings(stored).filter(rule_id=rule_id, trigger_uid=UUID(uid))
            return next(iter(_items(stored, "finding", rows[:1])), None)
        if kind == "link":
            first, _, second = rest.partition("|")
            row = _open_links(stored).filter(first_uid=UUID(first), second_uid=UUID(second)).first()
            return _link_item(stored, row) if row is not None else None
    except ValueError:  # not a stable id: no such proposal
        return None
    return None
