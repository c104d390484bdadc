"""The shared questions about cases, asked in one place: Incident.objects.visible_to / readable_by / assigned_to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from chronicle.accounts.models import Membership, Role, User
from chronicle.chronologies.models import ChronologyRequest
from chronicle.incidents.models import Incident, ReviewerAssignment

pytestmark = pytest.mark.django_db


def _incident(world: Any, reference: str, agency: Any, partnership: Any = None) -> Incident:
    return Incident.objects.create(
        partnership=partnership or world.northshire,
        reference=reference,
        occurred_on=dt.date(2024, 3, 4),
        aware_on=dt.date(2024, 3, 5),
        outcome="seriously_harmed",
        description="Baby seriously harmed.",
        abuse_or_neglect="suspected",
        reporting_agency=agency,
        reporter_name="DI Lee",
        reported_by=world.manager,
    )


@pytest.fixture
def cases(world: Any) -> dict[str, Incident]:
    found = {
        "police": _incident(world, "NS-1", world.police),
        "gp": _incident(world, "NS-2", world.gp),
        "asked": _incident(world, "NS-3", world.gp),
        "southvale": _incident(world, "SV-1", world.southvale_agency, world.southvale),
    }
    ChronologyRequest.objects.create(
        incident=found["asked"],
        agency=world.social_care,
        period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2024, 3, 4),
        scope="full",
        due_on=dt.date(2024, 3, 19),
        requested_on=dt.date(2024, 3, 5),
        requested_by=world.manager,
    )
    ReviewerAssignment.objects.create(
        incident=found["gp"], reviewer=world.reviewer, assigned_by=world.manager
    )
    return found


def _refs(queryset: Any) -> set[str]:
    return set(queryset.values_list("reference", flat=True))


def test_it_shows_each_persona_the_incidents_they_may_see(world: Any, cases: dict[str, Incident]) -> None:
    visible = Incident.objects.visible_to
    assert _refs(visible(world.manager)) == {"NS-1", "NS-2", "NS-3"}
    assert _refs(visible(world.auditor)) == {"NS-1", "NS-2", "NS-3"}
    assert _refs(visible(world.owner)) == {"NS-1"}  # the police's own report
    assert _refs(visible(world.other_agency)) == {"NS-3"}  # asked for a chronology of it
    assert _refs(visible(world.reviewer)) == {"NS-2"}  # assigned to it
    assert _refs(visible(world.outsider)) == {"SV-1"}
    assert _refs(visible(AnonymousUser())) == set()


def test_it_lets_only_case_readers_read_a_case_whole(world: Any, cases: dict[str, Incident]) -> None:
    partner = User.objects.create_user(username="partner@northshire.example", password="x")
    Membership.objects.create(
        user=partner, partnership=world.northshire, agency=world.police, role=Role.STATUTORY_PARTNER
    )
    readable = Incident.objects.readable_by
    assert _refs(readable(world.manager)) == {"NS-1", "NS-2", "NS-3"}
    assert _refs(readable(world.auditor)) == {"NS-1", "NS-2", "NS-3"}
    assert _refs(readable(partner)) == {"NS-1", "NS-2", "NS-3"}
    assert _refs(readable(world.reviewer)) == {"NS-2"}
    assert _refs(readable(world.owner)) == set()  # agencies read their own chronology only
    assert _refs(readable(world.other_agency)) == set()
    assert _refs(readable(world.outsider)) == {"SV-1"}
    assert _refs(readable(AnonymousUser())) == set()


def test_it_grants_an_assignment_only_where_the_person_is_a_reviewer(
    world: Any, cases: dict[str, Incident]
) -> None:
    # Assigned to a Southvale case, but a reviewer only in Northshire: the assignment grants nothing there.
    ReviewerAssignment.objects.create(
        incident=cases["southvale"], reviewer=world.reviewer, assigned_by=world.outsider
    )
    ReviewerAssignment.objects.create(incident=cases["gp"], reviewer=world.manager, assigned_by=world.manager)
    assert _refs(Incident.objects.assigned_to(world.reviewer)) == {"NS-2"}
    assert _refs(Incident.objects.assigned_to(world.manager)) == set()  # not a reviewer
    # A case with two reviewers is listed once.
    assert list(Incident.objects.readable_by(world.manager).filter(reference="NS-2")) == [cases["gp"]]
