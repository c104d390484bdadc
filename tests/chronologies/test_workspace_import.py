"""Importing a file into the draft: guards, heading mapping, all-or-nothing validation, the list of problems."""

from __future__ import annotations

import csv
import io
from typing import Any

import docx
from django.core.files.uploadedfile import SimpleUploadedFile

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies.models import DraftEntry, ImportBatch, PendingUpload
from tests.factories import add_entry
from tests.support.forms import big_csv, month_csv, upload


def test_it_imports_a_csv_with_known_headings_and_month_dates_without_asking(
    as_: Any, world: Any, police_request: Any
) -> None:
    client = as_("owner")
    response = client.post(
        f"/chronologies/{police_request.code}/import/",
        {"file": SimpleUploadedFile("police.csv", month_csv()), "mode": "add"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/chronologies/{police_request.code}/"
    entries = DraftEntry.objects.filter(request=police_request).order_by("date_end")
    assert [e.date_text for e in entries] == ["2016-05", "2016-06-03", "2016-07"]
    assert entries[0].description == "Neighbour reported shouting at the address"
    assert entries[0].source == "Call log 1177"
    batch = ImportBatch.objects.get(request=police_request)
    assert batch.entries == 3 and batch.filename == "police.csv"
    assert all(e.import_batch == batch for e in entries)
    assert not PendingUpload.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "3 entries imported from police.csv" in page
    assert "May 2016" in page and "July 2016" in page


def test_it_adds_to_the_draft_or_replaces_it(as_: Any, world: Any, police_request: Any) -> None:
    kept = add_entry(police_request, world.owner)
    upload(as_, police_request, "police.csv", month_csv())
    assert DraftEntry.objects.filter(request=police_request).count() == 4
    upload(as_, police_request, "police.csv", month_csv(), mode="replace")
    assert DraftEntry.objects.filter(request=police_request).count() == 3
    assert not DraftEntry.objects.filter(pk=kept.pk).exists()
    assert ImportBatch.objects.filter(replaced_draft=True).count() == 1


def test_it_saves_nothing_from_a_large_file_with_one_impossible_date_and_names_the_cell(
    as_: Any, world: Any, police_request: Any
) -> None:
    add_entry(police_request, world.owner)
    response = upload(as_, police_request, "ten-thousand.csv", big_csv(10_000, bad_row=7_321), mode="replace")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 problem in ten-thousand.csv: nothing has been imported" in page
    # The heading is row 1, so the 7,321st entry is row 7,322 of the file.
    assert (
        '<td class="govuk-table__cell" data-label="Row">7322</td><td class="govuk-table__cell" data-label="Column">Date</td>'
        in page
    )
    assert "31/02/2016" in page
    assert DraftEntry.objects.filter(request=police_request).count() == 1  # the draft is untouched
    assert not ImportBatch.objects.exists()
    pending = PendingUpload.objects.get(request=police_request)
    download = as_("owner").get(f"/chronologies/{police_request.code}/import/{pending.code}/errors.csv")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="ten-thousand-problems.csv"'
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["Row", "Column", "Problem"]
    assert [row[:2] for row in rows[1:]] == [["7322", "Date"]]
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="pendingupload").exists()


def test_it_shows_the_first_200_problems_and_offers_them_all(as_: Any, police_request: Any) -> None:
    lines = ["Date,Source,Details"] + [f"31/02/2016,Note {n},Visit" for n in range(250)]
    response = upload(as_, police_request, "many.csv", "\n".join(lines).encode())
    page = response.content.decode()
    assert "250 problems in many.csv" in page
    assert page.count('<tr class="govuk-table__row"><td class="govuk-table__cell" data-label="Row">') == 200
    assert "Download all 250 problems as a CSV file" in page
    pending = PendingUpload.objects.get()
    download = as_("owner").get(f"/chronologies/{police_request.code}/import/{pending.code}/errors.csv")
    assert len(download.content.decode().strip().splitlines()) == 251


def word_table(headings: list[str], rows: list[list[str]]) -> bytes:
    document = docx.Document()
    document.add_paragraph("Northshire Police chronology for NS-2024-017")
    table = document.add_table(rows=1, cols=len(headings))
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = heading
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_it_asks_what_unknown_headings_hold_then_imports_a_word_table(as_: Any, police_request: Any) -> None:
    content = word_table(
        ["Date", "Happening", "Where from", "Notes"],
        [
            ["22/05/2016", "Officers attended after a 999 call", "Incident 2291", "Follow-up"],
            ["?June 2016", "Neighbour reported crying", "Call log 1180", ""],
        ],
    )
    response = upload(as_, police_request, "police.docx", content)
    assert response.status_code == 302
    pending = PendingUpload.objects.get()
    assert response["Location"] == f"/chronologies/{police_request.code}/import/{pending.code}/map/"
    page = as_("owner").get(response["Location"]).content.decode()
    assert "What do these columns hold?" in page
    for heading in ("Happening", "Where from", "Notes"):
        assert f"Column ‘{heading}’" in page
    assert "Ignore this column" in page and "Source of information" in page
    assert "No column was recognised as: Source of information, Event details" in page
    assert not DraftEntry.objects.exists()

    unanswered = as_("owner").post(response["Location"], {"column_1": "description"})
    assert "Choose what the column ‘Where from’ holds, or ignore it" in unanswered.content.decode()

    done = as_("owner").post(
        response["Location"], {"column_1": "description", "column_2": "source", "column_3": "ignore"}
    )
    assert done.status_code == 302
    entries = DraftEntry.objects.filter(request=police_request).order_by("date_end")
    assert [(e.date_text, e.source) for e in entries] == [
        ("2016-05-22", "Incident 2291"),
        ("?2016-06", "Call log 1180"),
    ]
    assert entries[0].description == "Officers attended after a 999 call"
    assert not PendingUpload.objects.exists()
    # Every decision, the ignored column too: enough to read the stored file again.
    assert ImportBatch.objects.get().mapping == {
        "0": "date",
        "1": "description",
        "2": "source",
        "3": "ignore",
    }


def test_it_lists_problems_found_after_mapping_and_in_the_download(as_: Any, police_request: Any) -> None:
    content = word_table(["When", "Happening", "Where from"], [["31/02/2016", "Visit", "Note 1"]])
    client = as_("owner")  # the mapping is remembered for the person's session
    response = client.post(
        f"/chronologies/{police_request.code}/import/",
        {"file": SimpleUploadedFile("police.docx", content), "mode": "add"},
    )
    answer = {"column_0": "date", "column_1": "description", "column_2": "source"}
    page = client.post(response["Location"], answer).content.decode()
    assert "1 problem in police.docx" in page
    assert (
        '<td class="govuk-table__cell" data-label="Row">2</td><td class="govuk-table__cell" data-label="Column">When</td>'
        in page
    )
    pending = PendingUpload.objects.get()
    download = client.get(f"/chronologies/{police_request.code}/import/{pending.code}/errors.csv")
    assert [row[:2] for row in csv.reader(io.StringIO(download.content.decode()))][1:] == [["2", "When"]]


def test_it_refuses_a_macro_enabled_workbook(as_: Any, police_request: Any) -> None:
    response = upload(as_, police_request, "police.xlsm", b"PK\x03\x04 pretend workbook")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "macro-enabled file (.xlsm)" in page
    assert 'class="govuk-file-upload govuk-file-upload--error"' in page
    assert not DraftEntry.objects.exists() and not PendingUpload.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(as_: Any, settings: Any, police_request: Any) -> None:
    settings.UPLOAD_MAX_MB = 1
    response = upload(as_, police_request, "huge.csv", b"Date,Source,Details\n" + b"x" * (2 * 1024 * 1024))
    page = response.content.decode()
    assert "the largest file Chronicle accepts is 1 MB" in page
    assert not PendingUpload.objects.exists()


def test_it_refuses_a_file_that_is_not_what_its_name_says(as_: Any, police_request: Any) -> None:
    page = upload(as_, police_request, "police.xlsx", b"Date,Source\n01/01/2016,x\n").content.decode()
    assert "There is a problem" in page and "police.xlsx" in page
    assert not DraftEntry.objects.exists()


def test_it_asks_for_a_file(as_: Any, police_request: Any) -> None:
    response = as_("owner").post(f"/chronologies/{police_request.code}/import/", {"mode": "add"})
    assert "Select a file to import" in response.content.decode()


def test_it_hides_another_persons_upload_list_from_other_agencies(
    as_: Any, world: Any, police_request: Any
) -> None:
    upload(as_, police_request, "many.csv", b"Date,Source,Details\n31/02/2016,Note,Visit\n")
    pending = PendingUpload.objects.get()
    address = f"/chronologies/{police_request.code}/import/{pending.code}/errors.csv"
    assert as_("other_agency").get(address).status_code == 404
    assert as_("manager").get(address).status_code == 404
