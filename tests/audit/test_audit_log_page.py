from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from chronicle.audit.models import Action, AuditEvent


@pytest.fixture
def events(world: Any) -> None:
    AuditEvent.objects.create(
        action=Action.VIEW,
        user=world.owner,
        user_label=world.owner.email,
        partnership=world.northshire,
        object_type="agency",
        object_id=str(world.police.code),
        object_label='=HYPERLINK("http://x")',
    )
    AuditEvent.objects.create(
        action=Action.EXPORT,
        user=world.manager,
        user_label=world.manager.email,
        partnership=world.northshire,
        object_type="audit_log",
    )
    AuditEvent.objects.create(
        action=Action.VIEW,
        user=world.outsider,
        user_label=world.outsider.email,
        partnership=world.southvale,
        object_type="agency",
        object_label="Southvale secret",
    )


def table_of(response: Any) -> bytes:
    return bytes(response.content.split(b"<table")[1].split(b"</table>")[0])


def test_it_shows_the_auditor_their_partnerships_events(as_: Any, world: Any, events: None) -> None:
    response = as_("auditor").get("/audit/")
    assert response.status_code == 200
    assert b"police.lead@northshire.example" in response.content
    assert b"Southvale secret" not in response.content


@pytest.mark.parametrize("persona", ["manager", "owner", "other_agency", "reviewer", "outsider"])
def test_it_hides_the_audit_log_from_everyone_else(as_: Any, world: Any, persona: str) -> None:
    client = as_(persona)
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export.csv").status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any) -> None:
    assert client.get("/audit/").status_code == 302
    assert client.get("/audit/export.csv").status_code == 302


def test_it_filters_by_person_action_and_record(as_: Any, world: Any, events: None) -> None:
    client = as_("auditor")
    by_person = table_of(client.get("/audit/", {"user": str(world.manager.code)}))
    assert b"Audit log" in by_person and b"police.lead@" not in by_person
    by_action = table_of(client.get("/audit/", {"action": "view", "object_type": "agency"}))
    assert b"police.lead@" in by_action and b"manager@northshire" not in by_action


def test_it_filters_by_dates_and_checks_their_order(as_: Any, world: Any, events: None) -> None:
    client = as_("auditor")
    future = client.get("/audit/", {"date_from_day": "1", "date_from_month": "1", "date_from_year": "2099"})
    assert b"No events match these filters" in future.content
    backwards = client.get(
        "/audit/",
        {
            "date_from_day": "2",
            "date_from_month": "1",
            "date_from_year": "2024",
            "date_to_day": "1",
            "date_to_month": "1",
            "date_to_year": "2024",
        },
    )
    assert b"must be the same as or after" in backwards.content
    impossible = client.get(
        "/audit/", {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2024"}
    )
    assert b"From must be a real date" in impossible.content


def test_it_exports_csv_with_formulas_neutralised_and_audits_the_export(
    as_: Any, world: Any, events: None
) -> None:
    response = as_("auditor").get("/audit/export.csv", {"action": "view"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "When"
    labels = [row[5] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in labels
    assert all("Southvale" not in label for label in labels)
    assert AuditEvent.objects.filter(action=Action.EXPORT, user=world.auditor).exists()
