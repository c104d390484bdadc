"""The auditor finds a case's events by its reference and records by their names in words; filters that
make no sense are shown as errors, not quietly ignored; exports say which format they were."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from chronicle.accounts.models import User
from chronicle.audit.models import Action, AuditEvent
from chronicle.incidents.models import Incident
from chronicle.jobs.models import Job, JobKind
from tests.factories import make_incident, signed_in


def table_of(response: Any) -> str:
    return response.content.decode().split("<table")[1].split("</table>")[0]


def test_it_finds_every_event_of_a_case_by_its_reference(db: Any) -> None:
    call_command("demo", stdout=StringIO())
    case = Incident.objects.get(reference="NS-2026-002")
    auditor = signed_in(User.objects.get(email="auditor@northshire.example"))
    response = auditor.get("/audit/", {"case": "ns-2026-002"})
    assert response.status_code == 200
    total = int(response.context["page"].paginator.count)
    found = {event.object_type for event in response.context["page"].paginator.object_list}
    # The case's own events and those on its chronologies, versions, review, decisions and positions.
    assert {"incident", "chronologyrequest", "chronologyversion", "rapidreview", "partnerposition"} <= found
    assert {"finding", "decision", "meeting", "consideration"} <= found
    other = Incident.objects.get(reference="NS-2026-031")
    assert not response.context["page"].paginator.object_list.filter(object_id=str(other.code)).exists()
    assert total < AuditEvent.objects.filter(partnership=case.partnership).count()
    words = table_of(auditor.get("/audit/", {"case": "NS-2026-002", "object_type": "partner position"}))
    assert "Partner position" in words and "partnerposition" not in words


def test_it_finds_the_files_made_for_a_case_among_its_events(as_: Any, world: Any) -> None:
    case, other = make_incident(world), make_incident(world, reference="NS-2024-018")
    ours, theirs = (
        Job.objects.create(
            kind=JobKind.PANEL_PACK, incident=incident, requested_by=world.manager, fmt="pdf", request_key=key
        )
        for incident, key in ((case, "ours"), (other, "theirs"))
    )
    for job in (ours, theirs):
        AuditEvent.objects.create(
            action=Action.CREATE, partnership=world.northshire, object_type="job", object_id=str(job.code)
        )
    response = as_("auditor").get("/audit/", {"case": case.reference})
    found = {event.object_id for event in response.context["page"].paginator.object_list}
    assert str(ours.code) in found and str(theirs.code) not in found


def test_it_finds_records_by_their_names_in_words(as_: Any, world: Any) -> None:
    AuditEvent.objects.create(
        action=Action.CREATE,
        partnership=world.northshire,
        object_type="rapidreview",
        object_label="Rapid review of X",
    )
    AuditEvent.objects.create(
        action=Action.VIEW, partnership=world.northshire, object_type="agency", object_label="Ambulance depot"
    )
    client = as_("auditor")
    found = table_of(client.get("/audit/", {"object_type": "Rapid review"}))
    assert "Rapid review of X" in found and "Police" not in found
    assert "rapidreview" not in found


@pytest.mark.parametrize(
    ("filters", "said"),
    [
        ({"case": "NS-2026-101"}, "There is no case NS-2026-101 in your partnership"),
        ({"object_type": "spaceship"}, "No record is called ‘spaceship’"),
        ({"action": "launch"}, "Select an action from the list"),
        ({"user": "not-a-person"}, "Select a person from the list"),
    ],
)
def test_it_shows_a_filter_that_makes_no_sense_as_an_error(
    as_: Any, world: Any, filters: dict[str, str], said: str
) -> None:
    AuditEvent.objects.create(
        action=Action.VIEW, partnership=world.northshire, object_type="agency", object_label="Ambulance depot"
    )
    client = as_("auditor")
    response = client.get("/audit/", filters)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and said in page
    assert "Correct the filters to see the events" in page and "Ambulance depot" not in page
    export = client.get("/audit/export.csv", filters)
    assert export.status_code == 400 and not export["Content-Type"].startswith("text/csv")
    assert not AuditEvent.objects.filter(object_type="audit_log").exists()


def test_it_refuses_a_case_of_another_partnership(as_: Any, world: Any) -> None:
    make_incident(world, partnership=world.southvale, reference="SV-2026-001")
    response = as_("auditor").get("/audit/", {"case": "SV-2026-001"})
    assert response.status_code == 400
    assert "There is no case SV-2026-001 in your partnership" in response.content.decode()


@pytest.mark.parametrize(("fmt", "said"), [("csv", "CSV"), ("xlsx", "Excel")])
def test_it_records_and_shows_the_format_of_an_export(as_: Any, world: Any, fmt: str, said: str) -> None:
    incident = make_incident(world)
    response = as_("manager").post(f"/composite/{incident.code}/export/", {"fmt": fmt, "pseudonymise": "on"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.EXPORT, object_type="composite")
    assert f"({said}," in event.detail
    shown = table_of(as_("auditor").get("/audit/", {"action": "export"}))
    assert f"composite chronology ({said}," in shown
