"""The timeline page: marks that link to their entries, zoom by year and month through the address,
a legend of full agency names and a table that says the same as the picture."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chronicle.composite import services
from chronicle.composite.models import AnalysedTimeline
from tests.factories import submitted_case

POLICE = [
    ("2023-11-06", "police_callout", "Police called to a noise complaint at the flat.", "Niche ref 90"),
    (
        "2024-02-05",
        "police_callout",
        "Police called to domestic abuse at the home; baby present.",
        "Niche 131",
    ),
    ("2024-02-07", "visit", "Police welfare check at the home; mother declined entry.", "Niche 133"),
]
SOCIAL_CARE = [("2024-02-06", "visit", "Social worker home visit; baby seen asleep.", "Case note 12")]


@pytest.fixture
def busy_week(world: Any) -> Any:
    """Two police entries in the week of Monday 5 February 2024, a social care visit in the same week."""
    return submitted_case(
        world,
        "NS-2024-061",
        police_entries=POLICE,
        social_care_entries=SOCIAL_CARE,
        born_on=dt.date(2023, 12, 1),
    )


def _links(page: str) -> dict[str, str]:
    """The SVG marks: accessible name to address."""
    return {
        html.unescape(label): html.unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', page)
    }


def test_it_groups_a_busy_week_into_one_mark_that_lists_its_entries(as_: Any, busy_week: Any) -> None:
    client = as_("manager")
    page = client.get(f"/composite/{busy_week.code}/timeline/").content.decode()
    links = _links(page)
    [(name, href)] = [
        (n, h)
        for n, h in links.items()
        if n.removeprefix("Finding. ").startswith("Northshire Police, 2 entries")
    ]
    assert "5 February 2024 to 7 February 2024" in name
    assert href.startswith(f"/composite/{busy_week.code}/?")
    listed = client.get(href).content.decode()
    assert "2 of 4 entries shown" in listed
    assert "domestic abuse at the home" in listed and "welfare check" in listed
    assert "noise complaint" not in listed and "Social worker home visit" not in listed


def test_it_links_a_mark_of_one_entry_to_that_entry(as_: Any, busy_week: Any) -> None:
    built = services.build(busy_week)
    visit = next(
        i for i, e in enumerate(built.analysis.entries) if e.agency == "Northshire Children's Social Care"
    )
    page = as_("reviewer").get(f"/composite/{busy_week.code}/timeline/").content.decode()
    [href] = [
        h
        for n, h in _links(page).items()
        if n.removeprefix("Finding. ").startswith("Northshire Children's Social Care, 6 February 2024")
    ]
    assert href == f"/composite/{busy_week.code}/entries/{built.uid(visit)}/"
    assert as_("reviewer").get(href).status_code == 200


def test_it_zooms_to_a_year_and_a_month_through_the_address(as_: Any, busy_week: Any) -> None:
    client = as_("manager")
    whole = client.get(f"/composite/{busy_week.code}/timeline/").content.decode()
    assert 'href="?year=2023"' in whole and 'href="?year=2024"' in whole
    year = client.get(f"/composite/{busy_week.code}/timeline/?year=2024").content.decode()
    assert "Timeline: 2024" in year and 'href="?year=2024&amp;month=2"' in year
    assert "noise complaint" not in year  # November 2023 is outside the year
    month = client.get(f"/composite/{busy_week.code}/timeline/?year=2024&month=2").content.decode()
    assert "Timeline: February 2024" in month
    names = _links(month)
    assert any(
        n.removeprefix("Finding. ").startswith("Northshire Police, 5 February 2024") for n in names
    )  # each day its own mark
    assert any(n.removeprefix("Finding. ").startswith("Northshire Police, 7 February 2024") for n in names)
    assert ">29</text>" in month  # the days of the month along the axis


@pytest.mark.parametrize(
    "query", ["?year=1999", "?month=2", "?year=2024&month=13", "?year=2024&month=7", "?year=x"]
)
def test_it_answers_not_found_for_a_zoom_with_no_entries_or_made_up(
    as_: Any, busy_week: Any, query: str
) -> None:
    assert as_("manager").get(f"/composite/{busy_week.code}/timeline/{query}").status_code == 404


def test_it_names_every_agency_in_full_and_tells_the_picture_as_a_table(as_: Any, busy_week: Any) -> None:
    page = as_("auditor").get(f"/composite/{busy_week.code}/timeline/").content.decode()
    assert "Northshire Children&#x27;s Social Care: 1 entry" in page
    assert "Northshire Police: 3 entries" in page
    table = page[page.index("The timeline as a table") :]
    assert "5 February 2024 to 11 February 2024" in table and ">2 entries<" in table
    assert 'font-size="14"' in page and 'role="group"' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("reviewer", 200),
        ("auditor", 200),
        ("owner", 404),
        ("other_agency", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_a_zoomed_timeline_to_readers_only(
    as_: Any, busy_week: Any, persona: str, status: int
) -> None:
    assert as_(persona).get(f"/composite/{busy_week.code}/timeline/?year=2024&month=2").status_code == status


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, busy_week: Any) -> None:
    response = client.get(f"/composite/{busy_week.code}/timeline/?year=2024")
    assert response["Location"].startswith("/sign-in/")


def test_it_stores_the_timeline_of_the_case_each_year_and_each_month_with_the_analysis(
    as_: Any, busy_week: Any
) -> None:
    stored = services.shown(busy_week).stored
    windows = set(AnalysedTimeline.objects.filter(analysis=stored).values_list("year", "month"))
    assert windows == {(0, 0), (2023, 0), (2023, 11), (2024, 0), (2024, 2)}
    with CaptureQueriesContext(connection) as queries:
        page = as_("manager").get(f"/composite/{busy_week.code}/timeline/?year=2024&month=2")
    assert page.status_code == 200
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "composite_analysedtimeline" in read
    assert "composite_analysedentry" not in read  # the page draws the stored marks, not the entries


def test_it_plans_the_timeline_of_an_analysis_stored_without_one_as_it_would_have_stored_it(
    as_: Any, busy_week: Any
) -> None:
    client = as_("manager")
    stored_pages = [
        client.get(f"/composite/{busy_week.code}/timeline/{query}").content.decode()
        for query in ("", "?year=2024", "?year=2024&month=2")
    ]
    AnalysedTimeline.objects.all().delete()  # as an analysis stored before timelines were
    planned_pages = [
        client.get(f"/composite/{busy_week.code}/timeline/{query}").content.decode()
        for query in ("", "?year=2024", "?year=2024&month=2")
    ]
    for stored_page, planned_page in zip(stored_pages, planned_pages, strict=True):
        assert _links(stored_page) == _links(planned_page) and _links(stored_page)
        svg = re.search(r"<svg.*</svg>", stored_page, re.S)
        assert svg and svg.group(0) in planned_page
