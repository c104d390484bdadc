from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies import services
from chronicle.chronologies.models import ChronologyRequest, Status
from chronicle.incidents.models import ReviewerAssignment
from tests.factories import add_entry, make_incident, submit


@pytest.fixture
def case(world: Any) -> Any:
    return make_incident(world, reference="NS-2024-050")


def request_data(world: Any, *agencies: Any, **extra: str) -> dict[str, Any]:
    due = timezone.localdate() + dt.timedelta(days=20)
    data: dict[str, Any] = {
        "agencies": [str(a.code) for a in agencies],
        "period_from_day": "1",
        "period_from_month": "1",
        "period_from_year": "2023",
        "period_to_day": "4",
        "period_to_month": "3",
        "period_to_year": "2024",
        "scope": "full",
        "due_on_day": str(due.day),
        "due_on_month": str(due.month),
        "due_on_year": str(due.year),
        "instructions": "Include health visiting records.",
        "preservation_notice": "Preserve all records.",
    }
    data.update(extra)
    return data


def test_it_asks_every_agency_at_once_on_day_0(as_: Any, world: Any, case: Any) -> None:
    response = as_("manager").post(
        f"/chronologies/cases/{case.code}/request/",
        request_data(world, world.police, world.social_care, world.gp),
    )
    assert response.status_code == 302
    requests = ChronologyRequest.objects.filter(incident=case)
    assert {r.agency for r in requests} == {world.police, world.social_care, world.gp}
    assert all(r.requested_on == timezone.localdate() and r.status == Status.REQUESTED for r in requests)
    assert all(r.preservation_notice == "Preserve all records." for r in requests)
    # Agency safeguarding leads are emailed (only Northshire Police has one in the test world).
    assert [m.to for m in mail.outbox] == [["police.lead@northshire.example"]]
    assert "RECORDS PRESERVATION NOTICE" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="chronologyrequest").count() == 3


def test_it_defaults_the_due_date_to_the_partnerships_working_days(as_: Any, world: Any, case: Any) -> None:
    page = as_("manager").get(f"/chronologies/cases/{case.code}/request/")
    due = services.default_due_on(case)
    assert f'value="{due.year}"'.encode() in page.content
    assert world.northshire.request_due_working_days == 10


def test_it_names_every_problem(as_: Any, world: Any, case: Any) -> None:
    data = request_data(world, world.police, period_to_year="2022", scope="", due_on_year="2020")
    data["agencies"] = []
    response = as_("manager").post(f"/chronologies/cases/{case.code}/request/", data)
    text = response.content.decode()
    assert "Select at least one agency" in text
    assert "The end of the period must be the same as or after its start" in text
    assert "Select what to include" in text
    assert "The due date must be today or in the future" in text
    assert not ChronologyRequest.objects.exists()


def test_it_does_not_ask_an_agency_twice(as_: Any, world: Any, case: Any) -> None:
    client = as_("manager")
    client.post(f"/chronologies/cases/{case.code}/request/", request_data(world, world.police))
    page = client.get(f"/chronologies/cases/{case.code}/request/").content.decode()
    assert "Northshire Police" not in page.split('id="main-form"')[1]


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "outsider"])
def test_it_lets_only_the_manager_issue_requests(as_: Any, world: Any, case: Any, persona: str) -> None:
    client = as_(persona)
    assert (
        client.post(
            f"/chronologies/cases/{case.code}/request/", request_data(world, world.police)
        ).status_code
        == 404
    )
    assert client.post(f"/chronologies/cases/{case.code}/reopen/", {"reason": "x"}).status_code == 404
    assert (
        client.post(
            f"/chronologies/cases/{case.code}/reviewers/", {"reviewer": str(world.reviewer.code)}
        ).status_code
        == 404
    )
    assert not ChronologyRequest.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any, case: Any) -> None:
    assert client.get(f"/chronologies/cases/{case.code}/")["Location"].startswith("/sign-in/")


@pytest.fixture
def requested(as_: Any, world: Any, case: Any) -> dict[str, ChronologyRequest]:
    as_("manager").post(
        f"/chronologies/cases/{case.code}/request/", request_data(world, world.police, world.social_care)
    )
    return {r.agency.name: r for r in ChronologyRequest.objects.all()}


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("manager", 200, {"Northshire Police", "Northshire Children&#x27;s Social Care"}),
        ("auditor", 200, {"Northshire Police"}),
        ("owner", 200, {"Northshire Police"}),
        ("other_agency", 200, {"Northshire Children&#x27;s Social Care"}),
        ("reviewer", 404, set()),
        ("outsider", 404, set()),
    ],
)
def test_it_shows_each_person_the_requests_they_may_see(
    as_: Any, case: Any, requested: Any, persona: str, status: int, sees: set[str]
) -> None:
    response = as_(persona).get(f"/chronologies/cases/{case.code}/")
    assert response.status_code == status
    for name in sees:
        assert name in response.content.decode()
    if persona == "owner":
        assert "Children&#x27;s Social Care</td>" not in response.content.decode()


def submit_version(world: Any, chronology_request: ChronologyRequest, user: Any) -> None:
    add_entry(
        chronology_request,
        user,
        "2024-03-01",
        description="Home visit; child seen alone.",
        source="Case note 41",
    )
    submit(user, chronology_request)


def test_it_returns_a_chronology_with_feedback_and_accepts_a_revision(
    as_: Any, world: Any, requested: Any
) -> None:
    police = requested["Northshire Police"]
    submit_version(world, police, world.owner)
    client = as_("manager")
    due = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        f"/chronologies/{police.code}/return/",
        {
            "feedback": "Add the routine visits from 2023.",
            "due_on_day": str(due.day),
            "due_on_month": str(due.month),
            "due_on_year": str(due.year),
        },
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert (police.status, police.feedback, police.due_on) == (
        Status.RETURNED,
        "Add the routine visits from 2023.",
        due,
    )
    assert "Add the routine visits from 2023." in mail.outbox[-1].body
    submit_version(world, police, world.owner)
    assert client.post(f"/chronologies/{police.code}/accept/").status_code == 302
    police.refresh_from_db()
    assert police.status == Status.ACCEPTED and police.versions.count() == 2


def test_it_refuses_to_return_a_chronology_not_yet_submitted(as_: Any, requested: Any) -> None:
    police = requested["Northshire Police"]
    as_("manager").post(f"/chronologies/{police.code}/return/", {"feedback": "x"})
    police.refresh_from_db()
    assert police.status == Status.REQUESTED


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "outsider"])
def test_it_lets_only_the_manager_return_or_accept(
    as_: Any, world: Any, requested: Any, persona: str
) -> None:
    police = requested["Northshire Police"]
    submit_version(world, police, world.owner)
    client = as_(persona)
    assert client.post(f"/chronologies/{police.code}/accept/").status_code == 404
    assert client.post(f"/chronologies/{police.code}/return/", {"feedback": "x"}).status_code == 404
    police.refresh_from_db()
    assert police.status == Status.SUBMITTED


def test_it_reopens_every_chronology_for_a_full_extract_starting_from_the_last_version(
    as_: Any, world: Any, case: Any, requested: Any
) -> None:
    police = requested["Northshire Police"]
    submit_version(world, police, world.owner)
    due = timezone.localdate() + dt.timedelta(days=15)
    response = as_("manager").post(
        f"/chronologies/cases/{case.code}/reopen/",
        {
            "reason": "Accepted for a local child safeguarding practice review.",
            "due_on_day": str(due.day),
            "due_on_month": str(due.month),
            "due_on_year": str(due.year),
        },
    )
    assert response.status_code == 302
    second = ChronologyRequest.objects.filter(round=2)
    assert {r.agency.name for r in second} == {"Northshire Police", "Northshire Children's Social Care"}
    police2 = second.get(agency=world.police)
    assert police2.scope == "full" and police2.reason.startswith("Accepted")
    assert [e.description for e in police2.draft_entries.all()] == ["Home visit; child seen alone."]
    assert police.versions.get().entries.count() == 1  # the earlier version is untouched


def test_it_needs_a_reason_to_reopen(as_: Any, case: Any, requested: Any) -> None:
    response = as_("manager").post(f"/chronologies/cases/{case.code}/reopen/", {"reason": ""})
    assert b"Write why the chronologies are reopened" in response.content
    assert not ChronologyRequest.objects.filter(round=2).exists()


def test_it_assigns_a_reviewer_who_then_sees_the_case(
    as_: Any, world: Any, case: Any, requested: Any
) -> None:
    assert as_("reviewer").get(f"/incidents/{case.code}/").status_code == 404
    as_("manager").post(f"/chronologies/cases/{case.code}/reviewers/", {"reviewer": str(world.reviewer.code)})
    assert ReviewerAssignment.objects.filter(incident=case, reviewer=world.reviewer).exists()
    assert as_("reviewer").get(f"/incidents/{case.code}/").status_code == 200
    assert as_("reviewer").get(f"/chronologies/cases/{case.code}/").status_code == 200


def test_it_shares_the_case_with_the_agencies_asked(as_: Any, case: Any, requested: Any) -> None:
    assert as_("other_agency").get(f"/incidents/{case.code}/").status_code == 200


def test_it_measures_timeliness(world: Any, case: Any, requested: Any) -> None:
    police = requested["Northshire Police"]
    submit_version(world, police, world.owner)
    row = next(r for r in services.timeliness(case) if r.request == police)
    calendar = services.calendar_for(world.northshire)
    assert row.aware_to_request == calendar.working_days_between(case.aware_on, police.requested_on)
    assert row.request_to_submission == 0
    assert not row.late


def test_it_chases_overdue_requests_and_their_agency_leads(world: Any, requested: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    police = requested["Northshire Police"]
    mail.outbox.clear()
    call_command("remind", date=(police.due_on + dt.timedelta(days=1)).isoformat(), stdout=StringIO())
    chased = [m for m in mail.outbox if "Northshire Police's chronology" in m.subject]
    assert chased and set(chased[0].to) == {"police.lead@northshire.example", "manager@northshire.example"}


def test_it_reports_timeliness_by_agency(as_: Any, world: Any, requested: Any) -> None:
    submit_version(world, requested["Northshire Police"], world.owner)
    page = as_("manager").get("/chronologies/timeliness/").content.decode()
    assert "Northshire Police" in page and "None submitted" in page  # social care has not submitted
    rows = {r.agency.name: r for r in services.agency_timeliness(world.northshire)}
    assert (rows["Northshire Police"].requests, rows["Northshire Police"].submitted) == (1, 1)
    assert rows["Northshire Children's Social Care"].median_request_to_submission is None


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor"])
def test_it_shows_agency_timeliness_only_to_the_manager(as_: Any, world: Any, persona: str) -> None:
    assert as_(persona).get("/chronologies/timeliness/").status_code == 404


def test_it_keeps_other_partnerships_out_of_the_timeliness_report(as_: Any, requested: Any) -> None:
    assert "Northshire Police" not in as_("outsider").get("/chronologies/timeliness/").content.decode()
