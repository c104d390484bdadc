"""Incidents (cases), chronology requests, draft entries, submitted versions and reviewer
assignments. Rows the domain only ever makes through a service (a submitted version) are made
through that service, so audit entries and invariants are the ones the app keeps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from chronicle.accounts.models import Agency, User
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.models import (
    ChronologyRequest,
    ChronologyVersion,
    DraftEntry,
    Scope,
)
from chronicle.composite import services as composite_services
from chronicle.core.dates import PartialDate
from chronicle.incidents.models import Child, Incident, ReviewerAssignment
from tests.factories.people import World, actor_for

# A chronology's entries as typed in a test: (date as ISO with its precision, event type, description, source).
EntryRow = tuple[str, str, str, str]


class IncidentFactory(DjangoModelFactory):
    """Case NS-2024-017: Baby G's head injury, reported by the police. Pass the partnership, the
    reporting agency and the reporter (``make_incident`` takes them from the world)."""

    class Meta:
        model = Incident

    reference = "NS-2024-017"
    occurred_on = dt.date(2024, 3, 4)
    aware_on = dt.date(2024, 3, 5)
    in_england = True
    outcome = "seriously_harmed"
    harm_categories = factory.LazyFunction(lambda: ["abusive_head_trauma"])
    description = (
        "Baby G, three months old, taken to A&E with a life-threatening head injury; subdural haemorrhage."
    )
    abuse_or_neglect = "suspected"
    concern_about_working_together = None
    reporter_name = "DI Lee"


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    label = "Baby G"
    born_on = dt.date(2023, 12, 1)


def make_incident(world: World, **overrides: Any) -> Incident:
    """A Northshire case reported by the police lead, with one child, Baby G (``born_on`` to change her birth)."""
    born_on = overrides.pop("born_on", dt.date(2023, 12, 1))
    data: dict[str, Any] = {
        "partnership": world.northshire,
        "reporting_agency": world.police,
        "reported_by": world.owner,
    }
    data.update(overrides)
    incident: Incident = IncidentFactory(**data)
    ChildFactory(incident=incident, born_on=born_on)
    return incident


class ChronologyRequestFactory(DjangoModelFactory):
    """A request for an agency's significant events over the year before the incident."""

    class Meta:
        model = ChronologyRequest

    period_from = dt.date(2023, 1, 1)
    period_to = dt.date(2024, 3, 4)
    scope = Scope.SIGNIFICANT
    due_on = dt.date(2024, 3, 26)
    instructions = "Include every contact with Baby G's household."
    requested_on = dt.date(2024, 3, 12)


def make_request(
    world: World, incident: Incident, agency: Agency | None = None, **overrides: Any
) -> ChronologyRequest:
    """The manager's request to ``agency`` (the police by default) for its chronology of ``incident``."""
    data: dict[str, Any] = {
        "incident": incident,
        "agency": agency or world.police,
        "requested_by": world.manager,
    }
    data.update(overrides)
    request: ChronologyRequest = ChronologyRequestFactory(**data)
    return request


class DraftEntryFactory(DjangoModelFactory):
    """A draft entry; ``date`` is ISO with its precision ("2024-03-01", "2024-03" or "2024")."""

    class Meta:
        model = DraftEntry
        exclude = ("date", "partial")

    date = "2024-03-01"
    partial = factory.LazyAttribute(lambda entry: PartialDate.from_isoformat(entry.date))
    date_text = factory.LazyAttribute(lambda entry: entry.partial.isoformat())
    date_start = factory.LazyAttribute(lambda entry: entry.partial.start)
    date_end = factory.LazyAttribute(lambda entry: entry.partial.end)
    description = "Health visitor home visit; Baby G seen and well."
    source = "Case note 48213"


def add_entry(
    chronology_request: ChronologyRequest, user: User, date: str = "2024-03-01", **fields: Any
) -> DraftEntry:
    """A draft entry dated with ISO precision: "2024-03-01", "2024-03" or "2024"."""
    entry: DraftEntry = DraftEntryFactory(request=chronology_request, created_by=user, date=date, **fields)
    return entry


def add_entries(chronology_request: ChronologyRequest, user: User, entries: list[EntryRow]) -> None:
    for date_text, event_type, description, source in entries:
        DraftEntryFactory(
            request=chronology_request,
            created_by=user,
            date=date_text,
            date_text=date_text,
            event_type=event_type,
            description=description,
            source=source,
        )


def submit(user: User, chronology_request: ChronologyRequest, note: str = "") -> ChronologyVersion:
    """``user`` submits the draft as a version, through the service the submit button calls."""
    return chronology_services.submit(actor_for(user), chronology_request, note=note)


class ReviewerAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = ReviewerAssignment


def assign_reviewer(world: World, incident: Incident, reviewer: User | None = None) -> ReviewerAssignment:
    """The manager assigns the reviewer (Northshire's, by default) to the case."""
    assignment: ReviewerAssignment = ReviewerAssignmentFactory(
        incident=incident, reviewer=reviewer or world.reviewer, assigned_by=world.manager
    )
    return assignment


# Entries across two agencies: a duplicate pair, a conflict, a referral with no decision, a neighbour's call.
POLICE_ENTRIES: list[EntryRow] = [
    ("2024-01-10", "referral", "Police referral to children's social care: mother reports partner pushed the baby's cot over.", "Niche ref 118"),
    ("2024-02-03", "police_callout", "Police called to domestic abuse incident at the home; baby present, seen and unharmed.", "Niche ref 131"),
    ("2024-02", "", "Neighbour reported shouting at the address on several nights.", "Neighbour call log"),
]  # fmt: skip
SOCIAL_CARE_ENTRIES: list[EntryRow] = [
    ("2024-02-03", "police_callout", "Police called to domestic abuse incident at the home; baby present, seen and unharmed.", "MASH record 77"),
    ("2024-02-20", "visit", "Home visit by social worker; baby seen asleep, not seen awake.", "Case note 12"),
]  # fmt: skip


# A full chronology of the four months before the incident, asked for the day after awareness.
FULL_REQUEST: dict[str, Any] = {
    "period_from": dt.date(2023, 11, 1),
    "period_to": dt.date(2024, 3, 4),
    "scope": "full",
    "due_on": dt.date(2024, 3, 19),
    "requested_on": dt.date(2024, 3, 5),
    "instructions": "",
}


def request_both_agencies(
    world: World,
    incident: Incident,
    *,
    police_entries: list[EntryRow],
    social_care_entries: list[EntryRow],
    requested_on: dt.date = FULL_REQUEST["requested_on"],
    police_note: str = "",
) -> tuple[ChronologyRequest, ChronologyRequest]:
    """The police and children's social care are asked for full chronologies; each agency's person
    types its entries in and submits them."""
    fields = {**FULL_REQUEST, "requested_on": requested_on}
    police = make_request(world, incident, world.police, **fields)
    social_care = make_request(world, incident, world.social_care, **fields)
    add_entries(police, world.owner, police_entries)
    add_entries(social_care, world.other_agency, social_care_entries)
    submit(world.owner, police, note=police_note)
    submit(world.other_agency, social_care)
    return police, social_care


def submitted_case(
    world: World,
    reference: str = "NS-2024-060",
    police_entries: list[EntryRow] = POLICE_ENTRIES,
    social_care_entries: list[EntryRow] = SOCIAL_CARE_ENTRIES,
    born_on: dt.date = dt.date(2023, 11, 1),
) -> Incident:
    """A case (NS-2024-060 unless named) with two agencies' submitted chronologies, the reviewer assigned."""
    incident = make_incident(
        world,
        reference=reference,
        occurred_on=dt.date(2024, 3, 4),
        aware_on=dt.date(2024, 3, 5),
        born_on=born_on,
    )
    request_both_agencies(
        world, incident, police_entries=police_entries, social_care_entries=social_care_entries
    )
    assign_reviewer(world, incident)
    return incident


def with_chronology(world: World, reference: str) -> Incident:
    """A case whose police chronology is submitted and analysed (no other agency's yet)."""
    incident = make_incident(world, reference=reference)
    request = make_request(world, incident, **FULL_REQUEST)
    add_entries(request, world.owner, POLICE_ENTRIES)
    submit(world.owner, request)
    composite_services.build(incident)
    return incident
