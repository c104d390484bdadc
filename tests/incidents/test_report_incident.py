from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from chronicle.audit.models import Action, AuditEvent
from chronicle.incidents.models import Incident
from tests.factories import make_incident
from tests.support.forms import ABOUT, CHILDREN, HARM


@pytest.fixture(autouse=True)
def _northshire_numbers_its_cases(world: Any) -> None:
    world.northshire.case_reference_pattern = "NS-{year}-{number:03}"
    world.northshire.save()


def report(client: Client, agency_code: str, about: dict[str, Any] | None = None) -> Any:
    assert (
        client.post(
            "/incidents/report/", {**ABOUT, "reporting_agency": agency_code, **(about or {})}
        ).status_code
        == 302
    )
    assert client.post("/incidents/report/children/", CHILDREN).status_code == 302
    assert client.post("/incidents/report/harm/", HARM).status_code == 302
    check = client.get("/incidents/report/check/")
    assert b"Check your answers" in check.content and b"Baby H" in check.content
    return client.post("/incidents/report/check/")


@pytest.mark.parametrize("persona", ["owner", "other_agency", "manager"])
def test_it_lets_agency_staff_and_the_manager_report(as_: Any, world: Any, persona: str) -> None:
    agency = world.social_care if persona == "other_agency" else world.police
    response = report(as_(persona), str(agency.code))
    incident = Incident.objects.get(reference="NS-2024-001")
    assert response["Location"] == f"/incidents/{incident.code}/reported/"
    assert incident.partnership == world.northshire and incident.reporting_agency == agency
    assert [c.label for c in incident.children.all()] == ["Baby H", "Sibling J"]
    assert incident.children.get(label="Sibling J").looked_after is True
    assert incident.harm_categories == ["abusive_head_trauma", "fracture"]
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(incident.code)).exists()


def test_it_shows_a_new_report_on_the_managers_dashboard_at_once(as_: Any, world: Any) -> None:
    report(as_("owner"), str(world.police.code))
    dashboard = as_("manager").get("/dashboard/").content
    assert b"NS-2024-001" in dashboard and b"Not screened" in dashboard


@pytest.mark.parametrize("persona", ["reviewer", "auditor"])
def test_it_does_not_let_reviewers_or_auditors_report(as_: Any, world: Any, persona: str) -> None:
    assert as_(persona).get("/incidents/report/").status_code == 404


def test_it_files_another_partnerships_report_under_that_partnership(as_: Any, world: Any) -> None:
    report(as_("outsider"), str(world.southvale_agency.code))
    incident = Incident.objects.get(partnership=world.southvale)
    assert incident.reference == "SI-2024-001"  # Southvale's pattern: the default
    assert b"SI-2024-001" not in as_("manager").get("/dashboard/").content


def test_it_refuses_an_agency_the_reporter_does_not_act_for(as_: Any, world: Any) -> None:
    response = as_("owner").post(
        "/incidents/report/", {**ABOUT, "reporting_agency": str(world.social_care.code)}
    )
    assert response.status_code == 200 and b"govuk-error-summary" in response.content


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, world: Any) -> None:
    assert client.get("/incidents/report/")["Location"].startswith("/sign-in/")


def test_it_names_each_problem_and_saves_nothing(as_: Any, world: Any) -> None:
    client = as_("owner")
    bad = {
        **ABOUT,
        "reporting_agency": str(world.police.code),
        "occurred_on_day": "31",
        "occurred_on_month": "2",
        "aware_on_year": "",
        "in_england": "",
    }
    response = client.post("/incidents/report/", bad)
    content = response.content.decode()
    assert "Date of the incident must be a real date" in content
    assert "must include a year" in content
    assert "Select yes if the incident happened in England" in content
    assert not Incident.objects.exists()


def test_it_refuses_awareness_before_the_incident_and_future_dates(as_: Any, world: Any) -> None:
    client = as_("owner")
    before = client.post(
        "/incidents/report/", {**ABOUT, "reporting_agency": str(world.police.code), "aware_on_day": "1"}
    )
    assert b"must be the same as or after the date of the incident" in before.content
    future = client.post(
        "/incidents/report/",
        {
            **ABOUT,
            "reporting_agency": str(world.police.code),
            "occurred_on_year": "2099",
            "aware_on_year": "2099",
        },
    )
    assert b"must be today or in the past" in future.content


def test_it_needs_the_first_childs_birth_date_or_age(as_: Any, world: Any) -> None:
    client = as_("owner")
    client.post("/incidents/report/", {**ABOUT, "reporting_agency": str(world.police.code)})
    response = client.post("/incidents/report/children/", {"child1-label": "Baby H"})
    assert b"Enter the first child" in response.content
    both = client.post("/incidents/report/children/", {**CHILDREN, "child1-age_years": "1"})
    assert b"Give the date of birth or the age, not both" in both.content


def test_it_makes_the_reference_from_the_partnerships_pattern(as_: Any, world: Any, incident: Any) -> None:
    client = as_("owner")
    page = client.get("/incidents/report/").content.decode()
    assert 'name="reference"' not in page and "Chronicle gives the case its reference" in page
    make_incident(world, reference="NS-2024-041")
    make_incident(world, reference="NS-2023-090")
    report(client, str(world.police.code))
    assert Incident.objects.filter(reference="NS-2024-042").exists()  # 2024: the year of awareness


def test_it_ignores_a_reference_typed_in_by_the_reporter(as_: Any, world: Any) -> None:
    report(as_("owner"), str(world.police.code), {"reference": "Baby Smith"})
    assert list(Incident.objects.values_list("reference", flat=True)) == ["NS-2024-001"]


def test_it_keeps_answers_when_people_go_back(as_: Any, world: Any) -> None:
    client = as_("owner")
    client.post("/incidents/report/", {**ABOUT, "reporting_agency": str(world.police.code)})
    again = client.get("/incidents/report/").content
    assert b'value="DI Priya Lee"' in again and b'value="2024"' in again


def test_it_sends_people_back_to_the_start_when_pages_are_skipped(as_: Any, world: Any) -> None:
    client = as_("owner")
    assert client.get("/incidents/report/check/")["Location"] == "/incidents/report/"
    assert client.get("/incidents/report/harm/")["Location"] == "/incidents/report/children/"


def test_it_shows_every_childs_answers_before_reporting(as_: Any, world: Any) -> None:
    client = as_("owner")
    client.post("/incidents/report/", {**ABOUT, "reporting_agency": str(world.police.code)})
    client.post("/incidents/report/children/", CHILDREN)
    client.post("/incidents/report/harm/", HARM)
    page = " ".join(
        html.unescape(
            re.sub(r"<[^>]+>", " ", client.get("/incidents/report/check/").content.decode())
        ).split()
    )
    child_1 = page[page.index("Child 1") : page.index("Child 2")]
    child_2 = page[page.index("Child 2") : page.index("What happened")]
    for text in (
        "Baby H",
        "Date of birth 1 December 2023",
        "Looked after by a local authority No",
        "A care leaver No",
        "Has a disability Not known",
    ):
        assert text in child_1, text
    for text in (
        "Sibling J",
        "Age 4 years",
        "Looked after by a local authority Yes",
        "A care leaver No",
        "Has a disability Not known",
    ):
        assert text in child_2, text
    assert "Case reference Given by Chronicle when you report: NS-2024-001" in page


def test_it_warns_once_when_a_description_holds_a_name(as_: Any, world: Any) -> None:
    client = as_("owner")
    client.post("/incidents/report/", {**ABOUT, "reporting_agency": str(world.police.code)})
    client.post("/incidents/report/children/", CHILDREN)
    named = {**HARM, "description": "Baby Smith born 1/1/2026 was brought to A&E with bruising."}
    warned = client.post("/incidents/report/harm/", named)
    page = html.unescape(warned.content.decode())
    assert warned.status_code == 200
    assert "“Baby Smith” in “Describe what happened” looks like a real name or a date of birth" in page
    assert "“born 1/1/2026” in “Describe what happened”" in page
    assert 'name="names_checked" value="yes"' in page
    onwards = client.post("/incidents/report/harm/", {**named, "names_checked": "yes"})
    assert onwards["Location"] == "/incidents/report/check/"
    check = html.unescape(client.get("/incidents/report/check/").content.decode())
    assert "“Baby Smith” looks like a real name or a date of birth" in check


def test_it_warns_when_a_pseudonym_looks_like_a_name(as_: Any, world: Any) -> None:
    client = as_("owner")
    client.post("/incidents/report/", {**ABOUT, "reporting_agency": str(world.police.code)})
    page = html.unescape(
        client.post(
            "/incidents/report/children/", {**CHILDREN, "child1-label": "Baby Smith"}
        ).content.decode()
    )
    assert "“Baby Smith” in “Pseudonym” looks like a real name" in page


def test_it_limits_the_description_and_names_the_field(as_: Any, world: Any) -> None:
    client = as_("owner")
    client.post("/incidents/report/", {**ABOUT, "reporting_agency": str(world.police.code)})
    client.post("/incidents/report/children/", CHILDREN)
    response = client.post("/incidents/report/harm/", {**HARM, "description": "x" * 20_000})
    assert "The description of what happened must be 5,000 characters or fewer" in response.content.decode()
    assert client.get("/incidents/report/check/")["Location"] == "/incidents/report/"
    too_long_name = client.post(
        "/incidents/report/",
        {**ABOUT, "reporting_agency": str(world.police.code), "reporter_name": "x" * 300},
    )
    assert "Your name and role must be 200 characters or fewer" in too_long_name.content.decode()
    assert not Incident.objects.exists()
