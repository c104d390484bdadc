"""The audit log's hash chain: each event's hash covers its content and the hash before it.

Changing, removing or reordering a stored event breaks the chain at that event or the next one;
``verify`` walks the chain in the order events were written and names the first broken link.
The functions here take plain values, so the migration that hashes old events can use them too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# The stored fields each hash covers, in a fixed order.
HASHED_FIELDS = (
    "at",
    "user_id",
    "user_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "partnership_id",
    "ip_address",
    "user_agent",
    "path",
    "outcome",
    "detail",
)


def _canonical(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "at":
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if name == "ip_address":
        return ipaddress.ip_address(value).compressed
    if name.endswith("_id") and name != "object_id":
        return int(value)
    return str(value)


def event_hash(previous: str, values: Mapping[str, Any]) -> str:
    """The hash of one event's values chained to the previous event's hash."""
    content = {name: _canonical(name, values.get(name)) for name in HASHED_FIELDS}
    payload = json.dumps([previous, content], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    checked: int
    head: str  # the hash of the last event checked: record it elsewhere to anchor the log
    broken_at: int | None = None  # the id of the first event whose hash does not follow
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(events: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Check events (dicts of HASHED_FIELDS plus id and hash) in the order they were written."""
    previous = GENESIS
    checked = 0
    for values in events:
        expected = event_hash(previous, values)
        if values["hash"] != expected:
            reason = (
                "it has no hash"
                if not values["hash"]
                else "its content or its place in the log does not match its hash: it was changed "
                "after it was written, or an event before it was removed"
            )
            return ChainReport(checked, previous, broken_at=int(values["id"]), reason=reason)
        previous = expected
        checked += 1
    return ChainReport(checked, previous)
