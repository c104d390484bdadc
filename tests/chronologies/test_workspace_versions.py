"""Reading submitted versions and comparing two of them: added, removed and changed entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import add_entry, signed_in


@pytest.fixture
def two_versions(world: Any, police_request: Any) -> Any:
    kept = add_entry(
        police_request, world.owner, "2016-05-22", description="Visit by PC Shah", time=dt.time(10, 0)
    )
    removed = add_entry(police_request, world.owner, "2016-06", description="Call about shouting")
    changed = add_entry(
        police_request, world.owner, "2016-07-01", description="Strategy discussion held", child_seen=None
    )
    client = signed_in(world.owner)
    client.post(f"/chronologies/{police_request.code}/submit/", {"note": ""})
    client.post(f"/chronologies/{police_request.code}/entries/{removed.code}/delete/")
    client.post(
        f"/chronologies/{police_request.code}/entries/{changed.code}/",
        {
            "date_day": "",
            "date_month": "7",
            "date_year": "2016",
            "event_type": "strategy_discussion",
            "description": "Strategy discussion held with children's social care",
            "source": "Case note 48213",
            "child_seen": "no",
        },
    )
    add_entry(police_request, world.owner, "2016-08-03", description="Domestic abuse incident attended")
    client.post(f"/chronologies/{police_request.code}/submit/", {"note": "Added August"})
    return {"kept": kept, "removed": removed, "changed": changed}


def test_it_compares_two_versions_naming_what_changed(
    as_: Any, police_request: Any, two_versions: Any
) -> None:
    page = (
        as_("manager")
        .get(f"/chronologies/{police_request.code}/versions/compare/?from=1&to=2")
        .content.decode()
    )
    assert "1 added, 1 removed, 1 changed and 1 unchanged" in page
    added = page[page.index('id="added"') : page.index('id="removed"')]
    removed = page[page.index('id="removed"') : page.index('id="changed"')]
    changed = page[page.index('id="changed"') :]
    assert "Domestic abuse incident attended" in added and "Call about shouting" not in added
    assert "Call about shouting" in removed and "June 2016" in removed
    assert "Visit by PC Shah" not in page
    # Side by side: the changed fields named, before and after.
    assert "changed: date, event type, what happened, child seen" in changed
    assert "Before (version 1)" in changed and "After (version 2)" in changed
    assert (
        '<th scope="row" class="govuk-table__header" data-label="Field">Date</th>'
        '<td class="govuk-table__cell" data-label="Before (version 1)">01/07/2016</td>'
        '<td class="govuk-table__cell" data-label="After (version 2)">July 2016</td>' in changed
    )
    assert "Not recorded" in changed and ">No<" in changed
    assert "Strategy discussion held with children&#x27;s social care" in changed


def test_it_compares_the_last_two_versions_by_default(
    as_: Any, police_request: Any, two_versions: Any
) -> None:
    page = as_("owner").get(f"/chronologies/{police_request.code}/versions/compare/").content.decode()
    assert "Version 1 to version 2" in page
    assert 'id="main-form"' in page and 'method="get"' in page


def test_it_names_a_version_that_does_not_exist(as_: Any, police_request: Any, two_versions: Any) -> None:
    page = (
        as_("owner")
        .get(f"/chronologies/{police_request.code}/versions/compare/?from=1&to=7")
        .content.decode()
    )
    assert "There is a problem" in page
    assert "Version 1 to version" not in page
    same = (
        as_("owner")
        .get(f"/chronologies/{police_request.code}/versions/compare/?from=2&to=2")
        .content.decode()
    )
    assert "Choose two different versions to compare" in same


def test_it_shows_a_version_with_who_submitted_it_and_when(
    as_: Any, police_request: Any, two_versions: Any
) -> None:
    page = as_("auditor").get(f"/chronologies/{police_request.code}/versions/2/").content.decode()
    assert "Northshire Police, version 2" in page
    assert "by Police.Lead Tester" in page
    assert "Added August" in page
    assert "Domestic abuse incident attended" in page and "Call about shouting" not in page
    assert "Change<" not in page  # a version is read, never edited
    assert f'href="/chronologies/cases/{police_request.incident.code}/"' in page
    assert as_("auditor").get(f"/chronologies/{police_request.code}/versions/3/").status_code == 404


def test_it_pages_a_long_version(as_: Any, world: Any, police_request: Any) -> None:
    for day in range(1, 61):
        add_entry(police_request, world.owner, f"2016-{(day % 12) + 1:02d}-{(day % 28) + 1:02d}")
    signed_in(world.owner).post(f"/chronologies/{police_request.code}/submit/", {"note": ""})
    second = as_("manager").get(f"/chronologies/{police_request.code}/versions/1/?page=2").content.decode()
    assert "Entries 51 to 60 of 60" in second
    assert second.count("Case note 48213") == 10


def test_it_says_when_there_is_nothing_to_compare(as_: Any, world: Any, police_request: Any) -> None:
    add_entry(police_request, world.owner)
    signed_in(world.owner).post(f"/chronologies/{police_request.code}/submit/", {"note": ""})
    page = as_("manager").get(f"/chronologies/{police_request.code}/versions/compare/").content.decode()
    assert "There is only one version so far" in page
