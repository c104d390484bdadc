"""Each agency's current version of its chronology, asked in one place: ChronologyVersion.objects."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chronicle.chronologies.models import ChronologyRequest, ChronologyVersion
from chronicle.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _incident(world: Any, reference: str) -> Incident:
    return Incident.objects.create(
        partnership=world.northshire,
        reference=reference,
        occurred_on=dt.date(2024, 3, 4),
        aware_on=dt.date(2024, 3, 5),
        outcome="seriously_harmed",
        description="Baby seriously harmed.",
        abuse_or_neglect="suspected",
        reporting_agency=world.police,
        reporter_name="DI Lee",
        reported_by=world.manager,
    )


def _request(world: Any, incident: Incident, agency: Any, round_: int = 1) -> ChronologyRequest:
    return ChronologyRequest.objects.create(
        incident=incident,
        agency=agency,
        round=round_,
        period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2024, 3, 4),
        scope="full",
        due_on=dt.date(2024, 3, 19),
        requested_on=dt.date(2024, 3, 5),
        requested_by=world.manager,
    )


def _versions(world: Any, request: ChronologyRequest, count: int) -> list[ChronologyVersion]:
    return [
        ChronologyVersion.objects.create(request=request, number=n, submitted_by=world.owner, entry_count=0)
        for n in range(1, count + 1)
    ]


def test_it_gives_each_agency_its_newest_version_in_its_latest_round(world: Any) -> None:
    case = _incident(world, "NS-1")
    police_first = _request(world, case, world.police)
    _versions(world, police_first, 3)
    police_revisit = _request(world, case, world.police, round_=2)
    revisited = _versions(world, police_revisit, 1)[0]  # version 1 of round 2 beats version 3 of round 1
    social_care = _request(world, case, world.social_care)
    newest_social_care = _versions(world, social_care, 2)[-1]
    _request(world, case, world.gp)  # asked, nothing submitted yet
    other_case = _incident(world, "NS-2")
    _versions(world, _request(world, other_case, world.gp), 1)

    current = list(ChronologyVersion.objects.current_for(case))

    assert current == [newest_social_care, revisited]  # by agency name
    assert (
        ChronologyVersion.objects.filter(request__incident__partnership=world.northshire).current().count()
        == 3
    )


def test_it_keeps_the_earlier_round_current_until_the_revisit_is_submitted(world: Any) -> None:
    case = _incident(world, "NS-1")
    first = _versions(world, _request(world, case, world.police), 2)
    _request(world, case, world.police, round_=2)

    assert list(ChronologyVersion.objects.current_for(case)) == [first[-1]]


def test_it_finds_the_newest_version_of_one_request(world: Any) -> None:
    case = _incident(world, "NS-1")
    request = _request(world, case, world.police)
    assert ChronologyVersion.objects.newest_of(request) is None
    versions = _versions(world, request, 2)
    assert ChronologyVersion.objects.newest_of(request) == versions[-1]
