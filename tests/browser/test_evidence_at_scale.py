"""A rapid review of a 5,000-entry case driven in the browser: evidence chosen through the picker, the
queue of links and findings, a criterion and the decision. No page is taller than 5,000 px; the server's
time for each page is printed, and held to a second with CHRONICLE_SCALE_STRICT_TIME=true (a shared,
loaded machine measures wall time, not the page's own work). CHRONICLE_SCALE_ENTRIES sets the size."""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

import pytest
from django.test import RequestFactory

from chronicle.audit.actor import Actor
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.models import ChronologyRequest, DraftEntry
from chronicle.composite import services as composite
from chronicle.core.dates import PartialDate
from chronicle.reviews import services as review_services
from chronicle.reviews.models import RapidReview
from tests.browser.support import check_accessibility
from tests.browser.test_foundation_journey import sign_in
from tests.incidents.conftest import make_incident

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


def big_case(world: Any) -> RapidReview:
    incident = make_incident(world, reference="NS-2026-500", occurred_on=dt.date(2026, 3, 4), aware_on=dt.date(2026, 3, 5), born_on=dt.date(2021, 1, 1))  # fmt: skip
    request = RequestFactory().post("/")
    request.user = world.manager
    rng = random.Random(5)
    start = dt.date(2021, 1, 1)
    for agency in (world.police, world.social_care):
        chronology_request = ChronologyRequest.objects.create(
            incident=incident,
            agency=agency,
            period_from=start,
            period_to=dt.date(2026, 3, 4),
            scope="full",
            due_on=dt.date(2026, 3, 19),
            requested_on=dt.date(2026, 3, 5),
            requested_by=world.manager,
        )
        drafts = []
        for _ in range(ENTRIES // 2):
            day = start + dt.timedelta(days=rng.randrange(1890))
            date = PartialDate.from_isoformat(day.isoformat())
            drafts.append(
                DraftEntry(
                    request=chronology_request,
                    created_by=world.manager,
                    date_text=day.isoformat(),
                    date_start=date.start,
                    date_end=date.end,
                    description=rng.choice(WORDS) + ".",
                    source=f"Record {rng.randrange(10_000, 99_999)}",
                )
            )
        DraftEntry.objects.bulk_create(drafts, batch_size=2000)
        chronology_services.submit(Actor.from_request(request), chronology_request)
    review = review_services.start(Actor.from_request(request), incident)
    composite.build(incident)  # the analysis is made once, as the task does when chronologies arrive
    return review


def test_it_runs_a_5000_entry_review_with_short_fast_pages(page: Any, world: Any) -> None:
    review = big_case(world)
    figures: dict[str, tuple[int, float]] = {}

    def measure(name: str) -> None:
        page.wait_for_load_state()
        height = page.evaluate("document.documentElement.scrollHeight")
        server = page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.responseStart - n.requestStart; })()"
        )
        figures[name] = (int(height), float(server))

    sign_in(page, "manager@northshire.example")
    page.goto(f"/reviews/{review.code}/")
    measure("rapid review")
    page.get_by_role("link", name="Find and choose evidence").click()
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

    page.goto(f"/composite/{review.incident.code}/queue/")
    measure("links and findings to confirm")
    check_accessibility(page, "scale-review-queue")

    page.goto(f"/reviews/{review.code}/criteria/LR-01(a)/")
    measure("criterion")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("What the partners discussed").fill("Bruising to a young child was seen and explained.")
    page.locator("input[name=evidence]").first.check()
    page.get_by_role("button", name="Save").click()
    measure("rapid review after a criterion")

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
    measure("rapid review with the decision")

    print(f"\n{ENTRIES} entries: page, height px, server ms")
    for name, (height, server) in figures.items():
        print(f"  {name}: {height} px, {server:.0f} ms")
    assert review.pool.count() == 1
    assert review.decisions.get().reasons.get().evidence.count() == 1
    too_tall = {name: h for name, (h, _) in figures.items() if h > MAX_HEIGHT_PX}
    too_slow = {name: s for name, (_, s) in figures.items() if s > MAX_SERVER_MS}
    assert not too_tall, too_tall
    if STRICT_TIME:
        assert not too_slow, too_slow
