"""Two people at once on PostgreSQL: each race that lost or multiplied work, reproduced and shown fixed.

- an upload and a submit at once: the version holds the whole import or none of it;
- two editors of one entry: one save wins, the other is told what changed and keeps their words;
- a double "submit chronology": one version, both posts land on the chronology, never a 500;
- four managers saving the decision at once: one version each or a clear conflict, never a 500;
- the same file added twice at once: its entries once, and a question for the second;
- a double "new entry": one entry.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from chronicle.accounts.models import Role
from chronicle.audit.models import AuditEvent
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.models import ChronologyVersion, DraftEntry, ImportBatch
from chronicle.reviews import services as review_services
from chronicle.reviews.models import Decision, RapidReview
from tests.factories import add_entry, make_user, signed_in
from tests.support.forms import (
    ABOUT,
    CHILDREN,
    HARM,
    big_csv,
    consider_all,
    decide,
    entry_data,
    meet,
    month_csv,
)
from tests.support.races import after_save, at_once, held_after_save, hidden, slowed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def upload_file(client: Any, chronology_request: Any, name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/chronologies/{chronology_request.code}/import/",
        {"file": SimpleUploadedFile(name, content), "mode": "add"},
    )


def test_it_never_freezes_part_of_an_import_when_a_submit_races_the_upload(
    world: Any, police_request: Any
) -> None:
    add_entry(police_request, world.owner, "2016-01-04")
    add_entry(police_request, world.owner, "2016-01-05")
    rows_in = threading.Event()

    def hold(_: AuditEvent) -> None:
        rows_in.set()  # the rows are written but not committed: the submit arrives now
        time.sleep(0.8)

    # The import is recorded in the audit log after its rows, in the same transaction.
    imported = after_save(AuditEvent, hold, when=lambda event: event.object_type == "importbatch")
    big = big_csv(5_000, bad_row=0)
    uploader, submitter = signed_in(world.owner), signed_in(world.owner)
    submit_page = submitter.get(f"/chronologies/{police_request.code}/submit/").content.decode()
    token = hidden(submit_page, "form_token")

    def submit_while_uploading() -> Any:
        assert rows_in.wait(60)
        started = time.monotonic()
        response = submitter.post(f"/chronologies/{police_request.code}/submit/", {"form_token": token})
        return response, time.monotonic() - started

    with imported:
        uploaded, (submitted, waited) = at_once(
            lambda: upload_file(uploader, police_request, "police-extract.csv", big), submit_while_uploading
        )
    assert uploaded.status_code == 302 and submitted.status_code == 302
    version = ChronologyVersion.objects.get(request=police_request)
    drafts = DraftEntry.objects.filter(request=police_request).count()
    assert drafts == 5_002
    assert version.entry_count == version.entries.count() == drafts  # the whole import, not 2 entries
    assert waited > 0.3  # the submit waited for the import's lock


def test_it_keeps_both_editors_work_safe_when_they_save_one_entry_at_once(
    world: Any, police_request: Any, monkeypatch: Any
) -> None:
    analyst = make_user("police.analyst@northshire.example", world.northshire, Role.AGENCY_LEAD, world.police)
    entry = add_entry(police_request, world.owner, description="Officers attended.", outcome="")
    url = f"/chronologies/{police_request.code}/entries/{entry.code}/"
    first, second = signed_in(world.owner), signed_in(analyst)
    pages = [client.get(url).content.decode() for client in (first, second)]
    posts = [
        {
            **entry_data(description="Officers attended; Baby G seen asleep.", outcome=""),
            "form_token": hidden(pages[0], "form_token"),
        },
        {
            **entry_data(description="Officers attended.", outcome="Referral to children's social care"),
            "form_token": hidden(pages[1], "form_token"),
        },
    ]
    for post, page in zip(posts, pages, strict=True):
        post["read_version"] = hidden(page, "read_version")
    monkeypatch.setattr(chronology_services, "record_as", slowed(chronology_services.record_as))

    responses = at_once(lambda: first.post(url, posts[0]), lambda: second.post(url, posts[1]))

    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 302]  # one saved, one told: nobody is told "saved" for lost work
    winner = 0 if responses[0].status_code == 302 else 1
    loser = responses[1 - winner].content.decode()
    assert "changed this entry" in loser and "Your changes have not been saved" in loser
    assert posts[1 - winner]["description"] in loser or posts[1 - winner]["outcome"] in loser  # input kept
    entry.refresh_from_db()
    assert (entry.description, entry.outcome) == (posts[winner]["description"], posts[winner]["outcome"])
    assert entry.lock_version == 1


def test_it_makes_one_version_from_a_double_submit(world: Any, police_request: Any) -> None:
    add_entry(police_request, world.owner)
    client = signed_in(world.owner)
    url = f"/chronologies/{police_request.code}/submit/"
    token = hidden(client.get(url).content.decode(), "form_token")
    with held_after_save(ChronologyVersion):
        responses = at_once(
            lambda: client.post(url, {"form_token": token}), lambda: client.post(url, {"form_token": token})
        )

    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {f"/chronologies/{police_request.code}/"}
    assert list(
        ChronologyVersion.objects.filter(request=police_request).values_list("number", flat=True)
    ) == [1]


def test_it_makes_one_version_when_two_tabs_submit_the_same_draft(world: Any, police_request: Any) -> None:
    add_entry(police_request, world.owner)
    tabs = [signed_in(world.owner), signed_in(world.owner)]
    url = f"/chronologies/{police_request.code}/submit/"
    tokens = [hidden(tab.get(url).content.decode(), "form_token") for tab in tabs]
    with held_after_save(ChronologyVersion):
        responses = at_once(
            *(
                lambda tab=tab, token=token: tab.post(url, {"form_token": token})
                for tab, token in zip(tabs, tokens, strict=True)
            )
        )

    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    assert "Nothing has changed since version 1" in refused
    assert ChronologyVersion.objects.filter(request=police_request).count() == 1


def test_it_records_one_decision_when_four_managers_save_it_at_once(
    world: Any,
    as_: Any,
    case: Any,
    monkeypatch: Any,
) -> None:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    review = RapidReview.objects.get(incident=case)
    managers = [world.manager] + [
        make_user(f"manager{n}@northshire.example", world.northshire, Role.BUSINESS_MANAGER)
        for n in (2, 3, 4)
    ]
    clients = [signed_in(manager) for manager in managers]
    pages = [client.get(f"/reviews/{review.code}/decision/").content.decode() for client in clients]
    monkeypatch.setattr(review_services, "record_as", slowed(review_services.record_as, 0.2))

    responses = at_once(
        *(
            lambda client=client, page=page: decide(
                client,
                review,
                read_version=hidden(page, "read_version"),
                form_token=hidden(page, "form_token"),
            )
            for client, page in zip(clients, pages, strict=True)
        )
    )

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 302]
    for refused in (r for r in responses if r.status_code == 200):
        assert "changed this decision" in refused.content.decode()
    assert list(Decision.objects.filter(review=review).values_list("version", flat=True)) == [1]


def test_it_numbers_decisions_in_turn_when_saved_at_once_without_a_version_read(
    world: Any,
    as_: Any,
    case: Any,
    monkeypatch: Any,
) -> None:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    review = RapidReview.objects.get(incident=case)
    clients = [signed_in(world.manager) for _ in range(4)]
    monkeypatch.setattr(review_services, "record_as", slowed(review_services.record_as, 0.2))

    responses = at_once(*(lambda client=client: decide(client, review) for client in clients))

    assert [r.status_code for r in responses] == [302] * 4  # before: a 500 from decision_version_once
    assert sorted(Decision.objects.filter(review=review).values_list("version", flat=True)) == [1, 2, 3, 4]


def test_it_adds_the_same_file_once_when_it_is_uploaded_twice_at_once(
    world: Any, police_request: Any
) -> None:
    clients = [signed_in(world.owner), signed_in(world.owner)]

    with held_after_save(ImportBatch):  # the first upload holds the request's lock a while
        responses = at_once(
            *(
                lambda client=client: upload_file(client, police_request, "police.csv", month_csv())
                for client in clients
            )
        )

    locations = sorted(r["Location"] for r in responses)
    assert locations[0] == f"/chronologies/{police_request.code}/"
    assert locations[1].endswith("/again/")  # the second is asked, and nothing of it is added
    assert DraftEntry.objects.filter(request=police_request).count() == 3
    assert ImportBatch.objects.filter(request=police_request).count() == 1


def test_it_adds_one_entry_from_a_double_new_entry(world: Any, police_request: Any, monkeypatch: Any) -> None:
    client = signed_in(world.owner)
    url = f"/chronologies/{police_request.code}/entries/new/"
    post = {**entry_data(), "form_token": hidden(client.get(url).content.decode(), "form_token")}
    monkeypatch.setattr(chronology_services, "record_as", slowed(chronology_services.record_as))

    responses = at_once(lambda: client.post(url, post), lambda: client.post(url, post))

    assert [r.status_code for r in responses] == [302, 302]
    assert DraftEntry.objects.filter(request=police_request).count() == 1


def test_it_starts_one_rapid_review_from_a_double_start(world: Any, case: Any, monkeypatch: Any) -> None:
    client = signed_in(world.manager)
    monkeypatch.setattr(review_services, "record_as", slowed(review_services.record_as, 0.2))

    responses = at_once(*(lambda: client.post(f"/reviews/cases/{case.code}/start/") for _ in range(2)))

    assert [r.status_code for r in responses] == [302, 302]
    assert RapidReview.objects.filter(incident=case).count() == 1


def test_it_pools_one_piece_of_evidence_when_two_tabs_add_it_at_once(
    world: Any, case: Any, monkeypatch: Any
) -> None:
    from chronicle.reviews import evidence

    client = signed_in(world.manager)
    client.post(f"/reviews/cases/{case.code}/start/")
    review = RapidReview.objects.get(incident=case)
    key = next(o.key for o in evidence.options(case) if o.kind == "link")
    monkeypatch.setattr(review_services, "record_as", slowed(review_services.record_as, 0.2))

    responses = at_once(
        *(lambda: client.post(f"/reviews/{review.code}/evidence/add/", {"key": key}) for _ in range(2))
    )

    assert [r.status_code for r in responses] == [302, 302]
    assert review.pool.count() == 1


def test_it_numbers_two_reports_made_at_once_one_after_the_other(world: Any, monkeypatch: Any) -> None:
    from chronicle.incidents import services as incident_services
    from chronicle.incidents.models import Incident

    world.northshire.case_reference_pattern = "NS-{year}-{number:03}"
    world.northshire.save()
    # Between reading the highest number and saving the case, each report holds on a moment.
    monkeypatch.setattr(incident_services, "next_reference", slowed(incident_services.next_reference))
    reporters = [signed_in(world.owner), signed_in(world.manager)]
    for client in reporters:
        client.post("/incidents/report/", {**ABOUT, "reporting_agency": str(world.police.code)})
        client.post("/incidents/report/children/", CHILDREN)
        client.post("/incidents/report/harm/", HARM)
    responses = at_once(*(lambda c=c: c.post("/incidents/report/check/") for c in reporters))
    assert [r.status_code for r in responses] == [302, 302]
    assert sorted(Incident.objects.values_list("reference", flat=True)) == ["NS-2024-001", "NS-2024-002"]


def test_it_finalises_once_when_two_managers_finalise_at_once(
    world: Any, case: Any, monkeypatch: Any
) -> None:
    from chronicle.audit.models import AuditEvent

    other = make_user("manager2@northshire.example", world.northshire, Role.BUSINESS_MANAGER)
    first, second = signed_in(world.manager), signed_in(other)
    first.post(f"/reviews/cases/{case.code}/start/")
    review = RapidReview.objects.get(incident=case)
    meet(first, review)
    consider_all(first, review)
    decide(first, review)
    monkeypatch.setattr(review_services, "readiness", slowed(review_services.readiness, 0.2))
    pages = [c.get(f"/reviews/{review.code}/finalise/").content.decode() for c in (first, second)]
    reasons = "The partners' sign-offs are delayed by leave; the Panel's deadline is today."
    posts = [
        {
            "read_version": hidden(page, "read_version"),
            "form_token": hidden(page, "form_token"),
            "seen": hidden(page, "seen"),
            "override_reasons": reasons,
        }
        for page in pages
    ]
    responses = at_once(
        lambda: first.post(f"/reviews/{review.code}/finalise/", posts[0]),
        lambda: second.post(f"/reviews/{review.code}/finalise/", posts[1]),
    )
    assert all(r.status_code == 302 for r in responses)
    review.refresh_from_db()
    assert review.is_final and review.override_reasons == reasons
    finalised = AuditEvent.objects.filter(object_id=str(review.code), detail__startswith="finalised")
    assert finalised.count() == 1
