"""Checking the stored audit log against its hash chain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chronicle.audit.chain import HASHED_FIELDS, ChainReport, verify
from chronicle.audit.models import AuditEvent


def _stored_events(batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Every event in the order written, a batch at a time (ids only grow)."""
    last_id = 0
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last_id)
            .order_by("id")
            .values("id", "hash", *HASHED_FIELDS)[:batch]
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1]["id"]


def verify_stored_chain() -> ChainReport:
    return verify(_stored_events())


def describe(report: ChainReport) -> str:
    """One line for people: the chain holds, or where it first breaks."""
    if report.ok:
        return f"The audit log verifies: {report.checked:,} events, none changed or removed."
    return (
        f"The audit log does not verify from event {report.broken_at} "
        f"({report.checked:,} events before it verify): {report.reason}."
    )
