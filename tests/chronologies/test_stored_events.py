"""Each entry's events are read once and stored with it: in the request for a browser edit, by a task
for imported rows, copied at submit, and by ``chronicle read-events`` for anything left unread."""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command

from chronicle.chronologies import events as stored_events
from chronicle.chronologies.models import DraftEntry, VersionEntry
from chronicle.chronologies.services import submit
from chronicle.chronologies.store import entry_from_row
from chronicle.core import extract
from chronicle.core.events import Event, Subject, events_from_json, events_to_json
from tests.factories import actor_for, add_entry
from tests.support.forms import entry_data, month_csv, new_entry, upload


@pytest.fixture
def queued(settings: Any) -> None:
    """Tasks wait in the database queue for a worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def extractions() -> Any:
    """Counts every reading by the extractor (``extract`` reads one entry through ``extract_many``)."""
    with mock.patch.object(extract, "extract_many", wraps=extract.extract_many) as many:
        yield lambda: many.call_count


def run_queued_tasks() -> None:
    """Do what the worker does with each queued task (the worker itself closes the test's connection)."""
    from django_tasks_db.models import DBTaskResult

    for queued_task in DBTaskResult.objects.ready():
        queued_task.task.call(*queued_task.args_kwargs["args"], **queued_task.args_kwargs["kwargs"])
        queued_task.set_successful(None)


def types(row: Any) -> list[str]:
    return [event.type for event in events_from_json(row.events)]


def test_it_reads_an_entry_saved_in_the_browser_in_the_request(
    as_: Any, police_request: Any, extractions: Any
) -> None:
    new_entry(as_, police_request, event_type="", description="Strategy discussion held with police.")
    entry = DraftEntry.objects.get(request=police_request)
    assert extractions() == 1
    assert "strategy_discussion" in types(entry)
    assert entry.events_version == extract.EXTRACTOR_VERSION


def test_it_reads_an_entry_again_when_its_words_change(as_: Any, world: Any, police_request: Any) -> None:
    new_entry(as_, police_request, event_type="", description="Strategy discussion held with police.")
    entry = DraftEntry.objects.get(request=police_request)
    as_("owner").post(
        f"/chronologies/{police_request.code}/entries/{entry.code}/",
        entry_data(event_type="", description="Child protection medical at the hospital."),
    )
    entry.refresh_from_db()
    assert "medical" in types(entry)
    assert "strategy_discussion" not in types(entry)


def test_it_reads_imported_rows_in_a_task_not_in_the_request(
    as_: Any, police_request: Any, queued: None, extractions: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    upload(as_, police_request, "police.csv", month_csv())
    entries = DraftEntry.objects.filter(request=police_request)
    assert entries.count() == 3
    assert extractions() == 0  # the upload's request read nothing
    assert all(entry.events is None for entry in entries)
    [queued_task] = DBTaskResult.objects.all()
    assert queued_task.task_path == "chronicle.chronologies.events.read_request_events"
    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    assert "Chronicle is still reading 3 entries" in page

    run_queued_tasks()
    assert all(entry.events is not None for entry in entries.all())
    for entry in entries.all():  # what the extractor reads from each entry's words, for the police
        source = extract.source_of(entry_from_row(entry, ""), "police")
        assert entry.events == events_to_json(extract.extract(source))
    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    assert "still reading" not in page


def test_it_reads_imported_rows_as_soon_as_they_are_stored_when_tasks_run_at_once(
    as_: Any, police_request: Any
) -> None:
    upload(as_, police_request, "police.csv", month_csv())
    assert all(e.events_version == extract.EXTRACTOR_VERSION for e in DraftEntry.objects.all())


def test_it_copies_the_drafts_events_at_submit_and_never_reads_them_again(
    world: Any, police_request: Any, extractions: Any
) -> None:
    stored = events_to_json([Event("referral", negated=True, words=("no referral",))])
    add_entry(police_request, world.owner, events=stored, events_version="older-reader")
    version = submit(actor_for(world.owner), police_request)
    [entry] = VersionEntry.objects.filter(version=version)
    assert entry.events == stored
    assert entry.events_version == "older-reader"  # copied as read, not read again
    assert extractions() == 0


def test_it_completes_a_version_whose_rows_were_not_read_yet(
    world: Any, police_request: Any, queued: None
) -> None:
    add_entry(police_request, world.owner, description="Strategy discussion held.")
    version = submit(actor_for(world.owner), police_request)
    [entry] = VersionEntry.objects.filter(version=version)
    assert entry.events is None
    run_queued_tasks()
    entry.refresh_from_db()
    assert "strategy_discussion" in types(entry)
    assert entry.description == "Strategy discussion held."  # the version's own words are unchanged


def test_it_reads_every_unread_entry_with_the_command(world: Any, police_request: Any) -> None:
    draft = add_entry(police_request, world.owner, description="Strategy discussion held.")
    old = add_entry(police_request, world.owner, events=[], events_version="older-reader")
    out = io.StringIO()
    call_command("read-events", stdout=out)
    assert "Read the events of 1 entry" in out.getvalue()
    draft.refresh_from_db()
    old.refresh_from_db()
    assert types(draft) == ["strategy_discussion"]
    assert old.events_version == "older-reader"  # read before: left alone without --stale
    call_command("read-events", stdout=out)
    assert "Read the events of 0 entries" in out.getvalue()


def test_it_reads_entries_read_by_an_older_extractor_with_stale(world: Any, police_request: Any) -> None:
    old = add_entry(
        police_request, world.owner, description="Strategy discussion held.", events=[], events_version="old"
    )
    out = io.StringIO()
    call_command("read-events", "--stale", stdout=out)
    old.refresh_from_db()
    assert old.events_version == extract.EXTRACTOR_VERSION
    assert types(old) == ["strategy_discussion"]
    assert "Read the events of 1 entry" in out.getvalue()


def test_it_shows_each_entrys_events_in_plain_words_on_the_draft_and_version(
    as_: Any, world: Any, police_request: Any
) -> None:
    stored = [
        Event("visit", negated=True, words=("visit was cancelled",)),
        Event("icpc", hypothetical=True, words=("conference to be arranged",)),
        Event("death", historical=True, words=("months before his death",)),
        Event("birth", subject=Subject.SIBLING, words=("younger brother born",)),
    ]
    add_entry(police_request, world.owner, agency_event_type="Concern", events=events_to_json(stored))
    draft = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    version = submit(actor_for(world.owner), police_request)
    submitted = as_("manager").get(f"/chronologies/{police_request.code}/versions/{version.number}/")
    for page in (draft, submitted.content.decode()):
        assert "Home visit by social worker, <strong>did not happen</strong>" in page
        assert "Initial child protection conference, <strong>planned</strong>" in page
        assert "Death, <strong>mentioned in passing</strong>" in page
        assert "Birth, <strong>about a sibling</strong>" in page
        assert "“visit was cancelled”" in page
        assert "Northshire Police’s own type: ‘Concern’" in page


def test_it_says_plainly_when_an_entrys_events_are_not_read_yet(
    as_: Any, world: Any, police_request: Any
) -> None:
    add_entry(police_request, world.owner)
    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    assert "Events not read yet" in page
    assert "Chronicle is still reading 1 entry" in page


def test_it_keeps_reading_out_of_the_entry_history(as_: Any, police_request: Any) -> None:
    new_entry(as_, police_request, event_type="", description="Strategy discussion held with police.")
    entry = DraftEntry.objects.get(request=police_request)
    stored_events.read_request(police_request, stale=True)
    assert entry.history.count() == 1  # the person's save; reading again is not an edit
