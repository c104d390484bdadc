"""Exports say what people decided, use the case's readable pseudonyms, keep the composite's filters,
and lay the Word chronology out under the familiar headings."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from typing import Any

import pytest
from django.test import RequestFactory
from docx import Document as WordDocument

from chronicle.audit.actor import Actor
from chronicle.composite import services
from chronicle.composite.exports import composite_file
from chronicle.composite.models import CasePeople
from chronicle.composite.queue import awaiting_review


def decide_both(case: Any, world: Any) -> None:
    """Confirm the duplicate, change one finding to not met and dismiss the other."""
    request = RequestFactory().post("/")
    request.user = world.manager
    built = services.build(case)
    link = awaiting_review(built, "duplicate")[0]
    services.decide_link(
        Actor.from_request(request),
        case,
        link.uids[0],
        link.uids[1],
        "duplicate",
        "confirmed",
        "Same call-out",
    )
    first, second = awaiting_review(built, "finding")[:2]
    services.decide_finding(
        Actor.from_request(request), built, first.finding, "changed", "not_met", "No decision in the MASH log"
    )
    services.decide_finding(
        Actor.from_request(request), built, second.finding, "dismissed", "", "Assessment was not needed"
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def text_of(data: bytes, fmt: str) -> str:
    if fmt == "csv":
        return flat(data.decode("utf-8-sig"))
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as workbook:
            return flat(re.sub(r"<[^>]+>", " ", workbook.read("xl/sharedStrings.xml").decode()))
    if fmt == "docx":
        word = WordDocument(io.BytesIO(data))
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        return flat("\n".join([p.text for p in word.paragraphs] + cells))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return flat(
            subprocess.run(
                ["pdftotext", "-raw", handle.name, "-"], capture_output=True, text=True, check=True
            ).stdout
        )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx", "pdf"])
def test_it_carries_decisions_on_links_and_findings_into_every_format(
    case: Any, world: Any, fmt: str
) -> None:
    decide_both(case, world)
    text = text_of(composite_file(case, fmt, pseudonymise=False)[0], fmt)
    assert "Confirmed as the same event by Manager Tester: Same call-out." in text
    assert "Not yet confirmed" not in text
    assert "changed from cannot be determined from the record to not met by Manager Tester" in text
    assert "dismissed" in text


def test_it_says_a_rejected_link_and_what_still_awaits_a_person(case: Any, world: Any) -> None:
    request = RequestFactory().post("/")
    request.user = world.manager
    link = awaiting_review(services.build(case), "duplicate")[0]
    services.decide_link(
        Actor.from_request(request),
        case,
        link.uids[0],
        link.uids[1],
        "duplicate",
        "rejected",
        "Two call-outs",
    )
    text = text_of(composite_file(case, "csv", pseudonymise=False)[0], "csv")
    assert "Not the same event (rejected) by Manager Tester: Two call-outs." in text
    assert "cannot be determined from the record (awaiting a person)" in text


def test_it_lays_out_the_word_chronology_under_the_familiar_headings(case: Any, world: Any) -> None:
    request = RequestFactory().post("/")
    request.user = world.manager
    built = services.build(case)
    uid = built.uid(0)
    services.save_entry_analysis(
        Actor.from_request(request), case, uid, {"learning_point": "Referrals need a recorded decision."}
    )
    word = WordDocument(io.BytesIO(composite_file(case, "docx", pseudonymise=False)[0]))
    chronology = next(t for t in word.tables if t.rows[0].cells[0].text == "No.")
    assert [c.text for c in chronology.rows[0].cells] == [
        "No.",
        "Date",
        "Agency and source",
        "What happened",
        "Action",
        "Outcome",
        "Analysis",
    ]
    assert (
        "5. Reflective learning point or serious breach of safe practice: Referrals need a recorded decision."
        in (chronology.rows[1].cells[6].text)
    )


def test_it_uses_the_cases_readable_pseudonyms_and_keeps_ones_already_written(case: Any) -> None:
    CasePeople.objects.create(incident=case, names="Parent M | mother\nbaby = Child A\nsocial worker")
    text = text_of(composite_file(case, "csv", pseudonymise=True)[0], "csv")
    assert "Parent M reports partner pushed" in text  # "mother", as the list names her
    assert "Child A present" in text
    assert "Home visit by Adult 1" in text
    assert not re.search(r"Person [0-9A-Z]{6}", text)


def test_it_exports_the_filtered_view(as_: Any, case: Any, world: Any) -> None:
    client = as_("manager")
    page = client.get(
        f"/composite/{case.code}/export/", {"agencies": world.social_care.name}
    ).content.decode()
    assert "You are downloading the entries the composite page" in page
    response = client.post(
        f"/composite/{case.code}/export/", {"fmt": "csv", "agencies": world.social_care.name}
    )
    rows = response.content.decode("utf-8-sig").strip().splitlines()[1:]
    assert len(rows) == 2 and all(world.social_care.name in row for row in rows)
