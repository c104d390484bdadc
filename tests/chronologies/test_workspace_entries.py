"""Adding, changing and removing entries in the browser: partial dates, the six headings, practitioner information."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies.models import DraftEntry, Status
from tests.factories import add_entry
from tests.support.forms import entry_data, new_entry


def test_it_adds_an_entry_with_every_field(as_: Any, police_request: Any) -> None:
    response = new_entry(as_, police_request)
    assert response.status_code == 302
    assert response["Location"] == f"/chronologies/{police_request.code}/"
    entry = DraftEntry.objects.get(request=police_request)
    assert (entry.date_text, entry.date_start, entry.date_end) == (
        "2016-05-22",
        dt.date(2016, 5, 22),
        dt.date(2016, 5, 22),
    )
    assert entry.time == dt.time(14, 30)
    assert entry.event_type == "hv_contact"
    assert entry.first_hand is True and entry.child_seen is True and entry.seen_alone is False
    assert entry.recorded_on == dt.date(2016, 5, 23)
    assert entry.multi_agency_point == "Was the GP told about the bruise?"
    assert entry.kind == "record"
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="draftentry").exists()
    police_request.refresh_from_db()
    assert police_request.status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("day", "month", "uncertain", "stored", "start", "end"),
    [
        ("", "5", "", "2016-05", dt.date(2016, 5, 1), dt.date(2016, 5, 31)),
        ("", "", "", "2016", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        ("22", "5", "on", "?2016-05-22", dt.date(2016, 5, 22), dt.date(2016, 5, 22)),
        ("", "2", "on", "?2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
    ],
)
def test_it_keeps_the_precision_of_the_date(
    as_: Any, police_request: Any, day: str, month: str, uncertain: str, stored: str, start: Any, end: Any
) -> None:
    overrides = {"date_day": day, "date_month": month}
    if uncertain:
        overrides["date_uncertain"] = uncertain
    assert new_entry(as_, police_request, **overrides).status_code == 302
    entry = DraftEntry.objects.get(request=police_request)
    assert (entry.date_text, entry.date_start, entry.date_end) == (stored, start, end)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_day": "31", "date_month": "2"}, "Date of the event must be a real date"),
        ({"date_day": "12", "date_month": ""}, "Date of the event has a day but no month"),
        ({"date_year": ""}, "Date of the event must include a year"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "Enter the date of the event"),
        ({"source": ""}, "Enter the source of information"),
        ({"description": ""}, "Enter what happened"),
        ({"time": "25:70"}, "Enter the time on the 24-hour clock"),
        ({"recorded_on_day": "30", "recorded_on_month": "2"}, "Recorded on must be a real date"),
        ({"child_seen": "no", "seen_alone": "yes"}, "The child cannot be seen alone if they were not seen"),
    ],
)
def test_it_names_each_problem(
    as_: Any, police_request: Any, overrides: dict[str, str], message: str
) -> None:
    response = new_entry(as_, police_request, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert page.index("govuk-error-summary") < page.index('id="main-form"')
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert not DraftEntry.objects.exists()


def test_it_shows_the_six_headings_in_their_own_section(as_: Any, police_request: Any) -> None:
    page = as_("owner").get(f"/chronologies/{police_request.code}/entries/new/").content.decode()
    assert "Six headings" in page
    assert "Good practice required" in page and "Point that needs multi-agency judgement" in page
    assert "Significance or impact on the child (analysis)" in page
    assert 'name="date_day"' in page and 'name="date_uncertain"' in page
    assert "style=" not in page and "<script>" not in page


def practitioner_data(**overrides: str) -> dict[str, str]:
    data = entry_data(
        description="The health visitor remembers mother saying the bruise came from a fall.",
        source="Conversation with the health visitor",
        given_by_role="Health visitor who made the visit",
        obtained_by="J Patel, designated safeguarding lead",
        obtained_how="conversation",
        captured_on_day="12",
        captured_on_month="3",
        captured_on_year="2024",
        information_status="recollection",
        addresses="The gap in the record on 22/05/2016",
    )
    data.update(overrides)
    return data


def test_it_records_practitioner_information_with_its_provenance(as_: Any, police_request: Any) -> None:
    page = as_("owner").get(f"/chronologies/{police_request.code}/entries/new/?kind=practitioner").content
    assert b"Add practitioner information" in page and b"Who gave the information" in page
    response = as_("owner").post(
        f"/chronologies/{police_request.code}/entries/new/?kind=practitioner", practitioner_data()
    )
    assert response.status_code == 302
    entry = DraftEntry.objects.get(request=police_request)
    assert entry.kind == "practitioner"
    assert entry.given_by_role == "Health visitor who made the visit"
    assert entry.obtained_by == "J Patel, designated safeguarding lead"
    assert entry.obtained_how == "conversation"
    assert entry.captured_on == dt.date(2024, 3, 12)
    assert entry.recorded_on == dt.date(2016, 5, 23)
    assert entry.information_status == "recollection"
    assert entry.addresses == "The gap in the record on 22/05/2016"
    workspace = as_("owner").get(f"/chronologies/{police_request.code}/").content
    assert b"Practitioner information" in workspace


def test_it_asks_for_the_provenance_of_practitioner_information(as_: Any, police_request: Any) -> None:
    response = as_("owner").post(
        f"/chronologies/{police_request.code}/entries/new/?kind=practitioner",
        practitioner_data(given_by_role="", obtained_how="", information_status="", captured_on_day=""),
    )
    page = response.content.decode()
    assert "Enter the role of the person who gave the information" in page
    assert "Select how the information was obtained" in page
    assert "Select the status of the information" in page
    assert "Date captured must include a day" in page
    assert not DraftEntry.objects.exists()


def test_it_changes_an_entry_and_shows_what_it_held(as_: Any, world: Any, police_request: Any) -> None:
    entry = add_entry(police_request, world.owner, "?2016-05", time=dt.time(9, 5), child_seen=False)
    page = as_("owner").get(f"/chronologies/{police_request.code}/entries/{entry.code}/").content.decode()
    assert 'name="date_month" type="text" inputmode="numeric" value="5"' in page
    assert 'name="date_day" type="text" inputmode="numeric">' in page
    assert 'value="09:05"' in page
    assert 'name="date_uncertain" class="govuk-checkboxes__input" id="id_date_uncertain" checked' in page
    assert 'name="child_seen" value="no" id="id_child_seen_1" checked' in page
    response = as_("owner").post(
        f"/chronologies/{police_request.code}/entries/{entry.code}/",
        entry_data(date_day="", date_month="6", description="Changed"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.date_text, entry.description) == ("2016-06", "Changed")
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(entry.code)).exists()


def test_it_removes_an_entry_after_asking(as_: Any, world: Any, police_request: Any) -> None:
    entry = add_entry(police_request, world.owner)
    address = f"/chronologies/{police_request.code}/entries/{entry.code}/delete/"
    assert b"Remove the entry for 01/03/2024?" in as_("owner").get(address).content
    assert DraftEntry.objects.filter(pk=entry.pk).exists()
    assert as_("owner").post(address).status_code == 302
    assert not DraftEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action=Action.DELETE, object_id=str(entry.code)).exists()


def test_it_lists_entries_by_date_as_recorded_fifty_to_a_page(
    as_: Any, world: Any, police_request: Any
) -> None:
    add_entry(police_request, world.owner, "2016-05", description="Sometime in May")
    add_entry(police_request, world.owner, "2016-05-31", description="Last day of May")
    add_entry(police_request, world.owner, "2016-05-02", description="Early May")
    add_entry(police_request, world.owner, "2016", description="Sometime in 2016")
    add_entry(police_request, world.owner, "2016-06-01", description="June")
    page = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    order = [
        page.index(text)
        for text in ("Early May", "Last day of May", "Sometime in May", "June", "Sometime in 2016")
    ]
    assert order == sorted(order)
    for day in range(1, 60):
        add_entry(police_request, world.owner, f"2017-{(day % 12) + 1:02d}-01", description=f"Later {day}")
    first = as_("owner").get(f"/chronologies/{police_request.code}/").content.decode()
    second = as_("owner").get(f"/chronologies/{police_request.code}/?page=2").content.decode()
    assert first.count("/delete/") == 50 and second.count("/delete/") == 14
    assert "Entries 51 to 64 of 64" in second


def test_it_keeps_an_accepted_chronology_as_it_was(as_: Any, world: Any, police_request: Any) -> None:
    entry = add_entry(police_request, world.owner)
    police_request.status = Status.ACCEPTED
    police_request.save()
    response = as_("owner").post(f"/chronologies/{police_request.code}/entries/{entry.code}/", entry_data())
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.date_text == "2024-03-01"
    assert b"can no longer be changed" in as_("owner").get(response["Location"]).content
