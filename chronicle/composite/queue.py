"""What awaits a person on a case: proposed duplicates and conflicts, and compliance findings, not yet
confirmed, changed, rejected or dismissed.

Everything that asks "what is left to decide?" goes through ``awaiting_review`` (the review queue, its
count on dashboards and task lists), so when duplicate pairs become clusters only this module changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from chronicle.composite import services
from chronicle.composite.models import FindingDecision, LinkDecision
from chronicle.core.entries import Entry
from chronicle.incidents.models import Incident

KINDS = {"duplicate": "Duplicates", "conflict": "Conflicts", "finding": "Findings"}


@dataclass(frozen=True)
class QueueItem:
    """One proposal awaiting a person. ``key`` names it in a form, stable across resubmissions."""

    key: str  # "link|first-uid|second-uid" or "finding|rule-id|trigger-uid"
    kind: str  # "duplicate", "conflict" or "finding"
    entries: tuple[Entry, ...]
    uids: tuple[str, ...]
    reasons: tuple[str, ...]
    finding: Any = None  # chronicle.core.compliance.Finding, for findings

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


def awaiting_review(built: services.Composite, kind: str = "") -> list[QueueItem]:
    """Proposals nobody has decided yet, conflicts first, then findings, then duplicates, each by date."""
    analysis = built.analysis
    decided_links, decided_findings = _decided(built.incident)
    conflicts: list[QueueItem] = []
    duplicates: list[QueueItem] = []
    for link in analysis.links:
        first, second = sorted([built.uid(link.a_index), built.uid(link.b_index)])
        if (first, second) in decided_links:
            continue
        item = QueueItem(
            f"link|{first}|{second}",
            str(link.kind),
            (analysis.entries[link.a_index], analysis.entries[link.b_index]),
            (built.uid(link.a_index), built.uid(link.b_index)),
            tuple(link.reasons),
        )
        (conflicts if item.kind == "conflict" else duplicates).append(item)
    findings: list[QueueItem] = []
    for finding in analysis.findings:
        uid = built.uid(finding.trigger_index)
        if str(finding.status) == "met" or (finding.rule_id, uid) in decided_findings:
            continue
        shown = [finding.trigger_index]
        if finding.evidence_index is not None:
            shown.append(finding.evidence_index)
        findings.append(
            QueueItem(
                f"finding|{finding.rule_id}|{uid}",
                "finding",
                tuple(analysis.entries[i] for i in shown),
                tuple(built.uid(i) for i in shown),
                (finding.message,),
                finding,
            )
        )
    every = {"conflict": conflicts, "finding": findings, "duplicate": duplicates}
    if kind:
        return every.get(kind, [])
    return conflicts + findings + duplicates


def find(built: services.Composite, key: str) -> QueueItem | None:
    """The proposal a queue form names, if it is still awaiting a person."""
    return next((item for item in awaiting_review(built) if item.key == key), None)
