"""Test data for Chronicle, made in one place: partnerships, agencies, people, cases, chronologies
and reviews. Tests and conftest fixtures import from here (``from tests.factories import ...``);
no test imports a conftest or another test module (tests/test_floors.py checks it).

- ``people``: PartnershipFactory, AgencyFactory, PersonFactory, make_user, the ``World`` of personas,
  signed-in clients and the actor a service sees.
- ``cases``: incidents, chronology requests, draft entries, versions submitted through the service,
  reviewer assignments, and the case with two agencies' submitted chronologies.
- ``reviews``: the full case carried to a rapid review decision, and the learning register.
"""

from __future__ import annotations

from tests.factories.cases import (
    FULL_REQUEST,
    POLICE_ENTRIES,
    SOCIAL_CARE_ENTRIES,
    ChildFactory,
    ChronologyRequestFactory,
    DraftEntryFactory,
    EntryRow,
    IncidentFactory,
    ReviewerAssignmentFactory,
    add_entries,
    add_entry,
    assign_reviewer,
    make_incident,
    make_request,
    request_both_agencies,
    submit,
    submitted_case,
    with_chronology,
)
from tests.factories.people import (
    PASSWORD,
    PERSONAS,
    AgencyFactory,
    MembershipFactory,
    Partners,
    PartnershipFactory,
    PersonFactory,
    TwoFactorDeviceFactory,
    World,
    actor_for,
    make_partners,
    make_user,
    make_world,
    request_as,
    signed_in,
)
from tests.factories.reviews import FullCase, Register, build_full_case, build_register, point_data

__all__ = [
    "FULL_REQUEST",
    "PASSWORD",
    "PERSONAS",
    "POLICE_ENTRIES",
    "SOCIAL_CARE_ENTRIES",
    "AgencyFactory",
    "ChildFactory",
    "ChronologyRequestFactory",
    "DraftEntryFactory",
    "EntryRow",
    "FullCase",
    "IncidentFactory",
    "MembershipFactory",
    "Partners",
    "PartnershipFactory",
    "PersonFactory",
    "Register",
    "ReviewerAssignmentFactory",
    "TwoFactorDeviceFactory",
    "World",
    "actor_for",
    "add_entries",
    "add_entry",
    "assign_reviewer",
    "build_full_case",
    "build_register",
    "make_incident",
    "make_partners",
    "make_request",
    "make_user",
    "make_world",
    "point_data",
    "request_as",
    "request_both_agencies",
    "signed_in",
    "submit",
    "submitted_case",
    "with_chronology",
]
