"""Every page of the demo partnership, as the person who uses it, at 320, 375 and 1280 px: nothing is
wider than the screen and axe-core finds no serious or critical violation.

One browser and one sign-in per person keep the run short; the demo is loaded once."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from chronicle.accounts.models import User
from chronicle.incidents.models import Incident
from chronicle.reviews.models import RapidReview
from tests.browser.support import AXE, AXE_RUN, SCREENSHOTS, WIDTHS, draft_chronology, sign_in_to_dashboard
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _pages(manager: User) -> dict[str, list[str]]:
    case = Incident.objects.get(reference="NS-2026-002")
    retrospective = Incident.objects.get(reference="NS-2012-004")
    newest = Incident.objects.get(reference="NS-2026-031")
    review = RapidReview.objects.get(incident=case)
    police_lead = User.objects.get(email="police.lead@northshire.example")
    draft = draft_chronology(newest, "Northshire Police", manager, police_lead)
    submitted = case.chronology_requests.get(agency__name="Northshire Police", round=1)
    composite = f"/composite/{case.code}/"
    return {
        "manager@northshire.example": [
            "/dashboard/",
            "/incidents/",
            f"/incidents/{case.code}/",
            f"/incidents/{retrospective.code}/",
            f"/incidents/{newest.code}/",
            "/incidents/threshold-audit/",
            f"/chronologies/cases/{case.code}/",
            "/chronologies/timeliness/",
            composite,
            f"{composite}findings/",
            f"{composite}quality/",
            f"{composite}timeline/",
            f"{composite}timeline/?year=2026&month=8",
            f"/reviews/{review.code}/",
            *(
                f"/reviews/{review.code}/{part}/"
                for part in ("summary", "meetings", "evidence/chosen", "criteria", "decisions", "sign-offs")
            ),
            "/reviews/learning/",
            "/reviews/learning/themes/",
            "/partnership/people/",
            "/partnership/agencies/",
        ],
        "police.lead@northshire.example": [
            "/dashboard/",
            f"/chronologies/{draft.code}/",
            f"/chronologies/{submitted.code}/",
            f"/incidents/{newest.code}/",
        ],
        "social.worker@northshire.example": ["/dashboard/"],
        "la.partner@northshire.example": ["/dashboard/", f"/reviews/{review.code}/position/"],
        "reviewer@northshire.example": ["/dashboard/", composite, f"/reviews/{review.code}/"],
        "auditor@northshire.example": ["/dashboard/", "/audit/"],
    }


def test_it_fits_every_page_on_a_small_screen_and_passes_axe(
    browser: Any, live_server: Any, settings: Any
) -> None:
    settings.REQUIRE_2FA = False
    call_command("demo", stdout=StringIO())
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    pages = _pages(User.objects.get(email="manager@northshire.example"))
    axe = AXE.read_text()
    problems: list[str] = []
    for email, paths in pages.items():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in_to_dashboard(page, email)
        for path in paths:
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
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"too-wide-{len(problems)}.png"), full_page=True)
                page.evaluate(axe)  # through the debugging protocol, so the page's CSP does not block it
                problems += [f"{where}: {violation}" for violation in page.evaluate(AXE_RUN)]
        context.close()
    assert not problems, "\n".join(problems)
