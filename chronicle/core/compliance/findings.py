"""Findings and their statuses: what a rule proposes about one part of the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chronicle.core.entries import SIX_HEADINGS, Entry


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


# The statuses that ask people to look again: what a review would name.
RAISED: frozenset[Status] = frozenset(
    {Status.NOT_MET, Status.NEEDS_MULTI_AGENCY_JUDGEMENT, Status.BORDERLINE}
)

# Flags a finding can carry.
UNVERIFIABLE_TIME = "unverifiable-time"  # WD-06: an hours or same-day rule with no times recorded
UNVERIFIED_RULE = "unverified-rule"  # the rule is tagged [G] in the rulebook
LOCAL_SETTING = "local-setting"  # the deadline is the partnership's own setting
OUTSIDE_CALENDAR = "outside-calendar"  # a date the working-day calendar does not cover


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
    # Further entries the finding is about (every injury of a repeat, every closed referral).
    related: tuple[EntryRef, ...] = ()

    @property
    def entry_indexes(self) -> tuple[int, ...]:
        """Every entry the finding names: the trigger, the evidence and any related entries."""
        named = [self.trigger_index]
        if self.evidence_index is not None:
            named.append(self.evidence_index)
        named += [ref.index for ref in self.related]
        return tuple(dict.fromkeys(named))

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
                "entries": [f.trigger.as_dict(), *(ref.as_dict() for ref in f.related)],
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
