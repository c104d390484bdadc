from __future__ import annotations

import uuid
from typing import Any

import pytest

from chronicle.accounts.models import Agency
from chronicle.audit.models import Action, AuditEvent, Outcome

NEW_AGENCY = {"name": "Northshire Housing", "agency_type": "housing"}


def test_it_lists_agencies_for_the_business_manager(as_: Any, world: Any) -> None:
    response = as_("manager").get("/partnership/agencies/")
    assert response.status_code == 200
    assert b"Northshire Police" in response.content
    assert b"Southvale Police" not in response.content


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor"])
def test_it_hides_agency_administration_from_everyone_else(as_: Any, world: Any, persona: str) -> None:
    client = as_(persona)
    assert client.get("/partnership/agencies/").status_code == 404
    assert client.post("/partnership/agencies/new/", NEW_AGENCY).status_code == 404
    assert not Agency.objects.filter(name="Northshire Housing").exists()
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, user=getattr(world, persona)).exists()


def test_it_shows_another_partnerships_manager_only_their_own_agencies(as_: Any, world: Any) -> None:
    response = as_("outsider").get("/partnership/agencies/")
    assert b"Southvale Police" in response.content
    assert b"Northshire Police" not in response.content


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any) -> None:
    for url in ["/partnership/agencies/", "/partnership/agencies/new/", f"/agencies/{world.police.code}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_it_adds_an_agency_and_audits_it(as_: Any, world: Any) -> None:
    response = as_("manager").post("/partnership/agencies/new/", NEW_AGENCY)
    assert response.status_code == 302
    agency = Agency.objects.get(name="Northshire Housing")
    assert agency.partnership == world.northshire
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="agency")
    assert event.object_id == str(agency.code)
    assert agency.history.count() == 1


def test_it_names_every_missing_field(as_: Any, world: Any) -> None:
    response = as_("manager").post("/partnership/agencies/new/", {"name": "", "agency_type": ""})
    assert response.status_code == 200
    assert b"Enter the agency&#x27;s name" in response.content
    assert b"Select the type of agency" in response.content
    assert response.content.index(b"govuk-error-summary") < response.content.index(b'id="main-form"')
    assert Agency.objects.count() == 4


def test_it_refuses_a_duplicate_agency_name(as_: Any, world: Any) -> None:
    response = as_("manager").post(
        "/partnership/agencies/new/", {"name": "northshire police", "agency_type": "police"}
    )
    assert b"already has an agency with this name" in response.content
    assert Agency.objects.filter(partnership=world.northshire).count() == 3


def test_it_allows_the_same_name_in_another_partnership(as_: Any, world: Any) -> None:
    response = as_("outsider").post(
        "/partnership/agencies/new/", {"name": "Northshire Police", "agency_type": "police"}
    )
    assert response.status_code == 302
    assert Agency.objects.filter(name="Northshire Police").count() == 2


def test_it_changes_an_agency(as_: Any, world: Any) -> None:
    url = f"/partnership/agencies/{world.gp.code}/change/"
    response = as_("manager").post(url, {"name": "Riverside Medical Centre", "agency_type": "gp_practice"})
    assert response.status_code == 302
    world.gp.refresh_from_db()
    assert world.gp.name == "Riverside Medical Centre"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(world.gp.code)).exists()


def test_it_hides_another_partnerships_agency_from_its_manager(as_: Any, world: Any) -> None:
    url = f"/partnership/agencies/{world.police.code}/change/"
    assert as_("outsider").post(url, {"name": "Hijacked", "agency_type": "police"}).status_code == 404
    world.police.refresh_from_db()
    assert world.police.name == "Northshire Police"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("owner", 200),
        ("auditor", 200),
        ("other_agency", 404),
        ("reviewer", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_an_agency_page_only_to_its_people_managers_and_auditors(
    as_: Any, world: Any, persona: str, status: int
) -> None:
    response = as_(persona).get(f"/agencies/{world.police.code}/")
    assert response.status_code == status
    if status == 200:
        assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(world.police.code)).exists()
    else:
        denied = AuditEvent.objects.get(action=Action.ACCESS_DENIED, object_id=str(world.police.code))
        assert denied.outcome == Outcome.DENIED
        assert denied.user == getattr(world, persona)


def test_it_answers_a_guessed_agency_code_like_a_forbidden_one(as_: Any, world: Any) -> None:
    guessed = uuid.uuid4()
    client = as_("other_agency")
    unknown = client.get(f"/agencies/{guessed}/")
    forbidden = client.get(f"/agencies/{world.police.code}/")
    assert unknown.status_code == forbidden.status_code == 404
    assert b"Page not found" in unknown.content and b"Page not found" in forbidden.content
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, object_id=str(guessed)).exists()
