"""The composite, its findings, the exports and the Panel pack read the events stored with each entry:
no page view ever runs the extractor, and a composite whose entries are still being read says so."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from chronicle.accounts.models import User
from chronicle.chronologies.events import read_all
from chronicle.chronologies.models import ChronologyVersion, VersionEntry
from chronicle.composite import services
from chronicle.composite import stored as stored_analysis
from chronicle.composite.models import StoredAnalysis
from chronicle.core import extract
from chronicle.core.events import events_from_json
from chronicle.incidents.models import Incident
from chronicle.reviews.demo import REFERENCE
from chronicle.reviews.models import RapidReview
from tests.factories import signed_in


@pytest.fixture
def queued(settings: Any) -> None:
    """Tasks wait in the database queue for a worker (none runs in these tests)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def demo_case(db: Any, settings: Any, tmp_path: Any, queued: None) -> Incident:
    from chronicle.web.demo import load_demo

    settings.VAR_DIR = tmp_path
    load_demo()
    return Incident.objects.get(reference=REFERENCE)


@pytest.fixture
def extractions() -> Any:
    with (
        mock.patch.object(extract, "extract", wraps=extract.extract) as one,
        mock.patch.object(extract, "extract_many", wraps=extract.extract_many) as many,
    ):
        yield lambda: one.call_count + many.call_count


def test_it_loads_the_demo_case_with_every_entry_read(demo_case: Incident) -> None:
    entries = VersionEntry.objects.filter(version__request__incident=demo_case)
    assert entries.count() > 10
    assert not entries.filter(events__isnull=True).exists()  # read by the loader, with no worker running
    assert set(entries.values_list("events_version", flat=True)) == {extract.EXTRACTOR_VERSION}


def test_it_never_runs_the_extractor_in_a_page_view_export_or_panel_pack(
    demo_case: Incident, extractions: Any
) -> None:
    client = signed_in(User.objects.get(username="manager@northshire.example"))
    code = demo_case.code
    built = services.build(demo_case)
    review = RapidReview.objects.get(incident=demo_case)
    versions = ChronologyVersion.objects.filter(request__incident=demo_case)
    pages = [
        f"/composite/{code}/",
        f"/composite/{code}/findings/",
        f"/composite/{code}/quality/",
        f"/composite/{code}/timeline/",
        f"/composite/{code}/export/",
        *(f"/composite/{code}/entries/{built.uid(i)}/" for i in range(len(built.analysis.entries))),
        *(f"/chronologies/{v.request.code}/versions/{v.number}/" for v in versions),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    for fmt in ("xlsx", "csv"):  # made in the request
        response = client.post(f"/composite/{code}/export/", {"fmt": fmt, "pseudonymise": "on"})
        assert response.status_code == 200, fmt
    # Word and PDF exports and the Panel pack are made by the task worker (run at once in tests).
    for fmt in ("docx", "pdf"):
        response = client.post(f"/composite/{code}/export/", {"fmt": fmt, "pseudonymise": "on"}, follow=True)
        assert response.status_code == 200, fmt
        response = client.post(f"/reviews/{review.code}/panel-pack.{fmt}", follow=True)
        assert response.status_code == 200, fmt
    assert extractions() == 0


def test_it_gives_the_analysis_the_stored_events_one_per_entry_in_order(demo_case: Incident) -> None:
    StoredAnalysis.objects.filter(incident=demo_case).delete()  # analysed again, from the stored events
    with mock.patch.object(stored_analysis, "analyse", wraps=stored_analysis.analyse) as analyse:
        built = services.build(demo_case)
    [call] = analyse.call_args_list
    given_entries, given_events = call.args[0], call.kwargs["events"]
    rows = {str(row.entry_uid): row.events for row in VersionEntry.objects.filter(version__in=built.versions)}
    assert len(given_events) == len(given_entries)
    assert any(given_events)  # the demo's entries do record events
    for entry, events in zip(given_entries, given_events, strict=True):
        assert events == events_from_json(rows[entry.extra[services.UID]])


def test_it_says_plainly_while_entries_are_still_being_read(as_: Any, queued: None, case: Any) -> None:
    unread = VersionEntry.objects.filter(version__request__incident=case, events__isnull=True).count()
    assert unread == 5  # submitted while no worker ran
    for page in ("", "findings/", "quality/", "timeline/"):
        text = as_("manager").get(f"/composite/{case.code}/{page}").content.decode()
        assert "Chronicle is still reading 5 entries; findings will update" in text, page
    read_all()
    text = as_("manager").get(f"/composite/{case.code}/").content.decode()
    assert "still reading" not in text
    assert services.build(case).unread == 0  # the analysis made while reading is not reused
