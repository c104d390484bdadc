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
from tests.browser.support import AXE, ROOT, SCREENSHOTS
from tests.browser.test_small_screens import AXE_RUN, PASSWORD, _draft, _sign_in

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 1280)
SHOT_WIDTHS = (375, 1280)


def shots_folder() -> Path:
    folder = ROOT / "docs" / "images" if os.environ.get("CHRONICLE_DOCS_IMAGES") == "true" else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_small(path: Path) -> None:
    """A screenshot for the docs in 256 colours: a page's few colours survive, the file is a third the size."""
    from PIL import Image

    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def at_every_width(page: Any, name: str) -> None:
    """The page as it is now at 320, 375 and 1280 px: no overflow, no axe violation; shots at 375 and 1280."""
    size = page.viewport_size
    axe = AXE.read_text()
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{name} at {width} px: {scroll} px wide")
        if width in SHOT_WIDTHS:
            shot = shots_folder() / f"{name}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            if os.environ.get("CHRONICLE_DOCS_IMAGES") == "true":
                keep_small(shot)
        page.evaluate(axe)
        problems += [f"{name} at {width} px: {violation}" for violation in page.evaluate(AXE_RUN)]
    page.set_viewport_size(size)
    assert not problems, "\n".join(problems)


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
    _draft(newest, "Northshire Police", manager, police_lead)
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
        _sign_in(page, email)
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
