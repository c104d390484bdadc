"""The agency downloads a file it imported, exactly as it was sent; nobody else can."""

from __future__ import annotations

from typing import Any

import pytest

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies.models import ImportBatch
from tests.factories import make_incident, make_request
from tests.support.forms import month_csv, upload


def file_url(police_request: Any, batch: Any) -> str:
    return f"/chronologies/{police_request.code}/imports/{batch.code}/file/"


def test_it_gives_the_owning_agency_its_file_exactly_as_sent(
    as_: Any, world: Any, police_request: Any
) -> None:
    upload(as_, police_request, "police chronology (final).csv", month_csv())
    batch = ImportBatch.objects.get(request=police_request)
    client = as_("owner")
    page = client.get(f"/chronologies/{police_request.code}/").content.decode()
    assert f'href="{file_url(police_request, batch)}"' in page

    response = client.get(file_url(police_request, batch))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == month_csv()
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "police chronology (final).csv" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(batch.code)).get()
    assert event.user == world.owner
    assert "police chronology (final).csv" in event.detail


@pytest.mark.parametrize("persona", ["other_agency", "reviewer", "outsider", "manager", "auditor"])
def test_it_hides_the_file_from_everyone_outside_the_agency(
    as_: Any, world: Any, police_request: Any, persona: str
) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    batch = ImportBatch.objects.get(request=police_request)
    assert as_(persona).get(file_url(police_request, batch)).status_code == 404
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


def test_it_sends_anonymous_people_to_sign_in(client: Any, as_: Any, police_request: Any) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    batch = ImportBatch.objects.get(request=police_request)
    response = client.get(file_url(police_request, batch))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_it_does_not_offer_a_file_imported_before_files_were_kept(as_: Any, police_request: Any) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    batch = ImportBatch.objects.get(request=police_request)
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"")
    client = as_("owner")
    page = client.get(f"/chronologies/{police_request.code}/").content.decode()
    assert file_url(police_request, batch) not in page and "police.csv" in page
    assert client.get(file_url(police_request, batch)).status_code == 404


def test_it_does_not_give_one_request_s_file_through_another(
    as_: Any, world: Any, police_request: Any
) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    batch = ImportBatch.objects.get(request=police_request)
    other_case = make_request(world, make_incident(world, reference="NS-2024-099"))
    assert as_("owner").get(file_url(other_case, batch)).status_code == 404
