from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone

from chronicle.audit.models import AuditEvent
from chronicle.core.pseudonyms import neutralise_formula


def safe_cell(value: object) -> str:
    """Spreadsheet programs run cells that start like a formula; keep them text."""
    return neutralise_formula("" if value is None else str(value))


HEADINGS = [
    "When",
    "Person",
    "Action",
    "Record type",
    "Record reference",
    "Record",
    "Outcome",
    "IP address",
    "Browser",
    "Page",
    "Detail",
]


def csv_rows(events: Iterable[AuditEvent]) -> Iterator[list[str]]:
    yield HEADINGS
    for event in events:
        yield [
            safe_cell(value)
            for value in (
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                event.user_label,
                event.get_action_display(),
                event.object_type,
                event.object_id,
                event.object_label,
                event.get_outcome_display(),
                event.ip_address or "",
                event.user_agent,
                event.path,
                event.detail,
            )
        ]
