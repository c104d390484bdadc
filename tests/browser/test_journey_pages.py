"""The pages that tell people what to do next, at 320, 375 and 1280 px as each person sees them:
nothing wider than the screen, no serious or critical axe-core violation, and a screenshot of each
at 375 and 1280 px (into docs/images with CHRONICLE_DOCS_IMAGES=true)."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from chronicle.accounts.models import User
from chronicle.audit.actor import Actor
from chronicle.incidents.models import Incident
from chronicle.reviews import services
from chronicle.reviews.models import RapidReview
from tests.browser.support import (
    AXE,
    AXE_RUN,
    ROOT,
    SCREENSHOTS,
    SHOT_WIDTHS,
    WIDTHS,
    draft_chronology,
    sign_in_to_dashboard,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _as(user: User) -> Any:
    request = RequestFactory().post("/")
    request.user = user
    return request


def _prepare() -> dict[str, list[tuple[str, str]]]:
    """A case awaiting sign-offs, a finalised review reopened with a chronology outstanding."""
    manager = User.objects.get(email="manager@northshire.example")
    case = Incident.objects.get(reference="NS-2026-002")
    newest = Incident.objects.get(reference="NS-2026-031")
    police_lead = User.objects.get(email="police.lead@northshire.example")
    draft_chronology(newest, "Northshire Police", manager, police_lead)
    started = services.start(Actor.from_request(_as(manager)), newest)
    services.record_decision(
        Actor.from_request(_as(manager)),
        started,
        {
            "outcome": "local_review",
            "alternative_kind": "",
            "rationale": "Agencies did not share what they knew about the baby's injuries.",
            "decided_on": timezone.localdate(),
            "panel_response": "",
            "family_told": "",
            "ofsted_told": "",
        },
        [("The hospital's concern was not shared with the GP.", [("screening", "1", "Screening decision")])],
    )
    review = RapidReview.objects.get(incident=case)
    services.reopen(Actor.from_request(_as(manager)), review, "To show the check page")
    # One agency's chronology returned for revision: outstanding on the check page.
    case.chronology_requests.filter(pk=case.chronology_requests.order_by("pk").values("pk")[:1]).update(
        status="returned"
    )
    return {
        "manager@northshire.example": [
            ("/dashboard/", "dashboard-what-needs-you"),
            (f"/incidents/{case.code}/", "case-task-list"),
            (f"/incidents/{newest.code}/", "case-task-list-in-progress"),
            (f"/reviews/{review.code}/finalise/", "finalise-check"),
        ],
        "la.partner@northshire.example": [("/dashboard/", "dashboard-statutory-partner")],
        "police.lead@northshire.example": [("/dashboard/", "dashboard-agency-lead")],
    }


def test_it_fits_the_pages_that_say_what_to_do_next_and_passes_axe(
    browser: Any, live_server: Any, settings: Any
) -> None:
    settings.REQUIRE_2FA = False
    call_command("demo", stdout=StringIO())
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    pages = _prepare()
    shots: Path = (
        ROOT / "docs" / "images" if os.environ.get("CHRONICLE_DOCS_IMAGES") == "true" else SCREENSHOTS
    )
    shots.mkdir(parents=True, exist_ok=True)
    axe = AXE.read_text()
    problems: list[str] = []
    for email, paths in pages.items():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in_to_dashboard(page, email)
        for path, name in paths:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(path)
                where = f"{email.partition('@')[0]} {path} at {width} px"
                if response is None or response.status != 200:
                    problems.append(f"{where}: answered {response.status if response else 'nothing'}")
                    continue
                scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if scroll > inner:
                    problems.append(f"{where}: {scroll} px wide")
                if width in SHOT_WIDTHS:
                    page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
                page.evaluate(axe)
                problems += [f"{where}: {violation}" for violation in page.evaluate(AXE_RUN)]
        context.close()
    assert not problems, "\n".join(problems)
