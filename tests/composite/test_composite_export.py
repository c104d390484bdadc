from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from chronicle.audit.models import Action, AuditEvent
from chronicle.composite.models import CasePeople, StoredAnalysis
from chronicle.core.exports import COLUMNS


def test_it_downloads_every_format(as_: Any, case: Any) -> None:
    client = as_("manager")
    for fmt, start in (("xlsx", b"PK"), ("csv", "\ufeff".encode()), ("docx", b"PK"), ("pdf", b"%PDF")):
        response = client.post(f"/composite/{case.code}/export/", {"fmt": fmt, "pseudonymise": "on"})
        if fmt in {"docx", "pdf"}:  # made by the worker, downloaded from the file's own page
            assert response.status_code == 302, fmt
            response = client.get(response["Location"] + "download/")
        assert response.status_code == 200, fmt
        assert response.content.startswith(start), fmt
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="composite").count() == 4


def test_it_exports_only_the_entries_the_filters_keep(as_: Any, case: Any, world: Any) -> None:
    client = as_("manager")
    whole = client.post(f"/composite/{case.code}/export/", {"fmt": "csv", "pseudonymise": "on"})
    police = client.post(
        f"/composite/{case.code}/export/",
        {"fmt": "csv", "pseudonymise": "on", "agencies": [world.police.name]},
    )
    whole_rows = list(csv.reader(io.StringIO(whole.content.decode("utf-8-sig"))))[1:]
    police_rows = list(csv.reader(io.StringIO(police.content.decode("utf-8-sig"))))[1:]
    assert 0 < len(police_rows) < len(whole_rows)
    agency = list(COLUMNS).index("Agency")
    assert {row[agency] for row in police_rows} == {world.police.name}
    assert AuditEvent.objects.filter(detail__endswith="filtered)").count() == 1


def test_it_offers_the_filters_of_the_view_being_read(as_: Any, case: Any, world: Any) -> None:
    page = as_("manager").get(f"/composite/{case.code}/export/", {"agencies": world.police.name})
    assert b"Only some entries (filters)" in page.content
    assert re.search(rf'value="{world.police.name}" id="[^"]+" checked', page.content.decode())


def test_it_pseudonymises_the_people_listed_consistently(as_: Any, case: Any) -> None:
    CasePeople.objects.create(incident=case, names="Parent M | Mum\nBaby = Child A")
    client = as_("manager")
    response = client.post(f"/composite/{case.code}/export/", {"fmt": "csv", "pseudonymise": "on"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert all("Baby " not in " ".join(row) for row in rows[1:])
    assert "Child A present" in text  # "baby present" in the police entry, as the list names it


def test_it_lets_only_the_manager_export_real_names(as_: Any, case: Any) -> None:
    CasePeople.objects.create(incident=case, names="baby")
    shown = as_("manager").post(f"/composite/{case.code}/export/", {"fmt": "csv"}).content.decode("utf-8-sig")
    assert "baby" in shown
    forced = (
        as_("reviewer").post(f"/composite/{case.code}/export/", {"fmt": "csv"}).content.decode("utf-8-sig")
    )
    assert "baby present" not in forced
    assert CasePeople.objects.get(incident=case).names == "baby"  # the reviewer cannot change the list


def test_it_neutralises_formulas_in_spreadsheets(as_: Any, case: Any, world: Any) -> None:
    from chronicle.chronologies.models import VersionEntry

    version = case.chronology_requests.get(agency=world.police).versions.get()
    row = VersionEntry.objects.filter(version=version).first()
    VersionEntry.objects.filter(pk=row.pk).update(description='=HYPERLINK("http://evil.example","click")')
    # As if it had been submitted so: the analysis stored at submit is made again from the version.
    StoredAnalysis.objects.filter(incident=case).delete()
    content = (
        as_("manager").post(f"/composite/{case.code}/export/", {"fmt": "xlsx", "pseudonymise": "on"}).content
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    cells = [str(c) for r in book.get_sheet_by_index(0).to_python() for c in r]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith("=HYPERLINK") for c in cells)


@pytest.mark.parametrize("persona", ["owner", "other_agency", "outsider"])
def test_it_refuses_people_who_cannot_read_the_composite(as_: Any, case: Any, persona: str) -> None:
    assert as_(persona).post(f"/composite/{case.code}/export/", {"fmt": "csv"}).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, case: Any) -> None:
    assert client.get(f"/composite/{case.code}/export/")["Location"].startswith("/sign-in/")


def test_it_needs_a_format(as_: Any, case: Any) -> None:
    assert b"Select a format" in as_("manager").post(f"/composite/{case.code}/export/", {}).content
