"""Files made by the worker: asking for one, following it, downloading it, asking again, expiry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from chronicle.audit.models import Action, AuditEvent
from chronicle.jobs import services
from chronicle.jobs.models import Job, JobStatus
from chronicle.reviews.models import RapidReview


def ask_for_pack(client: Any, review: RapidReview, fmt: str = "pdf", **data: str) -> Any:
    return client.post(f"/reviews/{review.code}/panel-pack.{fmt}", data)


@pytest.fixture
def no_worker(settings: Any) -> None:
    # The database queue with no worker running: the file waits, as it would in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_it_shows_the_file_being_made_on_a_page_that_refreshes_itself(
    as_: Any, review: RapidReview, no_worker: None
) -> None:
    client = as_("manager")
    response = ask_for_pack(client, review)
    page = client.get(response["Location"])
    assert b"Your file is being made" in page.content
    assert b'<meta http-equiv="refresh" content="3">' in page.content
    assert b"Waiting for the worker" in page.content
    # No file yet: the download link goes back to the page.
    assert client.get(response["Location"] + "download/")["Location"] == response["Location"]


def test_it_gives_the_running_file_when_asked_twice(as_: Any, review: RapidReview, no_worker: None) -> None:
    client = as_("manager")
    first = ask_for_pack(client, review)["Location"]
    second = ask_for_pack(client, review)["Location"]
    assert first == second
    assert Job.objects.count() == 1
    # A different format, or another person, is another file.
    assert ask_for_pack(client, review, "docx")["Location"] != first
    assert ask_for_pack(as_("auditor"), review)["Location"] != first
    assert Job.objects.count() == 3


def test_it_refuses_a_second_running_file_for_the_same_request_in_the_database(
    world: Any, review: RapidReview, no_worker: None
) -> None:
    from django.db import IntegrityError, transaction

    job = Job.objects.get(pk=services.ask(_actor(world.manager), "panel_pack", review.incident, "pdf").pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(
            kind=job.kind,
            incident=job.incident,
            requested_by=job.requested_by,
            fmt="pdf",
            request_key=job.request_key,
        )


def _actor(user: Any) -> Any:
    from chronicle.audit.actor import Actor

    return Actor(
        user=user, partnership=user.memberships.first().partnership, ip_address="10.0.0.9", user_agent="Test"
    )


def test_it_makes_the_file_with_a_panel_when_ready_and_audits_each_download(
    as_: Any, review: RapidReview, world: Any
) -> None:
    client = as_("manager")
    location = ask_for_pack(client, review, "docx")["Location"]
    page = client.get(location)
    assert b"govuk-panel--confirmation" in page.content and b"Your file is ready" in page.content
    assert b"refresh" not in page.content
    job = Job.objects.get()
    assert job.status == JobStatus.READY and job.attempts == 1
    assert job.expires_at is not None
    assert job.expires_at - job.finished_at == dt.timedelta(days=7)  # type: ignore[operator]
    for _ in range(2):
        response = client.get(location + "download/")
        assert response.content.startswith(b"PK")
        assert response["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    downloads = AuditEvent.objects.filter(
        action=Action.EXPORT, detail__startswith="downloaded the Panel pack"
    )
    assert downloads.count() == 2
    assert {d.user for d in downloads} == {world.manager}
    asked = AuditEvent.objects.get(action=Action.CREATE, object_type="job")
    assert asked.user == world.manager and asked.path == f"/reviews/{review.code}/panel-pack.docx"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("auditor", 200),
        ("reviewer", 200),  # assigned to the case
        ("owner", 404),  # the owning agency sees its own chronology only
        ("other_agency", 404),
        ("outsider", 404),
    ],
)
def test_it_lets_only_those_who_may_read_the_case_follow_and_download_the_file(
    as_: Any, review: RapidReview, persona: str, status: int
) -> None:
    location = ask_for_pack(as_("manager"), review)["Location"]
    client = as_(persona)
    assert client.get(location).status_code == status
    download = client.get(location + "download/")
    assert download.status_code == status
    assert client.post(location + "again/").status_code == (302 if status == 200 else 404)
    if status == 404:
        assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, object_type="job").exists()


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, as_: Any, review: RapidReview) -> None:
    location = ask_for_pack(as_("manager"), review)["Location"]
    for path in ("", "download/"):
        assert client.get(location + path)["Location"].startswith("/sign-in/")
    assert client.post(location + "again/")["Location"].startswith("/sign-in/")


def test_it_keeps_a_file_with_names_shown_to_the_business_manager(as_: Any, review: RapidReview) -> None:
    location = ask_for_pack(as_("manager"), review, names="shown")["Location"]
    assert Job.objects.get().pseudonymise is False
    assert as_("manager").get(location + "download/").status_code == 200
    assert as_("auditor").get(location + "download/").status_code == 404


def test_it_offers_to_try_again_when_the_file_could_not_be_made(
    as_: Any, review: RapidReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chronicle.reviews import pack

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(pack, "panel_pack_bytes", broken)
    client = as_("manager")
    location = ask_for_pack(client, review)["Location"]
    page = client.get(location).content.decode()
    assert "Your file could not be made" in page and "disk full" in page and "Try again" in page
    monkeypatch.undo()
    assert client.post(location + "again/")["Location"] == location
    job = Job.objects.get()
    assert job.status == JobStatus.READY and job.error == ""
    assert b"Your file is ready" in client.get(location).content


def test_it_deletes_files_past_their_keeping_time(as_: Any, review: RapidReview) -> None:
    location = ask_for_pack(as_("manager"), review)["Location"]
    job = Job.objects.get()
    assert job.path.exists()
    assert services.delete_expired(timezone.now() + dt.timedelta(days=6)) == 0
    assert services.delete_expired(timezone.now() + dt.timedelta(days=7, minutes=1)) == 1
    assert not job.path.exists()
    page = as_("manager").get(location).content.decode()
    assert "Your file has been deleted" in page
    assert as_("manager").get(location + "download/")["Location"] == location


def test_it_makes_a_filtered_composite_in_the_background(as_: Any, case: Any, world: Any) -> None:
    client = as_("manager")
    response = client.post(
        f"/composite/{case.code}/export/",
        {"fmt": "docx", "pseudonymise": "on", "agencies": [world.police.name]},
    )
    job = Job.objects.get()
    assert response["Location"] == f"/files/{job.code}/"
    assert job.filters == {"agencies": [world.police.name]}
    assert "filtered" in services.describe(job)
    assert client.get(f"/files/{job.code}/download/").content.startswith(b"PK")
