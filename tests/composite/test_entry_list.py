"""The composite's entry list: an entry in a few lines (date, agency, what happened shortened and
linked to the whole entry, event type and flags as tags), 20 entries a page with GOV.UK pagination."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from chronicle.chronologies.models import ChronologyRequest
from chronicle.composite.models import AnalysedEntry
from tests.factories import add_entries, assign_reviewer, make_incident, submit

LONG = (
    "Health visitor new birth visit at the home; mother tired and low in mood, father at work. "
    "Baby weighed and feeding well; the cot was in the bedroom and safe sleep advice was given. "
    "Mother said she had little support nearby and asked about local groups, which were explained."
)


@pytest.fixture
def thirty_entries(world: Any) -> Any:
    """Thirty police entries, one a day from 1 March 2024, the first of them long."""
    incident = make_incident(
        world, reference="NS-2024-070", occurred_on=dt.date(2024, 5, 1), aware_on=dt.date(2024, 5, 2)
    )
    police = ChronologyRequest.objects.create(
        incident=incident,
        agency=world.police,
        period_from=dt.date(2024, 3, 1),
        period_to=dt.date(2024, 5, 1),
        scope="full",
        due_on=dt.date(2024, 5, 16),
        requested_on=dt.date(2024, 5, 2),
        requested_by=world.manager,
    )
    entries = [("2024-03-01", "visit", LONG, "Record 1")]
    entries += [
        ((dt.date(2024, 3, 1) + dt.timedelta(days=n)).isoformat(), "", f"Patrol log {n:02d}.", f"Log {n}")
        for n in range(1, 30)
    ]
    add_entries(police, world.owner, entries)
    submit(world.owner, police)
    assign_reviewer(world, incident)
    return incident


def test_it_shows_an_entry_in_a_few_lines_with_its_event_and_flags_as_tags(as_: Any, case: Any) -> None:
    page = as_("manager").get(f"/composite/{case.code}/").content.decode()
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)[1:]
    assert len(rows) == 5
    [referral] = [row for row in rows if "pushed the baby" in row]
    cells = re.findall(r'data-label="([^"]+)"', referral)
    assert cells == ["Date", "Agency", "What happened"]
    assert "10 January 2024" in referral and "Northshire Police" in referral
    assert 'class="app-tags"' in referral and 'govuk-tag--grey">Referral' in referral
    assert re.search(r"(Finding|\d findings) cannot be determined</strong>", referral)  # no decision recorded
    [duplicate, *_] = [row for row in rows if "domestic abuse incident" in row]
    assert "One event, 2 accounts" in duplicate
    assert "CJ-01" not in page  # flags in words; the rule's code is on the findings page


def test_it_shortens_what_happened_and_links_to_the_whole_entry(as_: Any, thirty_entries: Any) -> None:
    client = as_("reviewer")
    page = client.get(f"/composite/{thirty_entries.code}/").content.decode()
    assert LONG not in page
    assert "Health visitor new birth visit at the home; mother tired and low in mood" in page
    assert "…</a>" in page and "the whole entry is on its own page" in page
    uid = AnalysedEntry.objects.filter(search_text__contains="health visitor").values_list("uid", flat=True)[
        0
    ]
    assert f'href="/composite/{thirty_entries.code}/entries/{uid}/"' in page
    assert LONG in client.get(f"/composite/{thirty_entries.code}/entries/{uid}/").content.decode()


def test_it_shows_20_entries_a_page_with_numbered_pages(as_: Any, thirty_entries: Any) -> None:
    client = as_("manager")
    first = client.get(f"/composite/{thirty_entries.code}/").content.decode()
    assert "30 of 30 entries shown, 1 to 20 on this page" in first
    assert "Patrol log 19." in first and "Patrol log 20." not in first
    assert 'aria-label="Page 1" aria-current="page"' in first and 'aria-label="Page 2"' in first
    second = client.get(f"/composite/{thirty_entries.code}/", {"page": 2}).content.decode()
    assert "21 to 30 on this page" in second and "Patrol log 29." in second
    assert 'aria-label="Page 2" aria-current="page"' in second and 'rel="prev"' in second


def test_it_pages_the_list_for_readers_only(as_: Any, client: Any, thirty_entries: Any) -> None:
    second = f"/composite/{thirty_entries.code}/?page=2"
    readers = {"manager": 200, "reviewer": 200, "auditor": 200, "owner": 404, "other_agency": 404}
    for persona, status in {**readers, "outsider": 404}.items():
        assert as_(persona).get(second).status_code == status, persona
    assert client.get(second)["Location"].startswith("/sign-in/")
