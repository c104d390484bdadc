"""An import is stored in one write (the file as sent); its entries become draft rows afterwards.

The rows are made by a background thread holding the validated entries, or, when that work
was lost, from the stored file by the next person to open the draft. Either way every entry
arrives exactly once, and the rows of a replaced import never arrive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import timezone

from chronicle.chronologies import imports
from chronicle.chronologies.models import ChronologyVersion, DraftEntry, ImportBatch
from chronicle.chronologies.store import copy_fields
from chronicle.core.importing.validate import import_file
from tests.chronologies.test_workspace_import import month_csv, upload, word_table


def store_without_rows(world: Any, chronology_request: Any, name: str, content: bytes, **kwargs: Any) -> Any:
    """Store an import as the upload page does, as if its background work were then lost."""
    result = import_file(content, name, agency=chronology_request.agency.name)
    assert not result.errors
    http_request = RequestFactory().post("/")
    http_request.user = world.owner
    return imports.store_import(http_request, chronology_request, name, content, result, **kwargs)


def rows(chronology_request: Any) -> list[dict[str, Any]]:
    found = DraftEntry.objects.filter(request=chronology_request).order_by("source_row")
    return [copy_fields(entry) for entry in found]


@pytest.fixture
def in_background(settings: Any) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True


def test_it_keeps_the_file_exactly_as_the_agency_sent_it(as_: Any, world: Any, police_request: Any) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    batch = ImportBatch.objects.get(request=police_request)
    assert bytes(batch.content) == month_csv()
    assert batch.sha256 == hashlib.sha256(month_csv()).hexdigest()
    assert batch.mapping == {
        "0": "date",
        "1": "date_precision",
        "2": "time",
        "3": "agency",
        "4": "description",
        "5": "source",
    }
    assert not batch.rows_pending


@pytest.mark.django_db(transaction=True)
def test_it_makes_the_rows_in_the_background_once_the_upload_has_answered(
    as_: Any, world: Any, police_request: Any, in_background: None, monkeypatch: Any
) -> None:
    # The test database (shared-cache SQLite in memory) cannot wait for a lock as a real one does,
    # so the worker is held until the upload's request has finished saving its session.
    handed_over: list[tuple[Any, ...]] = []
    monkeypatch.setattr(imports, "_start_worker", lambda *args: handed_over.append(args))
    response = upload(as_, police_request, "police.csv", month_csv())
    assert response.status_code == 302
    assert ImportBatch.objects.get(request=police_request).rows_pending
    assert not rows(police_request)

    monkeypatch.undo()
    [(batch_pk, entries)] = handed_over
    assert len(entries) == 3  # the validated entries, not the file read again
    imports._start_worker(batch_pk, entries)
    imports.wait_for_background_rows(timeout=30)
    batch = ImportBatch.objects.get(request=police_request)
    assert batch.pk == batch_pk and not batch.rows_pending
    assert [row["date_text"] for row in rows(police_request)] == ["2016-05", "2016-06-03", "2016-07"]
    made = DraftEntry.objects.filter(request=police_request)
    assert all(entry.import_batch_id == batch.pk and entry.created_by_id == world.owner.pk for entry in made)


def test_it_tries_again_when_the_database_is_busy(world: Any, police_request: Any, monkeypatch: Any) -> None:
    batch = store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_pending=True, rows_claimed_at=None)
    DraftEntry.objects.filter(request=police_request)._raw_delete(DraftEntry.objects.db)
    make_rows = imports.make_rows
    attempts: list[int] = []

    def busy_twice(batch_pk: int, entries: Any) -> bool:
        attempts.append(batch_pk)
        if len(attempts) <= 2:
            raise OperationalError("database is locked")
        return make_rows(batch_pk, entries)

    monkeypatch.setattr(imports, "make_rows", busy_twice)
    monkeypatch.setattr(imports, "WORKER_RETRY_DELAYS", (0.0, 0.0, 0.0, None))
    monkeypatch.setattr(imports.connection, "close", lambda: None)  # the test's own connection
    imports._work(batch.pk, import_file(month_csv(), "police.csv", agency="Northshire Police").entries)
    assert len(attempts) == 3
    assert len(rows(police_request)) == 3


def test_it_makes_waiting_rows_from_the_stored_file_when_the_draft_is_opened(
    as_: Any, world: Any, police_request: Any, settings: Any
) -> None:
    # The same file stored and made at once, to compare with.
    upload(as_, police_request, "police.csv", month_csv())
    made_at_once = rows(police_request)
    DraftEntry.objects.filter(request=police_request)._raw_delete(DraftEntry.objects.db)

    settings.IMPORT_ROWS_IN_BACKGROUND = True  # on_commit never runs in a test: the work is "lost"
    batch = store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    assert batch.rows_pending and not rows(police_request)

    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    assert "3 entries in the draft" in page
    assert "being added" not in page
    assert rows(police_request) == made_at_once
    batch.refresh_from_db()
    assert not batch.rows_pending


def test_it_reads_a_mapped_word_table_again_with_the_decisions_made_on_upload(
    as_: Any, world: Any, police_request: Any
) -> None:
    content = word_table(
        ["Date", "Happening", "Where from", "Notes"],
        [
            ["22/05/2016", "Officers attended after a 999 call", "Incident 2291", "Follow-up"],
            ["?June 2016", "Neighbour reported crying", "Call log 1180", ""],
        ],
    )
    response = upload(as_, police_request, "police.docx", content)
    answer = {"column_1": "description", "column_2": "source", "column_3": "ignore"}
    assert as_("owner").post(response["Location"], answer).status_code == 302
    made_at_once = rows(police_request)
    assert len(made_at_once) == 2
    batch = ImportBatch.objects.get(request=police_request)

    # Lose the rows and ask the draft for them again: the stored decisions read the file the same way.
    DraftEntry.objects.filter(request=police_request)._raw_delete(DraftEntry.objects.db)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_pending=True, rows_claimed_at=None)
    assert imports.make_waiting_rows(police_request) == []
    assert rows(police_request) == made_at_once


def test_it_shows_entries_being_added_and_refuses_to_submit_until_they_are(
    as_: Any, world: Any, police_request: Any, settings: Any
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    batch = store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    # Another server process has just claimed the work.
    ImportBatch.objects.filter(pk=batch.pk).update(rows_claimed_at=timezone.now())

    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    assert "Entries being added" in page
    assert "The 3 entries from police.csv are being added to the draft" in page
    assert not rows(police_request)

    form = as_("owner").get(f"/chronologies/{police_request.code}/submit/").content.decode()
    assert "The 3 entries from police.csv are still being added to the draft and are not counted here" in form
    response = as_("owner").post(f"/chronologies/{police_request.code}/submit/", {"note": ""})
    assert response.status_code == 200
    assert "the entries from police.csv are still being added to the draft" in response.content.decode()
    assert not ChronologyVersion.objects.filter(request=police_request).exists()


def test_it_takes_over_work_left_by_a_lost_worker(
    as_: Any, world: Any, police_request: Any, settings: Any
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    batch = store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    long_ago = timezone.now() - imports.STALE_CLAIM - dt.timedelta(seconds=1)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_claimed_at=long_ago)

    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    assert "Entries being added" not in page
    assert len(rows(police_request)) == 3


def test_it_submits_after_making_the_waiting_rows(
    as_: Any, world: Any, police_request: Any, settings: Any
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    response = as_("owner").post(f"/chronologies/{police_request.code}/submit/", {"note": ""})
    assert response.status_code == 302
    assert ChronologyVersion.objects.get(request=police_request).entry_count == 3


def test_it_never_adds_the_rows_of_an_import_replaced_before_they_were_made(
    as_: Any, world: Any, police_request: Any, settings: Any
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    first = store_without_rows(world, police_request, "first.csv", month_csv(), replace=False)
    one_row = b"date,event,source\n02/03/2017,Officers attended the address,Incident 3001\n"
    second = store_without_rows(world, police_request, "second.csv", one_row, replace=True)

    assert imports.make_waiting_rows(police_request) == []
    assert [row["description"] for row in rows(police_request)] == ["Officers attended the address"]
    first.refresh_from_db()
    assert not first.rows_pending
    assert not imports.make_rows(first.pk)
    assert DraftEntry.objects.filter(import_batch=first).count() == 0
    assert DraftEntry.objects.filter(import_batch=second).count() == 1


def test_it_drops_rows_made_while_the_import_was_being_replaced(
    world: Any, police_request: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    batch = store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    insert = imports._insert_entries

    def insert_then_replaced(*args: Any) -> None:
        insert(*args)
        # What "replace the draft" does in another request while these rows are being written.
        ImportBatch.objects.filter(pk=batch.pk).update(rows_pending=False, rows_claimed_at=None)

    monkeypatch.setattr(imports, "_insert_entries", insert_then_replaced)
    assert not imports.make_rows(batch.pk)
    assert not rows(police_request)


def test_it_tells_the_agency_when_a_stored_file_no_longer_reads_the_same(
    as_: Any, world: Any, police_request: Any, settings: Any
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    batch = store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    # As if Chronicle had changed how it reads the file between the upload and the rows.
    ImportBatch.objects.filter(pk=batch.pk).update(entries=4)

    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    assert "The entries from police.csv could not be added" in page
    assert "now gives 3 entries and 0 errors rather than the 4 entries it gave when imported" in page
    assert not rows(police_request)
    batch.refresh_from_db()
    assert not batch.rows_pending


@pytest.mark.parametrize("persona", ["other_agency", "reviewer", "outsider"])
def test_it_makes_no_rows_for_people_who_cannot_see_the_draft(
    as_: Any, world: Any, police_request: Any, settings: Any, persona: str
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    assert as_(persona).get(f"/chronologies/{police_request.code}/").status_code == 404
    assert not rows(police_request)


def test_it_sends_anonymous_people_to_sign_in_without_making_rows(
    client: Any, world: Any, police_request: Any, settings: Any
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    response = client.get(f"/chronologies/{police_request.code}/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not rows(police_request)


def test_it_uploads_through_the_page_with_the_file_kept_even_when_rows_come_later(
    as_: Any, world: Any, police_request: Any, settings: Any
) -> None:
    settings.IMPORT_ROWS_IN_BACKGROUND = True
    client = as_("owner")
    response = client.post(
        f"/chronologies/{police_request.code}/import/",
        {"file": SimpleUploadedFile("police.csv", month_csv()), "mode": "add"},
    )
    assert response.status_code == 302
    assert ImportBatch.objects.get(request=police_request).rows_pending  # the thread starts on commit
    page = client.get(response["Location"]).content.decode()
    assert "3 entries imported from police.csv" in page
    assert "3 entries in the draft" in page


def test_it_waits_for_this_process_s_own_background_work_before_showing_the_draft(
    world: Any, police_request: Any, settings: Any, monkeypatch: Any
) -> None:
    import threading
    import time

    settings.IMPORT_ROWS_IN_BACKGROUND = True
    batch = store_without_rows(world, police_request, "police.csv", month_csv(), replace=False)
    worker = threading.Thread(target=time.sleep, args=(0.3,))
    monkeypatch.setitem(imports._workers, batch.pk, worker)
    worker.start()
    assert imports.make_waiting_rows(police_request, wait=0) == []  # nobody had claimed it: made here
    assert worker.is_alive()

    ImportBatch.objects.filter(pk=batch.pk).update(rows_pending=True, rows_claimed_at=None)
    DraftEntry.objects.filter(request=police_request)._raw_delete(DraftEntry.objects.db)
    worker = threading.Thread(target=time.sleep, args=(0.3,))
    monkeypatch.setitem(imports._workers, batch.pk, worker)
    worker.start()
    assert imports.make_waiting_rows(police_request, wait=5) == []
    assert not worker.is_alive()  # waited for it first
    assert len(rows(police_request)) == 3
