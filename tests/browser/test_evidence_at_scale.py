"""A rapid review of a 5,000-entry case driven in the browser from the report of the incident to the
Panel pack: the report form, screening and the notification, the chronologies requested, the rapid review
with evidence chosen through the picker, the queue of links and findings, a meeting, a criterion and the
decision, then the Panel pack made and downloaded as the PDF sent to the Panel, and checked as the
case's (its reference on the title page, its listing's caption counting every entry) without drawing a
page. The agencies' 5,000 entries are stored as their imports would store them (imports have tests and
benchmarks of their own) and the case analysed once, as the worker would. CHRONICLE_SCALE_ENTRIES sets
the size.

No page is taller than 5,000 px, and none takes more than a second of the server's processor time. The
server's time is measured as processor time, in the thread that answers the request (time.thread_time
from Django's request_started to request_finished): on a shared two-core machine the wall-clock time a
browser sees includes the time the request waited for a processor while other work ran, which can be
several times the page's own work and varies from run to run; the thread's processor time is the page's
own work and is steady. The wall-clock time is printed too, and held to a second only with
CHRONICLE_SCALE_STRICT_TIME=true (on an idle machine)."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from chronicle.audit.actor import Actor
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.models import ChronologyRequest, DraftEntry
from chronicle.composite import stored as stored_analysis
from chronicle.core.dates import PartialDate
from chronicle.incidents.models import Incident
from chronicle.reviews.models import RapidReview
from tests.browser.support import ServerProcessorTime, check_accessibility, fill_date, sign_in, sign_out

pytestmark = pytest.mark.browser

ENTRIES = int(os.environ.get("CHRONICLE_SCALE_ENTRIES", "5000"))
MAX_HEIGHT_PX = 5000
MAX_SERVER_MS = 1000
STRICT_TIME = os.environ.get("CHRONICLE_SCALE_STRICT_TIME", "").lower() == "true"
WORDS = [
    "Home visit by the health visitor; baby seen and weighed, mother tired but engaging",
    "Police attended a report of shouting at the address; no injuries seen, advice given",
    "GP appointment missed; letter sent to the mother asking her to rebook",
    "Emergency department attendance with a bruise to the cheek, explained as a fall from the sofa",
    "Referral to children's social care from the school about the older sibling's absence",
    "Strategy discussion held by telephone with police and health; section 47 enquiry agreed",
]
# Most of an agency's record is routine (notes, letters, messages); about one entry in three is an
# event the rules look at, as above.
NOTES = [
    "Case note: telephone call with the mother about",
    "Letter sent to the family about",
    "Supervision discussion of",
    "Duty log: message left about",
    "Email from the school about",
    "Team meeting noted",
]
TOPICS = [
    "housing",
    "the nursery place",
    "benefits",
    "the older sibling's attendance",
    "a change of address",
    "the health visitor's plan",
    "the father's contact",
    "a food bank voucher",
    "transport to appointments",
    "the baby's immunisations",
]
EVENTFUL = 0.3


def store_entries(world: Any, incident: Incident) -> None:
    """Each requested agency's share of the entries, stored and submitted as an import would, then the
    case analysed once, as the worker does when it gets to the queued analysis (the tasks would
    otherwise run at once here, analysing the case again after each submission)."""
    request = RequestFactory().post("/")
    request.user = world.manager
    rng = random.Random(5)
    start = dt.date(2021, 1, 1)
    requests = list(ChronologyRequest.objects.filter(incident=incident).order_by("pk"))
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        for chronology_request in requests:
            drafts = []
            for _ in range(ENTRIES // len(requests)):
                day = start + dt.timedelta(days=rng.randrange(1890))
                date = PartialDate.from_isoformat(day.isoformat())
                drafts.append(
                    DraftEntry(
                        request=chronology_request,
                        created_by=world.manager,
                        date_text=day.isoformat(),
                        date_start=date.start,
                        date_end=date.end,
                        description=(
                            rng.choice(WORDS)
                            if rng.random() < EVENTFUL
                            else f"{rng.choice(NOTES)} {rng.choice(TOPICS)}"
                        )
                        + ".",
                        source=f"Record {rng.randrange(10_000, 99_999)}",
                    )
                )
            DraftEntry.objects.bulk_create(drafts, batch_size=2000)
            chronology_services.submit(Actor.from_request(request), chronology_request)
    stored_analysis.store(incident)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert found, info
    return int(found[1])


def pdf_text(path: Path, last_page: int | None = None) -> str:
    """The PDF's text (poppler's pdftotext reads it without drawing a page)."""
    pages = ["-l", str(last_page)] if last_page else []
    return subprocess.run(
        ["pdftotext", "-q", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_it_runs_a_5000_entry_review_from_the_report_to_the_panel_pack(
    page: Any, world: Any, server_time: ServerProcessorTime
) -> None:
    world.northshire.case_reference_pattern = "NS-{year}-{number:03}"
    world.northshire.save()
    began, began_cpu = time.perf_counter(), time.process_time()
    figures: dict[str, tuple[int, float, float]] = {}  # page -> height, server ms (wall, processor)

    def measure(name: str) -> None:
        page.wait_for_load_state()
        height = page.evaluate("document.documentElement.scrollHeight")
        wall = page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.responseStart - n.requestStart; })()"
        )
        figures[name] = (int(height), float(wall), server_time.last(page.url) * 1000)

    # The police report the incident.
    sign_in(page, "police.lead@northshire.example")
    page.get_by_role("button", name="Report a serious incident").first.click()
    measure("report: about the incident")
    fill_date(page, "Date of the incident", "4", "3", "2026")
    fill_date(page, "Date the local authority became aware", "5", "3", "2026")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    measure("report: the children")
    page.fill("#id_child1-label", "Child A")
    fill_date(page, "Date of birth", "1", "1", "2021")
    page.get_by_role("button", name="Continue").click()
    measure("report: the harm")
    page.get_by_label("The child was seriously harmed").check()
    page.get_by_label("Abusive head trauma or shaking").check()
    page.get_by_label("Describe what happened").fill("Child A, five, brought to A&E with a head injury.")
    page.get_by_label("Abuse or neglect is suspected").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before reporting").wait_for()
    measure("report: check your answers")
    page.get_by_role("button", name="Report the incident").click()
    page.get_by_role("heading", name="Incident reported").wait_for()
    incident = Incident.objects.get()
    sign_out(page)

    # The business manager screens it, notifies the Panel and asks two agencies for chronologies.
    sign_in(page, "manager@northshire.example")
    page.get_by_role("link", name=incident.reference, exact=True).first.click()
    measure("case before screening")
    page.get_by_role("button", name="Screen this incident").click()
    measure("screening")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("The screening decision has been recorded").wait_for()
    page.get_by_role("button", name="Record a notification").click()
    measure("notification")
    page.get_by_label("Child Safeguarding Practice Review Panel", exact=True).check()
    fill_date(page, "Date sent", "6", "3", "2026")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Agency chronologies for this case").click()
    page.get_by_role("button", name="Request chronologies").click()
    measure("request chronologies")
    for agency in page.locator("input[name=agencies]").all():
        agency.uncheck()
    page.get_by_label("Northshire Police", exact=True).check()
    page.get_by_label("Northshire Children's Social Care", exact=True).check()
    fill_date(page, "Period covered: from", "1", "1", "2021")
    page.get_by_role("button", name="Send the requests").click()
    page.get_by_text("Chronologies requested from 2 agencies").wait_for()
    store_entries(world, incident)

    # The rapid review of the 5,000 entries.
    page.goto(f"/incidents/{incident.code}/")
    measure("case with its chronologies")
    page.get_by_role("button", name="Start the rapid review").click()
    review = RapidReview.objects.get(incident=incident)
    measure("rapid review")
    page.get_by_role("link", name="Evidence chosen").click()
    page.get_by_role("button", name="Find and choose evidence").click()
    measure("evidence picker")
    page.get_by_label("Search the case").fill("bruise")
    page.get_by_label("Show").select_option("entry")
    page.get_by_role("button", name="Search").click()
    measure("picker search")
    check_accessibility(page, "scale-evidence-picker")
    page.get_by_role("button", name="Add").first.click()
    page.get_by_role("heading", name="Chosen (1)").wait_for()
    measure("picker after adding")
    page.get_by_role("link", name="Next page").click()
    measure("picker page 2")

    page.goto(f"/composite/{incident.code}/queue/")
    measure("links and findings to confirm")
    check_accessibility(page, "scale-review-queue")

    page.goto(f"/reviews/{review.code}/meetings/new/")
    measure("new meeting with its proposed agenda")
    fill_date(page, "Date of the meeting", "10", "3", "2026")
    page.get_by_label("Attendee 1: name").fill("Lena Abbott")
    page.get_by_label("Attendee 1: represents").select_option(label="Local authority")
    page.get_by_role("button", name="Save the meeting").click()
    measure("meeting and its agenda")

    page.goto(f"/reviews/{review.code}/criteria/LR-01(a)/")
    measure("criterion")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("What the partners discussed").fill("Bruising to a young child was seen and explained.")
    page.locator("input[name=evidence]").first.check()
    page.get_by_role("button", name="Save").click()
    measure("criteria considered")

    page.goto(f"/reviews/{review.code}/decision/")
    measure("decision")
    page.get_by_label("Local child safeguarding practice review").check()
    page.get_by_label("Rationale").fill("Agencies saw bruising and did not share it.")
    # The date of the decision is today's unless changed.
    page.get_by_label("Reason 1").fill("Bruising was seen and not referred.")
    page.locator("summary", has_text="Evidence for reason 1").click()
    page.locator("input[name=reason_1_evidence]").first.check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision version 1 has been recorded").wait_for()
    measure("decision and reasons")
    page.get_by_role("link", name="Back to the rapid review").click()
    measure("rapid review with the decision")

    # The Panel pack in the format sent to the Panel (PDF; the Word pack is the same record, checked by
    # the pack's own tests and benchmark), made, downloaded and checked as the case's, every entry listed.
    page.set_default_timeout(600_000)  # the pack of 5,000 entries takes a minute or more on a loaded machine
    made = time.perf_counter()
    page.goto(f"/reviews/{review.code}/")
    page.get_by_role("button", name="Make the Panel pack (PDF)").click()
    page.get_by_role("heading", name="Your file is ready").wait_for()
    measure("Panel pack ready")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download {incident.reference}-panel-pack.pdf").click()
    pack = download.value.path()
    print(f"\nPanel pack (PDF): {pack.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - made:.0f} s")
    pages = pdf_pages(pack)
    assert pages > ENTRIES // 100
    assert incident.reference in pdf_text(pack, last_page=1)  # the title page names the case
    assert f"{ENTRIES} entries in date order" in pdf_text(pack)  # the listing's caption counts them

    print(f"\n{ENTRIES} entries: page, height px, server ms (wall clock, processor)")
    for name, (height, wall, processor) in figures.items():
        print(f"  {name}: {height} px, {wall:.0f} ms, {processor:.0f} ms")
    print(f"PDF pages: {pages}")
    print(
        f"whole test: {time.perf_counter() - began:.0f} s wall, "
        f"{time.process_time() - began_cpu:.0f} s processor (test process and live server)"
    )
    assert review.pool.count() == 1
    assert review.decisions.get().reasons.get().evidence.count() == 1
    too_tall = {name: h for name, (h, _, _) in figures.items() if h > MAX_HEIGHT_PX}
    too_slow = {name: round(p) for name, (_, _, p) in figures.items() if p > MAX_SERVER_MS}
    too_slow_wall = {name: round(w) for name, (_, w, _) in figures.items() if w > MAX_SERVER_MS}
    assert not too_tall, too_tall
    assert not too_slow, too_slow
    if STRICT_TIME:
        assert not too_slow_wall, too_slow_wall
