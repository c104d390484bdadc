"""What awaits a person on a case: proposed duplicates and conflicts, and compliance findings, not yet
confirmed, changed, rejected or dismissed.

Everything that asks "what is left to decide?" goes through this module (the review queue; the counts
on dashboards and task lists in ``awaiting``). It reads the case's stored analysis: the proposals from
their columns, and the entries and the finding's detail only for the items a page shows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from django.db.models.fields.json import KT

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
    reasons: tuple[str, ...]
    analysis_id: int
    positions: tuple[int, ...]  # the entries' places in the stored analysis, as ``uids``
    number: int | None = None  # the finding's number in the stored analysis, for findings

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
    def shown(self) -> list[tuple[Entry, str]]:
        return list(zip(self.entries, self.uids, strict=True))

    @property
    def slug(self) -> str:
        """A short id for the item's form fields on the page (HTML ids cannot hold every character)."""
        return "q" + hashlib.sha256(self.key.encode()).hexdigest()[:10]


def _decided(incident: Incident) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    links = {
        (str(a), str(b))
        for a, b in LinkDecision.objects.filter(incident=incident).values_list("first_uid", "second_uid")
    }
    findings = {
        (rule, str(uid))
        for rule, uid in FindingDecision.objects.filter(incident=incident).values_list(
            "rule_id", "trigger_uid"
        )
    }
    return links, findings


def awaiting_review(on_screen: OnScreen, kind: str = "") -> list[QueueItem]:
    """Proposals nobody has decided yet, conflicts first, then findings, then duplicates, each by date."""
    stored = on_screen.stored
    if stored is None:
        return []
    decided_links, decided_findings = _decided(on_screen.incident)
    conflicts: list[QueueItem] = []
    duplicates: list[QueueItem] = []
    if kind in ("", "conflict", "duplicate"):
        links = AnalysedLink.objects.filter(analysis=stored).order_by("pk")
        if kind:
            links = links.filter(kind=kind)
        for link_kind, first, second, first_position, second_position, detail in links.values_list(
            "kind", "first_uid", "second_uid", "first_position", "second_position", "detail"
        ):
            pair = (str(first), str(second))
            if pair in decided_links:
                continue
            uid_at = {first_position: pair[0], second_position: pair[1]}
            # As the analysis gave them: its first entry first.
            link_positions = (detail["a_index"], detail["b_index"])
            item = QueueItem(
                f"link|{pair[0]}|{pair[1]}",
                link_kind,
                tuple(uid_at[p] for p in link_positions),
                tuple(detail["reasons"]),
                stored.pk,
                link_positions,
            )
            (conflicts if link_kind == "conflict" else duplicates).append(item)
    findings: list[QueueItem] = []
    if kind in ("", "finding"):
        rows = (
            AnalysedFinding.objects.filter(analysis=stored)
            .exclude(status="met")  # a finding proposed as met asks nobody to confirm it
            .annotate(message=KT("detail__message"))
            .order_by("number")
            .values_list(
                "number", "rule_id", "trigger_uid", "trigger_position", "evidence_position", "message"
            )
        )
        evidence_uids = _uids(stored, {evidence for *_, evidence, _ in rows if evidence is not None})
        for number, rule_id, trigger_uid, trigger, evidence, message in rows:
            uid = str(trigger_uid)
            if (rule_id, uid) in decided_findings:
                continue
            positions: tuple[int, ...] = (trigger,) if evidence is None else (trigger, evidence)
            uids: tuple[str, ...] = (uid,) if evidence is None else (uid, evidence_uids[evidence])
            findings.append(
                QueueItem(
                    f"finding|{rule_id}|{uid}", "finding", uids, (message,), stored.pk, positions, number
                )
            )
    return conflicts + findings + duplicates


def _uids(stored: StoredAnalysis, positions: set[int]) -> dict[int, str]:
    rows = AnalysedEntry.objects.filter(analysis=stored, position__in=positions).values_list(
        "position", "uid"
    )
    return {position: str(uid) for position, uid in rows}


def find(on_screen: OnScreen, key: str) -> QueueItem | None:
    """The proposal a queue form names, if it is still awaiting a person."""
    kind = "finding" if key.startswith("finding|") else ""
    return next((item for item in awaiting_review(on_screen, kind) if item.key == key), None)
