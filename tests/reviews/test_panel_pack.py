"""The Panel pack: the rapid review report to the National Panel, as Word and tagged PDF (lesson V, RRT-01)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as WordDocument

from chronicle.audit.models import Action, AuditEvent
from chronicle.composite.models import PseudonymKey
from chronicle.composite.people import case_people
from chronicle.core.documents import Table
from chronicle.core.plain_words import dates_in_words, day_words
from chronicle.reviews import services
from chronicle.reviews.criteria import criteria_for
from chronicle.reviews.pack import SECTIONS, build_panel_pack, pack_filename, panel_pack_bytes
from tests.factories import FullCase, actor_for, build_full_case, make_incident
from tests.factories.reviews import DISSENT, MOTHER, PARTNER, RATIONALE, REASONS, SOCIAL_WORKER
from tests.support.documents import document_text, flat

NAMES = (MOTHER, "Jade", PARTNER, SOCIAL_WORKER)


def word_text(data: bytes) -> str:
    word = WordDocument(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in word.sections for p in section.header.paragraphs]
    return flat("\n".join(parts))


def pdf_tool(tool: str, data: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        command = [tool, *args, handle.name] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdf_text(data: bytes) -> str:
    return flat(pdf_tool("pdftotext", data, "-raw"))


def assert_whole_record(text: str, case: FullCase) -> None:
    """What RRT-01 asks of the record, as the Panel reads it."""
    for section in SECTIONS:
        assert section in text, section
    assert text.index("1. Case summary") < text.index("7. Criteria considered") < text.index("Appendix B")
    for criterion in criteria_for(case.review.regime):
        assert criterion.id in text, criterion.id  # every criterion, with its evidence label
        assert f"Evidence label for {criterion.id}" in text
    assert "Alternative learning (peer-learning event, thematic or single-agency review)" in text
    assert "Multi-agency learning event" in text
    assert RATIONALE in text
    for reason, label in REASONS:
        assert reason.split(PARTNER)[-1].strip() in text
        assert dates_in_words(label) in text  # the pack writes days in words, in typed text too
    for partner in ("Local authority", "Integrated care board", "Chief officer of police"):
        assert partner in text
    assert "Agree: learning event is proportionate." in text
    assert "DISAGREES" in text and "Dissent: the chief officer of police disagrees with this decision" in text
    assert DISSENT.split("history")[-1].strip() in text  # the dissent's reasons, in full
    assert "No further review" in text  # the earlier decision version
    assert "NS-2024-088" in text and "Northshire Safeguarding Children Partnership" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Police intelligence on a partner's violence must reach the health visitor." in text
    assert "Add partner checks to the MASH checklist" in text


def pseudonym(case: FullCase, name: str) -> str:
    """The readable pseudonym the case's list gives the person ("Adult 1")."""
    return {person.name: person.pseudonym for person in case_people(case.incident)}[name]


def assert_no_names(text: str) -> None:
    for name in NAMES:
        assert not re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE), name


# --- The record, in both formats ---------------------------------------------------------------


def test_it_writes_the_whole_record_into_the_word_pack(full_case: FullCase) -> None:
    data, content_type = panel_pack_bytes(full_case.review, "docx")
    assert content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = word_text(data)
    assert_whole_record(text, full_case)
    assert_no_names(text)
    assert pseudonym(full_case, PARTNER) in text and pseudonym(full_case, MOTHER) in text
    word = WordDocument(io.BytesIO(data))
    landscape = [s for s in word.sections if s.page_width and s.page_height and s.page_width > s.page_height]
    assert len(landscape) == 1  # appendix A, the composite chronology
    assert len(word.inline_shapes) >= 1
    [first_picture_text, *_] = word.element.xpath(".//wp:docPr/@descr")  # the pictures' text alternatives
    assert first_picture_text.startswith("Timeline of 5 entries")


def test_it_writes_the_same_record_into_a_tagged_pdf(full_case: FullCase) -> None:
    data, content_type = panel_pack_bytes(full_case.review, "pdf")
    assert content_type == "application/pdf"
    text = pdf_text(data)
    assert_whole_record(text, full_case)
    assert_no_names(text)
    assert pseudonym(full_case, SOCIAL_WORKER) in text
    info = pdf_tool("pdfinfo", data)
    assert re.search(r"Tagged:\s+yes", info)
    assert "Rapid review: report to the Child Safeguarding Practice Review Panel" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    sizes = pdf_tool("pdfinfo", data, "-f", "1", "-l", str(pages))
    assert "841.89 x 595.276" in sizes and "595.276 x 841.89" in sizes  # landscape appendix, portrait report


def test_it_uses_the_names_as_recorded_when_asked(full_case: FullCase) -> None:
    word = word_text(panel_pack_bytes(full_case.review, "docx", pseudonymise=False)[0])
    pdf = pdf_text(panel_pack_bytes(full_case.review, "pdf", pseudonymise=False)[0])
    for text in (word, pdf):
        for name in (MOTHER, PARTNER, SOCIAL_WORKER):
            assert name in text
        assert "OFFICIAL-SENSITIVE PERSONAL" in text
        assert "Person " not in text


# --- Pseudonyms ---------------------------------------------------------------------------------


def test_it_gives_a_person_the_same_pseudonym_in_every_section(full_case: FullCase) -> None:
    document = build_panel_pack(full_case.review)
    text = document_text(document)
    assert_no_names(text)
    partner = pseudonym(full_case, PARTNER)
    sections = [
        "1. Case summary",  # the summary
        "6. Findings from the chronologies",  # agenda and entries
        "9. Statutory partners' positions",  # the dissent
        "Appendix A",  # the chronology itself
    ]
    for start, end in zip(sections, [*sections[1:], "Appendix B"], strict=True):
        assert partner in text[text.index(start) : text.rindex(end)], start
    action = text[text.index("Immediate safeguarding action") : text.index("Context: race")]
    assert f"{pseudonym(full_case, MOTHER)} agreed to the safety plan" in action  # an alias, as its person


def test_it_makes_the_partnership_key_when_there_is_none(world: Any) -> None:
    case = build_full_case(world, finalise=False)
    PseudonymKey.objects.filter(partnership=case.incident.partnership).delete()
    text = document_text(build_panel_pack(case.review))
    assert PseudonymKey.objects.filter(partnership=case.incident.partnership).count() == 1
    assert pseudonym(case, PARTNER) in text
    assert_no_names(text)


# --- What each section says ---------------------------------------------------------------------


def test_it_shows_what_was_proposed_and_what_people_decided(full_case: FullCase) -> None:
    text = document_text(build_panel_pack(full_case.review))
    findings = text[text.index("Compliance findings") : text.index("Conflicting accounts and duplicates")]
    assert "CJ-01" in findings and "cannot be determined from the record" in findings  # proposed
    assert "Changed: met" in findings and "Strategy discussion held by phone" in findings  # decided
    assert "Not yet decided" in findings  # the other finding
    links = text[text.index("Conflicting accounts and duplicates") : text.index("Silent periods")]
    assert "Possible duplicate" in links and "Confirmed" in links
    assert "Possible duplicate of No. 3 (confirmed)" in text  # per entry, in appendix A


def test_it_states_the_clock_status_and_attendance(full_case: FullCase) -> None:
    text = document_text(build_panel_pack(full_case.review))
    review = full_case.review
    assert f"Started on (working day 0): {day_words(review.started_on)}" in text
    assert f"Due on (15 working days): {day_words(review.due_on)}" in text
    assert "Sent to the Panel: 25 March 2024" in text and "Decision date: 20 March 2024" in text
    assert "Working days taken: 13 to sending to the Panel" in text  # 06/03 to 25/03/2024
    assert "Within the timescale: Yes" in text
    assert "Status: Finalised on" in text
    assert "Yes: Chief officer of police" in text and "Yes: Integrated care board" in text
    assert "All three statutory partners were represented." in text
    assert "Discussed: Family's views" in text  # agenda items with minutes
    assert "Northshire Police | 1 |" in text and "First return" in text  # agency involvement


def test_it_extracts_who_contributed_what_and_when(full_case: FullCase) -> None:
    text = document_text(build_panel_pack(full_case.review))
    audit = text[text.index("Appendix B") :]
    assert "Submitted Northshire Police chronology version 1 (3 entries)" in audit
    assert "Screening decision version 1: Notifiable" in audit
    assert "Recorded the notification to Child Safeguarding Practice Review Panel" in audit
    assert "Signed off for the chief officer of police: disagrees with decision version 2" in audit
    assert "Police.Partner Tester" in audit
    assert "Finalised the rapid review record" in audit
    assert (
        "Created screening" in audit and "Changed consideration “Does the case highlight" in audit
    )  # from the audit log
    assert "Viewed" not in audit


def test_it_says_what_is_missing_from_a_review_just_started(world: Any) -> None:
    incident = make_incident(world, reference="NS-2024-099")
    review = services.start(actor_for(world.manager), incident)
    text = document_text(build_panel_pack(review))
    assert "Status: Draft: not yet finalised" in text
    assert "No decision has been recorded." in text
    assert "No agency has submitted a chronology for this case yet." in text
    assert "No rapid review meeting has been recorded." in text
    first = review.considerations.order_by("pk").first()
    assert first is not None and f"Not yet fully considered: {first.question}" in text
    assert pdf_tool("pdfinfo", panel_pack_bytes(review, "pdf")[0]).count("Tagged:") == 1


def test_it_refuses_an_unknown_format(full_case: FullCase) -> None:
    with pytest.raises(ValueError, match="unknown Panel pack format 'xlsx': use docx or pdf"):
        panel_pack_bytes(full_case.review, "xlsx")
    assert pack_filename(full_case.review, "pdf") == "NS-2024-088-panel-pack.pdf"


# --- The command --------------------------------------------------------------------------------


def test_it_writes_both_formats_from_the_command_line(full_case: FullCase, tmp_path: Path) -> None:
    out = StringIO()
    call_command("panel-pack", "NS-2024-088", "-o", str(tmp_path / "pack.docx"), stdout=out)
    call_command(
        "panel-pack", "NS-2024-088", "-o", str(tmp_path / "pack.pdf"), "--no-pseudonymise", stdout=out
    )
    assert "Wrote the Panel pack for NS-2024-088" in out.getvalue() and "names as recorded" in out.getvalue()
    word = word_text((tmp_path / "pack.docx").read_bytes())
    assert_no_names(word)
    assert "LR-01(d)" in word
    pdf = (tmp_path / "pack.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and PARTNER in pdf_text(pdf)
    exports = AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(full_case.review.code))
    assert exports.count() == 2


def test_it_picks_the_partnership_when_a_reference_is_shared(
    full_case: FullCase, world: Any, tmp_path: Path
) -> None:
    make_incident(
        world, reference="NS-2024-088", partnership=world.southvale, reporting_agency=world.southvale_agency
    )
    target = tmp_path / "pack.docx"
    with pytest.raises(CommandError, match=r"used by 2 partnerships .*choose one with --partnership"):
        call_command("panel-pack", "NS-2024-088", "-o", str(target), stdout=StringIO())
    call_command(
        "panel-pack",
        "NS-2024-088",
        "-o",
        str(target),
        "--partnership",
        world.northshire.name,
        stdout=StringIO(),
    )
    assert "LR-01(a)" in word_text(target.read_bytes())
    with pytest.raises(CommandError, match="has no rapid review yet"):
        call_command(
            "panel-pack",
            "NS-2024-088",
            "-o",
            str(target),
            "--partnership",
            world.southvale.name,
            stdout=StringIO(),
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["NS-1999-001", "-o", "{tmp}/pack.pdf"], "no case has the reference 'NS-1999-001'"),
        (["NS-2024-088", "-o", "{tmp}/pack.txt"], r"must end in \.docx or \.pdf, not \.txt"),
        (["NS-2024-088", "-o", "{tmp}/pack"], r"must end in \.docx or \.pdf$"),
        (["NS-2024-088", "-o", "{tmp}/missing/pack.pdf"], "the folder .*missing does not exist"),
        (
            ["NS-2024-088", "-o", "{tmp}/pack.pdf", "--partnership", "Eastmere"],
            "no partnership is called 'Eastmere'",
        ),
    ],
)
def test_it_refuses_bad_input_with_a_clear_error(
    world: Any, tmp_path: Path, arguments: list[str], message: str
) -> None:
    incident = make_incident(world, reference="NS-2024-088", occurred_on=dt.date(2024, 3, 4))
    services.start(actor_for(world.manager), incident)
    with pytest.raises(CommandError, match=message):
        call_command("panel-pack", *[a.replace("{tmp}", str(tmp_path)) for a in arguments], stdout=StringIO())
    assert not list(tmp_path.glob("pack*"))


# --- The appendix at scale -----------------------------------------------------------------------


def test_it_lists_one_compact_row_per_entry_in_the_appendix(full_case: FullCase) -> None:
    document = build_panel_pack(full_case.review)
    listing = next(
        b for b in document.blocks if isinstance(b, Table) and b.caption == "5 entries in date order"
    )
    assert listing.compact and [row[0] for row in listing.rows] == ["1", "2", "3", "4", "5"]
    assert listing.headings[:4] == ["No.", "Date", "Agency", "Source"]
    word = WordDocument(io.BytesIO(panel_pack_bytes(full_case.review, "docx")[0]))
    appendix = next(t for t in word.tables if [c.text for c in t.rows[0].cells][:2] == ["No.", "Date"])
    assert len(appendix.rows) == 6  # the heading row and one per entry
    pdf = panel_pack_bytes(full_case.review, "pdf")[0]
    structure = pdf_tool("pdfinfo", pdf, "-struct-text")
    table = structure[structure.index('"5 entries in date order"') :]
    table = table[: table.index("H2")] if "H2" in table else table
    assert table.count("TR\n") == 6
    # The decision and its evidence are still in the body, before the appendix.
    text = pdf_text(pdf)
    assert text.index(RATIONALE) < text.index("5 entries in date order")
    assert text.index(dates_in_words(REASONS[0][1])) < text.rindex(
        SECTIONS[10]
    )  # the heading, not the contents
