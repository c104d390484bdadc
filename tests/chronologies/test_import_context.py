"""Importing rows whose agency column names context (a court, the family): shown as context, changeable."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chronicle.chronologies.models import DraftEntry, PendingUpload
from chronicle.core.entries import EntryKind

CSV = (
    b"Agency,Date,Source of information,Event details\n"
    b"Northshire Police,03/01/2024,Niche 24/101,Police called to the home\n"
    b"Crown Court,20/06/2024,Court record,Father sentenced\n"
    b"Family (context),05/01/2024,Mother's account to the review,Mother says the baby was unsettled\n"
)


def _upload(client: Any, chronology_request: Any) -> Any:
    return client.post(
        f"/chronologies/{chronology_request.code}/import/",
        {"file": SimpleUploadedFile("police.csv", CSV), "mode": "add"},
    )


def _question_page(client: Any, police_request: Any) -> tuple[str, str]:
    response = _upload(client, police_request)
    assert response.status_code == 302
    location = response["Location"]
    assert location.endswith("/context/")
    return location, client.get(location).content.decode()


def test_it_shows_context_rows_before_importing_and_keeps_them_as_context(
    as_: Any, police_request: Any
) -> None:
    client = as_("owner")
    location, page = _question_page(client, police_request)
    assert not DraftEntry.objects.exists()  # shown first, nothing stored yet
    assert "‘Crown Court’ (1 entry)" in page and "‘Family (context)’ (1 entry)" in page
    assert "no quality scorecard" in page
    response = client.post(location, {"source_0": "context", "source_1": "context"})
    assert response.status_code == 302
    kinds = dict(DraftEntry.objects.values_list("description", "kind"))
    assert kinds == {
        "Police called to the home": EntryKind.RECORD,
        "Father sentenced": EntryKind.CONTEXT,
        "Mother says the baby was unsettled": EntryKind.CONTEXT,
    }
    draft = client.get(response["Location"]).content.decode()
    assert "kept as context" in draft and "Context, not an agency’s record" in draft


def test_it_lets_the_person_say_a_source_is_the_agencys_record(as_: Any, police_request: Any) -> None:
    client = as_("owner")
    location, page = _question_page(client, police_request)
    court = "source_0" if page.index("‘Crown Court’") < page.index("‘Family (context)’") else "source_1"
    family = "source_1" if court == "source_0" else "source_0"
    client.post(location, {court: "record", family: "context"})
    kinds = dict(DraftEntry.objects.values_list("description", "kind"))
    assert kinds["Father sentenced"] == EntryKind.RECORD
    assert kinds["Mother says the baby was unsettled"] == EntryKind.CONTEXT


def test_it_asks_for_an_answer_for_every_source(as_: Any, police_request: Any) -> None:
    client = as_("owner")
    location, _ = _question_page(client, police_request)
    response = client.post(location, {"source_0": "context"})
    assert response.status_code == 200
    assert "Choose whether" in response.content.decode()
    assert not DraftEntry.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("other_agency", 404),
        ("reviewer", 404),
        ("auditor", 404),
        ("manager", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_the_question_only_to_the_agency(
    as_: Any, world: Any, police_request: Any, persona: str, status: int
) -> None:
    upload = PendingUpload.objects.create(
        request=police_request, filename="police.csv", content=CSV, uploaded_by=world.owner
    )
    url = f"/chronologies/{police_request.code}/import/{upload.code}/context/"
    assert as_(persona).get(url).status_code == status


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any, police_request: Any) -> None:
    upload = PendingUpload.objects.create(
        request=police_request, filename="police.csv", content=CSV, uploaded_by=world.owner
    )
    url = f"/chronologies/{police_request.code}/import/{upload.code}/context/"
    assert client.get(url)["Location"].startswith("/sign-in/")
