"""An import is one transaction: the file as sent, its heading decisions and its draft rows, or nothing.

The same file added to a draft that already holds its entries is not added again until the person
says yes on a question page.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import RequestFactory

from chronicle.audit.actor import Actor
from chronicle.chronologies import imports
from chronicle.chronologies.models import DraftEntry, ImportBatch, PendingUpload
from chronicle.core.importing.validate import import_file
from tests.factories import add_entry
from tests.support.forms import month_csv, upload


def store(world: Any, chronology_request: Any, name: str, content: bytes, **kwargs: Any) -> Any:
    result = import_file(content, name, agency=chronology_request.agency.name)
    assert not result.errors
    http_request = RequestFactory().post("/")
    http_request.user = world.owner
    return imports.store_import(
        Actor.from_request(http_request), chronology_request, name, content, result, **kwargs
    )


def test_it_keeps_the_file_exactly_as_the_agency_sent_it_with_its_rows(
    as_: Any, world: Any, police_request: Any
) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    batch = ImportBatch.objects.get(request=police_request)
    assert bytes(batch.content) == month_csv()
    assert batch.sha256 == hashlib.sha256(month_csv()).hexdigest()
    assert batch.mapping["4"] == "description"
    assert DraftEntry.objects.filter(import_batch=batch).count() == 3


def test_it_stores_nothing_when_the_rows_cannot_be_stored(
    world: Any, police_request: Any, monkeypatch: Any
) -> None:
    def disk_full(batch: Any, entries: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(imports, "_insert_entries", disk_full)
    with pytest.raises(OSError, match="No space left"):
        store(world, police_request, "police.csv", month_csv(), replace=False)
    assert not ImportBatch.objects.exists()
    assert not DraftEntry.objects.exists()


def test_it_keeps_the_draft_when_a_replacing_import_fails(
    world: Any, police_request: Any, monkeypatch: Any
) -> None:
    kept = add_entry(police_request, world.owner)
    monkeypatch.setattr(imports, "_insert_entries", lambda batch, entries: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        store(world, police_request, "police.csv", month_csv(), replace=True)
    assert list(DraftEntry.objects.filter(request=police_request)) == [kept]


def test_it_refuses_to_add_a_file_already_in_the_draft_unless_told_to(
    world: Any, police_request: Any
) -> None:
    first = store(world, police_request, "police.csv", month_csv(), replace=False)
    with pytest.raises(imports.AlreadyImported) as refused:
        store(world, police_request, "renamed.csv", month_csv(), replace=False)
    assert refused.value.batch == first
    assert DraftEntry.objects.filter(request=police_request).count() == 3
    store(world, police_request, "police.csv", month_csv(), replace=False, again=True)
    assert DraftEntry.objects.filter(request=police_request).count() == 6


def test_it_adds_a_file_again_once_its_entries_have_left_the_draft(world: Any, police_request: Any) -> None:
    store(world, police_request, "police.csv", month_csv(), replace=False)
    DraftEntry.objects.filter(request=police_request).delete()
    store(world, police_request, "police.csv", month_csv(), replace=False)
    assert DraftEntry.objects.filter(request=police_request).count() == 3


def test_it_asks_before_adding_the_same_file_again_and_adds_nothing_meanwhile(
    as_: Any, world: Any, police_request: Any
) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    response = upload(as_, police_request, "police.csv", month_csv())
    pending = PendingUpload.objects.get(request=police_request)
    assert response.status_code == 302
    assert response["Location"] == f"/chronologies/{police_request.code}/import/{pending.code}/again/"
    assert DraftEntry.objects.filter(request=police_request).count() == 3
    page = as_("owner").get(response["Location"]).content.decode()
    assert "This file is already in the draft" in page
    assert "its 3 entries are in the draft" in page
    assert "Nothing has been added yet" in page


def test_it_adds_the_same_file_again_when_the_person_says_yes(
    as_: Any, world: Any, police_request: Any
) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    question = upload(as_, police_request, "police.csv", month_csv())["Location"]
    response = as_("owner").post(question, {"add_again": "yes"})
    assert response.status_code == 302
    assert DraftEntry.objects.filter(request=police_request).count() == 6
    assert ImportBatch.objects.filter(request=police_request).count() == 2
    assert not PendingUpload.objects.exists()


def test_it_adds_nothing_when_the_person_says_no(as_: Any, world: Any, police_request: Any) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    question = upload(as_, police_request, "police.csv", month_csv())["Location"]
    response = as_("owner").post(question, {"add_again": "no"}, follow=True)
    assert "Nothing was added" in response.content.decode()
    assert DraftEntry.objects.filter(request=police_request).count() == 3
    assert not PendingUpload.objects.exists()


def test_it_asks_for_an_answer(as_: Any, world: Any, police_request: Any) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    question = upload(as_, police_request, "police.csv", month_csv())["Location"]
    page = as_("owner").post(question, {}).content.decode()
    assert "Select yes to add the entries again, or no" in page
    assert DraftEntry.objects.filter(request=police_request).count() == 3


def test_it_replaces_the_draft_with_the_same_file_without_asking(
    as_: Any, world: Any, police_request: Any
) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    response = upload(as_, police_request, "police.csv", month_csv(), mode="replace")
    assert response["Location"] == f"/chronologies/{police_request.code}/"
    assert DraftEntry.objects.filter(request=police_request).count() == 3


@pytest.mark.parametrize("persona", ["other_agency", "reviewer", "manager", "outsider"])
def test_it_hides_the_question_from_everyone_but_the_agency(
    as_: Any, world: Any, police_request: Any, persona: str
) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    question = upload(as_, police_request, "police.csv", month_csv())["Location"]
    assert as_(persona).get(question).status_code == 404
    assert as_(persona).post(question, {"add_again": "yes"}).status_code == 404
    assert DraftEntry.objects.filter(request=police_request).count() == 3


def test_it_sends_anonymous_people_to_sign_in(client: Any, as_: Any, world: Any, police_request: Any) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    question = upload(as_, police_request, "police.csv", month_csv())["Location"]
    response = client.post(question, {"add_again": "yes"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert DraftEntry.objects.filter(request=police_request).count() == 3
