from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chronicle.incidents.models import Child, Incident


def make_incident(world: Any, **overrides: Any) -> Incident:
    data: dict[str, Any] = {
        "partnership": world.northshire,
        "reference": "NS-2024-017",
        "occurred_on": dt.date(2024, 3, 4),
        "aware_on": dt.date(2024, 3, 5),
        "in_england": True,
        "outcome": "seriously_harmed",
        "harm_categories": ["abusive_head_trauma"],
        "description": "Baby G, three months old, taken to A&E with a life-threatening head injury; subdural haemorrhage.",
        "abuse_or_neglect": "suspected",
        "concern_about_working_together": None,
        "reporting_agency": world.police,
        "reporter_name": "DI Lee",
        "reported_by": world.owner,
    }
    born_on = overrides.pop("born_on", dt.date(2023, 12, 1))
    data.update(overrides)
    incident = Incident.objects.create(**data)
    Child.objects.create(incident=incident, label="Baby G", born_on=born_on)
    return incident


@pytest.fixture
def incident(world: Any) -> Incident:
    return make_incident(world)
