"""Fixtures for chronology tests: a case and its request to Northshire Police."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chronicle.chronologies.models import ChronologyRequest, Scope
from tests.incidents.conftest import make_incident


def make_request(world: Any, incident: Any, agency: Any = None, **overrides: Any) -> ChronologyRequest:
    data: dict[str, Any] = {
        "incident": incident,
        "agency": agency or world.police,
        "period_from": dt.date(2023, 1, 1),
        "period_to": dt.date(2024, 3, 4),
        "scope": Scope.SIGNIFICANT,
        "due_on": dt.date(2024, 3, 26),
        "instructions": "Include every contact with Baby G's household.",
        "requested_on": dt.date(2024, 3, 12),
        "requested_by": world.manager,
    }
    data.update(overrides)
    return ChronologyRequest.objects.create(**data)


@pytest.fixture
def police_request(world: Any) -> ChronologyRequest:
    """A request to Northshire Police (the owner's agency) for its chronology of case NS-2024-017."""
    return make_request(world, make_incident(world))


def add_entry(
    chronology_request: ChronologyRequest, user: Any, date: str = "2024-03-01", **fields: Any
) -> Any:
    """A draft entry dated with ISO precision: "2024-03-01", "2024-03" or "2024"."""
    from chronicle.chronologies.models import DraftEntry
    from chronicle.core.dates import PartialDate

    partial = PartialDate.from_isoformat(date)
    values: dict[str, Any] = {
        "description": "Health visitor home visit; Baby G seen and well.",
        "source": "Case note 48213",
    }
    values.update(fields)
    return DraftEntry.objects.create(
        request=chronology_request,
        created_by=user,
        date_text=partial.isoformat(),
        date_start=partial.start,
        date_end=partial.end,
        **values,
    )
