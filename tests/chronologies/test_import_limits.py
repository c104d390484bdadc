"""An upload past a limit is refused on the import page with the limit named; nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chronicle.chronologies.models import DraftEntry, ImportBatch, PendingUpload
from chronicle.core.importing.guards import MAX_CELLS, MAX_COLUMNS, MAX_ROWS

HEADINGS = b"Date,What happened,Source\n"
ROW = b"03/02/2024,Police called to the home,Niche 1\n"


def upload(as_: Any, police_request: Any, name: str, content: bytes) -> Any:
    return as_("owner").post(
        f"/chronologies/{police_request.code}/import/",
        {"file": SimpleUploadedFile(name, content), "mode": "add"},
    )


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (HEADINGS + ROW + b"," * 1_000_000 + b"\n", "1,000,001 columns on row 3"),
        (HEADINGS + ROW * MAX_ROWS, f"more than {MAX_ROWS:,} rows"),
        (
            (b",".join([b"x"] * MAX_COLUMNS) + b"\n") * (MAX_CELLS // MAX_COLUMNS + 1),
            f"more than {MAX_CELLS:,} cells",
        ),
        (
            HEADINGS + ROW * 300 + b"03/02/2024,Police\x00,Niche 2\n",
            "NUL character (binary data) on row 302, column 2",
        ),
    ],
    ids=["columns", "rows", "cells", "nul"],
)
def test_it_refuses_a_file_past_a_limit_and_saves_nothing(
    as_: Any, world: Any, police_request: Any, content: bytes, named: str
) -> None:
    response = upload(as_, police_request, "police.csv", content)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert named in response.content.decode()
    assert not PendingUpload.objects.exists()
    assert not ImportBatch.objects.exists()
    assert not DraftEntry.objects.filter(request=police_request).exists()


def test_it_refuses_a_wide_file_kept_from_before_the_limits_on_its_mapping_page(
    as_: Any, world: Any, police_request: Any
) -> None:
    pending = PendingUpload.objects.create(
        request=police_request,
        filename="wide.csv",
        content=HEADINGS + ROW + b"," * 1_000_000 + b"\n",
        replace_draft=False,
        uploaded_by=world.owner,
    )
    response = as_("owner").get(
        f"/chronologies/{police_request.code}/import/{pending.code}/map/", follow=True
    )
    assert response.status_code == 200
    assert "1,000,001 columns on row 3" in response.content.decode()
    assert not ImportBatch.objects.exists()
