"""An agency lead builds and submits a chronology in Debian's Chromium, with axe-core checks on every page."""

from __future__ import annotations

from typing import Any

import pytest

from chronicle.chronologies.models import ChronologyVersion, DraftEntry
from tests.browser.support import check_accessibility, sign_in
from tests.support.forms import month_csv

pytestmark = pytest.mark.browser


def fill_date(page: Any, group: str, day: str, month: str, year: str) -> None:
    dates = page.get_by_role("group", name=group).first
    dates.get_by_label("Day").fill(day)
    dates.get_by_label("Month").fill(month)
    dates.get_by_label("Year").fill(year)


def choose_file(page: Any, name: str, content: bytes) -> None:
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}]
    )


def test_it_lets_an_agency_lead_build_import_and_submit_a_chronology(
    page: Any,
    world: Any,
    police_request: Any,
) -> None:
    sign_in(page, "police.lead@northshire.example")
    page.goto(f"/chronologies/{police_request.code}/")
    page.get_by_role("heading", name="Chronology for case NS-2024-017").wait_for()
    check_accessibility(page, "chronology-1-workspace-empty")

    page.get_by_role("button", name="Add an entry").click()
    page.get_by_role("button", name="Add to the draft").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    check_accessibility(page, "chronology-2-entry-errors")
    fill_date(page, "Date of the event", "", "5", "2016")
    page.get_by_label("The date is uncertain").check()
    page.get_by_label("Event type").select_option("police_callout")
    page.get_by_label("What happened").fill("Neighbour reported shouting at the address; officers attended.")
    page.get_by_label("Source of information").fill("Incident log 2291")
    page.get_by_role("button", name="Add to the draft").click()
    page.get_by_text("The entry for ?May 2016 has been added").wait_for()

    page.get_by_role("button", name="Add practitioner information").click()
    check_accessibility(page, "chronology-3-practitioner-form")
    page.get_by_label("Who gave the information (role)").fill("Response officer who attended")
    page.get_by_label("Who obtained it").fill("DS Khan, safeguarding lead")
    page.get_by_label("Conversation").check()
    fill_date(page, "Date captured", "12", "3", "2024")
    page.get_by_label("Recollection: remembered").check()
    fill_date(page, "Date of the event", "3", "6", "2016")
    page.get_by_label("The information given").fill(
        "The officer remembers the baby crying in the background."
    )
    page.get_by_label("Source of information").fill("Conversation with the response officer")
    page.get_by_role("button", name="Add to the draft").click()
    page.get_by_text("The entry for 03/06/2016 has been added").wait_for()

    page.get_by_role("button", name="Import a file").click()
    check_accessibility(page, "chronology-4-import")
    choose_file(
        page, "police.csv", b"When,Happening,Source\n31/02/2016,Visit,Note 1\n01/07/2016,Call,Note 2\n"
    )
    page.get_by_role("button", name="Check and import").click()
    page.get_by_role("heading", name="What do these columns hold?").wait_for()
    check_accessibility(page, "chronology-5-import-mapping")
    page.get_by_label("Column ‘When’").select_option("date")
    page.get_by_label("Column ‘Happening’").select_option("description")
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("1 problem in police.csv: nothing has been imported").wait_for()
    check_accessibility(page, "chronology-6-import-problems")
    assert DraftEntry.objects.count() == 2

    choose_file(page, "police.csv", b"Date,Details,Source\n01/07/2016,Strategy discussion,Note 2\n")
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("1 entry imported from police.csv").wait_for()
    check_accessibility(page, "chronology-7-workspace-with-entries")

    page.get_by_role("button", name="Submit the chronology").click()
    page.get_by_label("Note to the business manager (optional)").fill("First version.")
    check_accessibility(page, "chronology-8-submit")
    page.get_by_role("button", name="Submit 3 entries").click()
    page.get_by_text("Version 1 has been submitted").wait_for()

    page.get_by_role("link", name="Change the entry for 01/07/2016").click()
    page.get_by_label("What happened").fill("Strategy discussion with children's social care")
    page.get_by_role("button", name="Save the changes").click()
    page.get_by_role("button", name="Submit the chronology").click()
    page.get_by_role("button", name="Submit 3 entries").click()
    page.get_by_role("link", name="Compare versions").click()
    page.get_by_role("heading", name="Version 1 to version 2").wait_for()
    check_accessibility(page, "chronology-9-compare")
    assert "Strategy discussion with children's social care" in page.text_content("main")
    page.goto(f"/chronologies/{police_request.code}/versions/2/")
    check_accessibility(page, "chronology-10-version")
    assert ChronologyVersion.objects.count() == 2


def test_it_asks_an_agency_lead_before_adding_the_same_file_again(
    page: Any, world: Any, police_request: Any
) -> None:
    sign_in(page, "police.lead@northshire.example")
    for _ in range(2):
        page.goto(f"/chronologies/{police_request.code}/import/")
        choose_file(page, "police.csv", month_csv())
        page.get_by_role("button", name="Check and import").click()
    page.get_by_role("heading", name="This file is already in the draft").wait_for()
    check_accessibility(page, "chronology-import-again")
    assert DraftEntry.objects.filter(request=police_request).count() == 3
    page.get_by_label("No, leave the draft as it is").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Nothing was added").wait_for()
    assert DraftEntry.objects.filter(request=police_request).count() == 3
