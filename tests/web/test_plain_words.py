"""Plain words: no rule code, internal field name or ISO date in the main text of any page of the demo
case, for any role, or in any export. What lies behind "How this was worked out" may name rule ids and
methods; case references and what people typed into the demo's records are theirs to write as they like."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import tempfile
from collections.abc import Iterable
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.core.management import call_command
from docx import Document as WordDocument
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from python_calamine import CalamineWorkbook

from chronicle.accounts.models import User
from chronicle.composite.exports import composite_file
from chronicle.core.documents import Document, Heading, KeyValues, Paragraph, Table
from chronicle.incidents.exports import notification_summary
from chronicle.incidents.models import Incident, Notification
from chronicle.reviews import demo as reviews_demo
from chronicle.reviews.models import RapidReview
from chronicle.reviews.pack import build_panel_pack, panel_pack_bytes
from tests.factories import signed_in

WORKED_OUT = "How this was worked out"
RULE_CODE = re.compile(r"\b[A-Z]{2,4}(?:-[A-Z0-9]+)*-\d[\w.-]*|\b[A-Z]{2,3}-[A-Z]{2,4}-[A-Z]{2,4}\b")
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
PLURAL_NEEDS = re.compile(r"\b\d+ findings needs\b")  # "2 findings need …", not "needs"
CASE_REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{4}-\d{3}\b")
PATTERNS = (RULE_CODE, SNAKE_CASE, ISO_DATE, NUMERIC_DATE, PLURAL_NEEDS)

ROLES = (
    "manager@northshire.example",
    "police.lead@northshire.example",
    "csc.lead@northshire.example",
    "gp.lead@northshire.example",
    "social.worker@northshire.example",
    "la.partner@northshire.example",
    "reviewer@northshire.example",
    "auditor@northshire.example",
)
# Links that leave the case's reading pages: downloads and forms that change things are checked elsewhere.
NOT_PAGES = ("/sign-out/", "/admin/", "/files/", "/panel-pack.", "/notification-summary.", "/export.csv")
PAGES_PER_ROLE = 250


def typed_by_people() -> set[str]:
    """What the demo's people typed (the agencies' chronology files, notification references): theirs to word."""
    typed = [
        reviews_demo.GP_CSV,
        reviews_demo.POLICE_CSV,
        reviews_demo.CSC_CSV_V1,
        reviews_demo.CSC_CSV_V2_EXTRA,
    ]
    typed += Notification.objects.values_list("reference", flat=True)
    return {
        match
        for text in typed
        for pattern in (RULE_CODE, ISO_DATE, NUMERIC_DATE)
        for match in pattern.findall(text)
    }


def words_problems(text: str, where: str, allowed: set[str]) -> list[str]:
    without_cases = CASE_REFERENCE.sub("", text)
    found = {m for pattern in PATTERNS for m in pattern.findall(without_cases)} - allowed
    return [f"{where}: {sorted(found)}"] if found else []


def main_text(html: str) -> str:
    """The text a person reads in the page's main part, without "How this was worked out"."""
    tree = lxml.html.fromstring(html)
    mains = tree.xpath("//main")
    root = mains[0] if mains else tree
    for details in root.xpath(".//details"):
        summary = " ".join(details.xpath("./summary//text()")).strip()
        if summary.startswith(WORKED_OUT):
            details.drop_tree()
    for hidden in root.xpath(".//script | .//style | .//template"):
        hidden.drop_tree()
    return " ".join(" ".join(root.itertext()).split())


def links_on(html: str) -> Iterable[str]:
    for href in lxml.html.fromstring(html).xpath("//main//a/@href | //nav//a/@href"):
        parts = urlsplit(href)
        if parts.netloc or not parts.path.startswith("/") or any(bit in href for bit in NOT_PAGES):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")


@pytest.fixture
def demo(db: Any) -> Incident:
    call_command("demo", stdout=StringIO())
    return Incident.objects.get(reference=reviews_demo.REFERENCE)


def crawl(client: Any, starts: list[str], case_codes: set[str]) -> dict[str, str]:
    """Every page reachable from the starts that is about the demo case or the person's own work."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        html = response.content.decode()
        seen[path] = html
        for link in links_on(html):
            other_case = "/incidents/" in link and not any(code in link for code in case_codes)
            if link not in seen and not other_case:
                queue.append(link)
    return seen


def test_it_writes_every_page_of_the_demo_case_in_plain_words(demo: Incident) -> None:
    allowed = typed_by_people()
    review = RapidReview.objects.get(incident=demo)
    case_codes = {str(demo.code), str(review.code)}
    starts = ["/dashboard/", "/incidents/", f"/incidents/{demo.code}/", f"/reviews/{review.code}/", "/audit/"]
    problems: list[str] = []
    read = 0
    for email in ROLES:
        client = signed_in(User.objects.get(email=email))
        for path, html in crawl(client, starts, case_codes).items():
            if html:
                read += 1
                problems += words_problems(main_text(html), f"{email.partition('@')[0]} {path}", allowed)
    assert read > 60  # the crawl reached the case's pages, not only the dashboards
    assert not problems, "\n".join(problems)


def document_text(document: Document) -> str:
    """A document's text, leaving out what is under a "How this was worked out" heading."""
    parts = [document.title, document.subtitle]
    skipping_below: int | None = None
    for block in document.blocks:
        if isinstance(block, Heading):
            if skipping_below is not None and block.level > skipping_below:
                continue
            skipping_below = block.level if block.text == WORKED_OUT else None
            if skipping_below is not None:
                continue
        if skipping_below is not None:
            continue
        if isinstance(block, Heading | Paragraph):
            parts.append(block.text)
        elif isinstance(block, KeyValues):
            parts += [f"{k}: {v}" for k, v in block.rows]
        elif isinstance(block, Table):
            parts += [block.caption, *block.headings, *(" | ".join(row) for row in block.rows)]
    return "\n".join(parts)


def word_text(data: bytes) -> str:
    """A Word file's paragraphs and tables in order, leaving out what is under "How this was worked out"."""
    word = WordDocument(io.BytesIO(data))
    parts: list[str] = []
    skipping_below: int | None = None
    for element in word.element.body.iterchildren():
        if element.tag.endswith("}p"):
            paragraph = DocxParagraph(element, word)
            style = paragraph.style.name if paragraph.style is not None else ""
            if style.startswith("Heading") or style == "Title":
                level = int(style.split()[-1]) if style.split()[-1].isdigit() else 0
                if skipping_below is None or level <= skipping_below:
                    skipping_below = level if paragraph.text == WORKED_OUT else None
            if skipping_below is None or paragraph.text == WORKED_OUT:
                parts.append(paragraph.text if skipping_below is None else "")
        elif element.tag.endswith("}tbl") and skipping_below is None:
            table = DocxTable(element, word)
            parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-raw", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def without_worked_out(rows: list[list[Any]]) -> list[list[Any]]:
    """A sheet's rows without its "How this was worked out" column."""
    if not rows or WORKED_OUT not in rows[0]:
        return rows
    column = list(rows[0]).index(WORKED_OUT)
    return [[cell for n, cell in enumerate(row) if n != column] for row in rows]


def xlsx_text(data: bytes) -> str:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return "\n".join(
        " | ".join(str(cell) for cell in row)
        for name in book.sheet_names
        for row in without_worked_out(book.get_sheet_by_name(name).to_python())
    )


def csv_text(data: bytes) -> str:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return "\n".join(" | ".join(row) for row in without_worked_out(rows))


def test_it_writes_every_export_in_plain_words(demo: Incident) -> None:
    allowed = typed_by_people()
    review = RapidReview.objects.get(incident=demo)
    files = {fmt: composite_file(demo, fmt, pseudonymise=True)[0] for fmt in ("csv", "xlsx", "docx", "pdf")}
    texts = {
        "composite CSV": csv_text(files["csv"]),
        "composite XLSX": xlsx_text(files["xlsx"]),
        "composite Word": word_text(files["docx"]),
        "composite PDF": pdf_text(files["pdf"]),
        "Panel pack": document_text(build_panel_pack(review, pseudonymise=True)),
        "Panel pack Word": word_text(panel_pack_bytes(review, "docx", pseudonymise=True)[0]),
        "notification summary Word": word_text(notification_summary(demo, "docx")[0]),
    }
    problems = [p for name, text in texts.items() for p in words_problems(text, name, allowed)]
    assert all(len(text) > 500 for text in texts.values())
    assert not problems, "\n".join(problems)
