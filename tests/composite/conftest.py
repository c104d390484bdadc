from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import RequestFactory

from chronicle.audit.actor import Actor
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.models import ChronologyRequest, DraftEntry
from chronicle.core.dates import PartialDate
from chronicle.incidents.models import ReviewerAssignment
from tests.incidents.conftest import make_incident

# Entries across two agencies: a duplicate pair, a conflict, a referral with no decision, a GP's bruise note.
POLICE_ENTRIES = [
    (
        "2024-01-10",
        "referral",
        "Police referral to children's social care: mother reports partner pushed the baby's cot over.",
        "Niche ref 118",
    ),
    (
        "2024-02-03",
        "police_callout",
        "Police called to domestic abuse incident at the home; baby present, seen and unharmed.",
        "Niche ref 131",
    ),
    ("2024-02", "", "Neighbour reported shouting at the address on several nights.", "Neighbour call log"),
]
SOCIAL_CARE_ENTRIES = [
    (
        "2024-02-03",
        "police_callout",
        "Police called to domestic abuse incident at the home; baby present, seen and unharmed.",
        "MASH record 77",
    ),
    ("2024-02-20", "visit", "Home visit by social worker; baby seen asleep, not seen awake.", "Case note 12"),
]


def _request(user: Any) -> Any:
    request = RequestFactory().post("/")
    request.user = user
    return request


def add_entries(
    chronology_request: ChronologyRequest, user: Any, entries: list[tuple[str, str, str, str]]
) -> None:
    for date_text, event_type, description, source in entries:
        date = PartialDate.from_isoformat(date_text)
        DraftEntry.objects.create(
            request=chronology_request,
            created_by=user,
            date_text=date_text,
            date_start=date.start,
            date_end=date.end,
            event_type=event_type,
            description=description,
            source=source,
        )


@pytest.fixture
def case(world: Any) -> Any:
    incident = make_incident(
        world,
        reference="NS-2024-060",
        occurred_on=dt.date(2024, 3, 4),
        aware_on=dt.date(2024, 3, 5),
        born_on=dt.date(2023, 11, 1),
    )
    common = {
        "period_from": dt.date(2023, 11, 1),
        "period_to": dt.date(2024, 3, 4),
        "scope": "full",
        "due_on": dt.date(2024, 3, 19),
        "requested_on": dt.date(2024, 3, 5),
        "requested_by": world.manager,
    }
    police = ChronologyRequest.objects.create(incident=incident, agency=world.police, **common)
    social_care = ChronologyRequest.objects.create(incident=incident, agency=world.social_care, **common)
    add_entries(police, world.owner, POLICE_ENTRIES)
    add_entries(social_care, world.other_agency, SOCIAL_CARE_ENTRIES)
    chronology_services.submit(Actor.from_request(_request(world.owner)), police)
    chronology_services.submit(Actor.from_request(_request(world.other_agency)), social_care)
    ReviewerAssignment.objects.create(incident=incident, reviewer=world.reviewer, assigned_by=world.manager)
    return incident
