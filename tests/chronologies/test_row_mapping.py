"""The row <-> entry mapping comes from one declaration: the core's Entry, with a table of exceptions."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chronicle.chronologies import store
from chronicle.chronologies.models import DraftEntry, EntryFields
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry, EntryKind


def test_it_accounts_for_every_field_of_the_entry_and_every_column_of_the_model() -> None:
    entry_fields = {f.name for f in dataclasses.fields(Entry)}
    columns = {f.name for f in EntryFields._meta.get_fields()}
    assert set(store.STORED_OTHERWISE) <= entry_fields  # no exception for a field that is gone
    assert set(store.PLAIN_FIELDS) <= columns  # an Entry field with no column fails here
    # Each column is exactly one of: an Entry field stored as it is, or converted (event_type, kind,
    # extra), practitioner information, or worked out when storing.
    converted = set(store.STORED_OTHERWISE) & columns
    parts = [set(store.PLAIN_FIELDS), converted, set(store.PRACTITIONER_FIELDS), set(store.ROW_ONLY_FIELDS)]
    assert sum(len(part) for part in parts) == len(columns)
    assert set().union(*parts) == columns
    assert set(store.ROW_FIELDS) == columns


def test_it_gives_back_every_field_of_an_entry_stored_and_read_again() -> None:
    entry = Entry(
        agency="Northshire Police",
        date=PartialDate.from_isoformat("2024-02"),
        description="Home visit; baby seen asleep.",
        source="Case note 12",
        row=7,
        entry_ref="N-118",
        time=dt.time(9, 30),
        end_date=PartialDate.from_isoformat("2024-03-01"),
        end_time=dt.time(10, 0),
        event_type="visit",
        agency_event_type="Home visit",
        action="Referred",
        outcome="Plan agreed",
        significance="First sign of neglect",
        child_seen=True,
        seen_alone=False,
        child_voice="Said she was hungry",
        first_hand=False,
        recorded_by="Social worker",
        recorded_on=dt.date(2024, 3, 2),
        significant=True,
        kind=EntryKind.PRACTITIONER,
        practice_required="Visit within 10 days",
        record_shows_met="Yes",
        gap="None",
        staff_information="Agency staff",
        learning_point="Check cots",
        multi_agency_point="Share sooner",
        extra={"given_by_role": "Health visitor", "captured_on": "2024-04-01", "ward": "B"},
    )
    row = store.row_from_entry(entry)
    # The date information was captured is a column only when typed in; an imported one stays in extra.
    assert set(row) == set(store.ROW_FIELDS) - {"captured_on"}
    stored = DraftEntry(**row)

    assert store.entry_from_row(stored, "Northshire Police") == entry
    assert store.copy_fields(stored) == {**row, "captured_on": None}
