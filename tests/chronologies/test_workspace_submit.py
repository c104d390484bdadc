"""Submitting freezes the draft as a version; only the agency lead submits."""

from __future__ import annotations

from typing import Any

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies.models import ChronologyVersion, DraftEntry, Status
from tests.factories import add_entry, make_user, signed_in


def test_it_confirms_the_entry_count_before_submitting(as_: Any, world: Any, police_request: Any) -> None:
    add_entry(police_request, world.owner)
    add_entry(police_request, world.owner, "2024-02", kind="practitioner")
    page = as_("owner").get(f"/chronologies/{police_request.code}/submit/").content.decode()
    assert "Submit the chronology" in page
    assert "2, of which 1 practitioner information" in page
    assert "Version 1" in page
    assert "Submit 2 entries" in page


def test_it_freezes_a_version_that_later_edits_do_not_change(
    as_: Any, world: Any, police_request: Any
) -> None:
    entry = add_entry(police_request, world.owner, description="As first written")
    client = as_("owner")
    response = client.post(f"/chronologies/{police_request.code}/submit/", {"note": "First version"})
    assert response.status_code == 302
    assert (
        "Version 1 has been submitted to the partnership with 1 entries"
        in client.get(response["Location"]).content.decode()
    )
    version = ChronologyVersion.objects.get(request=police_request)
    assert (version.number, version.entry_count, version.note, version.submitted_by) == (
        1,
        1,
        "First version",
        world.owner,
    )
    police_request.refresh_from_db()
    assert police_request.status == Status.SUBMITTED
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="chronologyversion").exists()

    client.post(
        f"/chronologies/{police_request.code}/entries/{entry.code}/",
        {
            "date_day": "2",
            "date_month": "3",
            "date_year": "2024",
            "description": "Rewritten",
            "source": "Case note 9",
        },
    )
    client.post(f"/chronologies/{police_request.code}/entries/{entry.code}/delete/")
    assert not DraftEntry.objects.filter(request=police_request).exists()
    frozen = version.entries.get()
    assert (frozen.description, frozen.date_text, frozen.source) == (
        "As first written",
        "2024-03-01",
        "Case note 48213",
    )
    page = as_("manager").get(f"/chronologies/{police_request.code}/versions/1/").content.decode()
    assert "As first written" in page and "Rewritten" not in page
    assert "by Police.Lead Tester" in page


def test_it_refuses_to_submit_an_empty_draft(as_: Any, police_request: Any) -> None:
    response = as_("owner").post(f"/chronologies/{police_request.code}/submit/", {"note": ""})
    assert response.status_code == 200
    assert "Add at least one entry before you submit the chronology" in response.content.decode()
    assert not ChronologyVersion.objects.exists()


def test_a_contributor_cannot_submit_and_is_told_why(as_: Any, world: Any, police_request: Any) -> None:
    from chronicle.accounts.models import Role

    contributor = make_user("pc.jones@northshire.example", world.northshire, Role.CONTRIBUTOR, world.police)
    add_entry(police_request, contributor)
    client = signed_in(contributor)
    workspace = client.get(f"/chronologies/{police_request.code}/").content.decode()
    assert "Only Northshire Police's safeguarding lead can submit the chronology" in workspace
    assert f"/chronologies/{police_request.code}/submit/" not in workspace
    assert client.get(f"/chronologies/{police_request.code}/submit/").status_code == 404
    assert client.post(f"/chronologies/{police_request.code}/submit/", {"note": ""}).status_code == 404
    assert not ChronologyVersion.objects.exists()
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, object_id=str(police_request.code)).exists()
    # The contributor can still add to the draft.
    assert client.get(f"/chronologies/{police_request.code}/entries/new/").status_code == 200


def test_it_shows_the_request_and_its_preservation_notice(as_: Any, world: Any, police_request: Any) -> None:
    police_request.status = Status.RETURNED
    police_request.feedback = "Please add the health visiting contacts from May."
    police_request.save()
    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    for text in (
        "Chronology for case NS-2024-017",
        "Records preservation notice",
        "Preserve every record about the children",
        "Returned for revision",
        "Please add the health visiting contacts from May.",
        "26 March 2024",
        "1 January 2023 to 4 March 2024",
        "Significant events only",
        "Include every contact with Baby G&#x27;s household.",
        "Add an entry",
        "Add practitioner information",
        "Import a file",
        "/chronologies/templates/chronology.xlsx",
        "/chronologies/templates/chronology.csv",
        "Submit the chronology",
    ):
        assert text in page, text
    assert "style=" not in page
