"""Every role in each of two partnerships, and a person in both, over every object's pages: each
person reaches what their role in the object's partnership allows, and nothing else (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from chronicle.accounts.models import Agency, AgencyType, Partnership, Role
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    ChronologyRequestFactory,
    IncidentFactory,
    MembershipFactory,
    PartnershipFactory,
    ReviewerAssignmentFactory,
    actor_for,
    add_entry,
    make_user,
    signed_in,
    submit,
)

ROLES = ("manager", "lead", "contributor", "partner", "reviewer", "auditor")
ROLE_OF = {
    "manager": Role.BUSINESS_MANAGER,
    "lead": Role.AGENCY_LEAD,
    "contributor": Role.CONTRIBUTOR,
    "partner": Role.STATUTORY_PARTNER,
    "reviewer": Role.REVIEWER,
    "auditor": Role.AUDITOR,
}

# What each role reaches on its own partnership's case (docs/roles-and-access.md). Every other
# page of the case, and every page of the other partnership's case, answers 404. The case's
# chronologies page and its learning points list only the rows the role may read.
ALLOWED = {
    "manager": {
        "incident", "version", "case_chronologies", "composite", "findings", "review",
        "learning_case", "learning_point", "agency",
    },
    "lead": {
        "incident", "draft", "entry", "import", "raw_file", "version", "case_chronologies",
        "learning_case", "learning_point", "agency",
    },
    "contributor": {
        "incident", "draft", "entry", "import", "raw_file", "version", "case_chronologies",
        "learning_case", "learning_point", "agency",
    },
    "partner": {
        "incident", "case_chronologies", "composite", "findings", "review", "learning_case",
        "learning_point", "agency",
    },
    "reviewer": {"incident", "version", "case_chronologies", "composite", "findings", "review", "learning_case", "learning_point"},
    "auditor": {
        "incident", "version", "case_chronologies", "composite", "findings", "review",
        "learning_case", "learning_point", "agency",
    },
}  # fmt: skip


@dataclass
class Case:
    partnership: Partnership
    police: Agency
    people: dict[str, Any]
    urls: dict[str, str]


def _make_case(name: str, prefix: str) -> Case:
    from chronicle.chronologies.models import DraftEntry, ImportBatch
    from chronicle.reviews import services as review_services
    from chronicle.reviews.models import LearningKind, LearningPoint

    partnership = PartnershipFactory(name=f"{name} Safeguarding Children Partnership")
    police = AgencyFactory(
        partnership=partnership,
        name=f"{name} Police",
        agency_type=AgencyType.POLICE,
        is_statutory_partner=True,
    )
    domain = f"{name.lower()}.example"
    people = {
        role: make_user(
            f"{role}@{domain}",
            partnership,
            ROLE_OF[role],
            police if ROLE_OF[role] in (Role.AGENCY_LEAD, Role.CONTRIBUTOR, Role.STATUTORY_PARTNER) else None,
        )
        for role in ROLES
    }
    incident = IncidentFactory(
        partnership=partnership,
        reference=f"{prefix}-2024-001",
        description="A baby taken to hospital with a head injury.",
        reporting_agency=police,
        reported_by=people["lead"],
    )
    ChildFactory(incident=incident, label="Baby K", born_on=dt.date(2023, 12, 1))
    chronology_request = ChronologyRequestFactory(
        incident=incident,
        agency=police,
        period_from=dt.date(2023, 12, 1),
        period_to=dt.date(2024, 3, 4),
        scope="full",
        due_on=dt.date(2024, 3, 19),
        requested_on=dt.date(2024, 3, 5),
        requested_by=people["manager"],
        instructions="",
    )

    def entry(text: str) -> DraftEntry:
        return add_entry(
            chronology_request, people["lead"], "2024-02-03", description=text, source="Niche ref 1"
        )

    entry("Police called to the home; baby seen.")
    submit(people["lead"], chronology_request)
    draft_entry = entry("A later call, not yet submitted.")
    batch = ImportBatch.objects.create(
        request=chronology_request,
        filename="police.csv",
        sha256="0" * 64,
        content=b"Date,What happened\n03/02/2024,Real names here\n",
        entries=1,
        imported_by=people["lead"],
    )
    ReviewerAssignmentFactory(incident=incident, reviewer=people["reviewer"], assigned_by=people["manager"])
    review = review_services.start(actor_for(people["manager"]), incident)
    point = LearningPoint.objects.create(
        partnership=partnership,
        incident=incident,
        kind=LearningKind.REFLECTIVE,
        theme="information_sharing",
        text="Police and health did not share the first injury.",
        created_by=people["manager"],
    )
    point.agencies.add(police)
    code, case = chronology_request.code, incident.code
    urls = {
        "incident": f"/incidents/{case}/",
        "draft": f"/chronologies/{code}/",
        "entry": f"/chronologies/{code}/entries/{draft_entry.code}/",
        "import": f"/chronologies/{code}/import/",
        "raw_file": f"/chronologies/{code}/imports/{batch.code}/file/",
        "version": f"/chronologies/{code}/versions/1/",
        "case_chronologies": f"/chronologies/cases/{case}/",
        "composite": f"/composite/{case}/",
        "findings": f"/composite/{case}/findings/",
        "review": f"/reviews/{review.code}/",
        "learning_case": f"/reviews/learning/cases/{case}/",
        "learning_point": f"/reviews/learning/points/{point.code}/",
        "agency": f"/agencies/{police.code}/",
    }
    return Case(partnership, police, people, urls)


@pytest.fixture
def cases(db: Any) -> dict[str, Case]:
    return {"north": _make_case("Northshire", "NS"), "south": _make_case("Southvale", "SV")}


def reached(client: Any, url: str) -> bool:
    status = client.get(url).status_code
    assert status in (200, 404), f"{url} answered {status}"
    return status == 200


@pytest.mark.parametrize("role", ROLES)
def test_it_gives_each_role_its_own_partnerships_pages_and_nothing_more(
    cases: dict[str, Case], role: str
) -> None:
    for home, away in (("north", "south"), ("south", "north")):
        client = signed_in(cases[home].people[role])
        seen_home = {page for page, url in cases[home].urls.items() if reached(client, url)}
        assert seen_home == ALLOWED[role], f"{role} of {home}"
        seen_away = {page for page, url in cases[away].urls.items() if reached(client, url)}
        assert seen_away == set(), f"{role} of {home} reached {away}'s {seen_away}"


def test_it_keeps_each_role_of_a_person_in_two_partnerships_to_its_own_partnership(
    cases: dict[str, Case],
) -> None:
    """A contributor for Northshire Police who is also Southvale's business manager: a contributor
    in Northshire (their draft, not the composite or the review), a manager in Southvale."""
    person = cases["north"].people["contributor"]
    MembershipFactory(user=person, partnership=cases["south"].partnership, role=Role.BUSINESS_MANAGER)
    client = signed_in(person)
    seen = {side: {page for page, url in cases[side].urls.items() if reached(client, url)} for side in cases}
    assert seen["north"] == ALLOWED["contributor"]
    assert seen["south"] == ALLOWED["manager"]


def test_it_keeps_a_statutory_partner_out_of_their_agencys_draft(cases: dict[str, Case]) -> None:
    case = cases["north"]
    client = signed_in(case.people["partner"])
    assert client.post(case.urls["draft"] + "entries/new/", {"description": "x"}).status_code == 404
    assert client.post(case.urls["import"], {}).status_code == 404
    assert client.get(case.urls["raw_file"]).status_code == 404
