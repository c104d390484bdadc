"""Every page of the demo partnership, as the person who uses it, at 320, 375 and 1280 px: nothing is
wider than the screen and axe-core finds no serious or critical violation.

One browser and one sign-in per person keep the run short; the demo is loaded once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from chronicle.accounts.models import Agency, User
from chronicle.chronologies.models import ChronologyRequest, Status
from chronicle.incidents.models import Incident
from chronicle.reviews.models import RapidReview
from tests.browser.support import AXE, SCREENSHOTS
from tests.composite.conftest import add_entries

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 1280)
PASSWORD = "correct horse battery staple"
AXE_RUN = (
    "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations"
    ".filter(v => ['serious', 'critical'].includes(v.impact))"
    ".map(v => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target).join(' | ')}`)"
)


def _draft(incident: Incident, agency_name: str, manager: User, lead: User) -> ChronologyRequest:
    """A chronology the agency is still writing, so the draft workspace has entries to show."""
    request = ChronologyRequest.objects.create(
        incident=incident,
        agency=Agency.objects.get(partnership=incident.partnership, name=agency_name),
        period_from=incident.occurred_on - dt.timedelta(days=120),
        period_to=incident.occurred_on,
        scope="full",
        due_on=incident.aware_on + dt.timedelta(days=20),
        requested_on=incident.aware_on,
        requested_by=manager,
        status=Status.IN_PROGRESS,
    )
    add_entries(
        request,
        lead,
        [
            (
                (incident.occurred_on - dt.timedelta(days=3)).isoformat(),
                "police_callout",
                "Police called by a neighbour to reports of a baby crying for hours; mother said the baby had colic.",
                "Niche occurrence 2026-5571-a-long-reference-with-no-spaces-at-all",
            ),
            (
                incident.occurred_on.isoformat(),
                "",
                "Officers attended the hospital with the ambulance crew and spoke to the father.",
                "Niche occurrence 2026-5580",
            ),
        ],
    )
    return request


def _pages(manager: User) -> dict[str, list[str]]:
    case = Incident.objects.get(reference="NS-2026-002")
    retrospective = Incident.objects.get(reference="NS-2012-004")
    newest = Incident.objects.get(reference="NS-2026-031")
    review = RapidReview.objects.get(incident=case)
    police_lead = User.objects.get(email="police.lead@northshire.example")
    draft = _draft(newest, "Northshire Police", manager, police_lead)
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


def _sign_in(page: Any, email: str) -> None:
    page.goto("/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("heading", name="Dashboard").wait_for()


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
        _sign_in(page, email)
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
