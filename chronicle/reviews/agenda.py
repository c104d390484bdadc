"""A meeting's proposed agenda, read from the case's stored analysis a few rows at a time.

The agenda names the findings that ask for the partners' judgement, the conflicts between accounts
and the gaps in the record. All of these are rows of the stored analysis, so the new meeting page,
the meeting page and a refresh read those rows (a few hundred at most) and never load the whole
analysis of thousands of entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chronicle.composite import services as composite
from chronicle.composite import stored as stored_analysis
from chronicle.composite.models import (
    AnalysedEntry,
    AnalysedFinding,
    AnalysedLink,
    AnalysedSilence,
    StoredAnalysis,
)
from chronicle.core.plain_words import dates_in_words, day_words, finding_message, plain, status_words
from chronicle.incidents.models import Incident

# A finding that cannot be determined is a gap in the record: the partners decide how to fill it.
FINDING_ORDER = {"needs_multi_agency_judgement": 0, "not_met": 1, "borderline": 2, "cannot_be_determined": 3}
FINDING_KINDS = {
    "needs_multi_agency_judgement": "multi_agency",
    "not_met": "not_met",
    "borderline": "not_met",
    "cannot_be_determined": "gap",
}
DETAILS_SHOWN = 5  # findings named in an item's detail; the rest are counted


@dataclass(frozen=True)
class ProposedItem:
    kind: str
    title: str
    detail: str
    reference: str


def agenda_analysis(incident: Incident) -> StoredAnalysis | None:
    """The stored analysis the agenda is drawn from: the one the composite pages show.

    None while a large case's first analysis is still being made (nothing to propose yet).
    """
    shown = composite.shown(incident)
    if shown.current or shown.stored is None:
        return shown.stored
    # The case changed since: its new analysis was asked for and may be ready already.
    return stored_analysis.latest(incident) or shown.stored


def proposed_agenda(incident: Incident) -> list[ProposedItem]:
    analysis = agenda_analysis(incident)
    return proposed_from(analysis) if analysis is not None else []


def proposed_from(analysis: StoredAnalysis) -> list[ProposedItem]:
    """Agenda items: multi-agency judgement, conflicts, findings not met, gaps.

    Findings are one item per rule, status and chronology: four "not met" from one agency's
    chronology are one item that counts them, not four.
    """
    return [*_finding_items(analysis), *_conflict_items(analysis), *_gap_items(analysis)]


def _references(analysis: StoredAnalysis, positions: set[int]) -> dict[int, tuple[str, str, str]]:
    """Each entry's agency, reference and date in words, by position."""
    rows = AnalysedEntry.objects.filter(analysis=analysis, position__in=positions).values_list(
        "position", "agency", "reference", "date_words"
    )
    return {position: (agency, reference, day) for position, agency, reference, day in rows}


def _finding_items(analysis: StoredAnalysis) -> list[ProposedItem]:
    rows = list(
        AnalysedFinding.objects.filter(analysis=analysis, status__in=FINDING_ORDER)
        .order_by("number")
        .values_list("status", "trigger_position", "agency", "detail")
    )
    rows.sort(key=lambda row: FINDING_ORDER[row[0]])  # stable: date order within each status
    grouped: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] = {}
    for status, trigger, agency, detail in rows:
        grouped.setdefault((detail["rule_id"], status, agency), []).append((trigger, detail))
    named = {trigger for findings in grouped.values() for trigger, _ in findings[:DETAILS_SHOWN]}
    references = _references(analysis, named)
    items = []
    for (rule_id, status, agency), findings in grouped.items():
        count = f" ×{len(findings)}" if len(findings) > 1 else ""
        details = [
            f"{references[trigger][1]}: {finding_message(detail['message'], rule_id)}"
            for trigger, detail in findings[:DETAILS_SHOWN]
        ]
        if len(findings) > DETAILS_SHOWN:
            details.append(f"and {len(findings) - DETAILS_SHOWN} more from the same chronology")
        items.append(
            ProposedItem(
                FINDING_KINDS[status],
                f"{findings[0][1]['rule_title']} ({status_words(status)}{count}, {agency})",
                "\n".join(details),
                f"finding:{rule_id}:{status}:{agency}",
            )
        )
    return items


def _conflict_items(analysis: StoredAnalysis) -> list[ProposedItem]:
    """Each pair of accounts that differ, in the order of their clusters (as the core lists them)."""
    links = list(
        AnalysedLink.objects.filter(analysis=analysis, kind="conflict")
        .order_by("cluster", "pk")
        .values_list("first_position", "second_position", "first_uid", "second_uid", "detail")
    )
    references = _references(analysis, {p for link in links for p in link[:2]})
    items = []
    for first, second, first_uid, second_uid, detail in links:
        # Stored with the ids in sorted order; the item names the two accounts in the core's order.
        uid = {first: first_uid, second: second_uid}
        a, b = detail["a_index"], detail["b_index"]
        agency_a, _, day_a = references[a]
        agency_b = references[b][0]
        items.append(
            ProposedItem(
                "conflict",
                f"Accounts conflict: {agency_a} and {agency_b}, {day_a}",
                dates_in_words("; ".join(detail["reasons"])),
                f"link:{uid[a]}:{uid[b]}",
            )
        )
    return items


def _gap_items(analysis: StoredAnalysis) -> list[ProposedItem]:
    rows = AnalysedSilence.objects.filter(analysis=analysis).order_by("number")
    gaps = [row for row in rows if row.kind == "expected_contact"]
    silences = [row for row in rows if row.kind == "no_entries"]
    items = [
        ProposedItem(
            "gap",
            f"Expected contact not recorded, {day_words(gap.start)} to {day_words(gap.end)}",
            plain(gap.detail["message"]),
            f"gap:{gap.detail['rule_id']}:{gap.start.isoformat()}",
        )
        for gap in gaps
    ]
    items += [
        ProposedItem(
            "gap",
            f"Silent period: no agency contact for {(period.end - period.start).days + 1} days",
            f"{day_words(period.start)} to {day_words(period.end)}",
            f"silence:{period.start.isoformat()}",
        )
        for period in silences
    ]
    return items
