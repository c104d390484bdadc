from __future__ import annotations

from typing import Any

import pytest

from tests.browser.support import at_every_width, check_accessibility, fill_date, sign_in

pytestmark = pytest.mark.browser


def test_it_reports_an_incident_in_a_few_steps_and_the_manager_screens_it(page: Any, world: Any) -> None:
    world.northshire.case_reference_pattern = "NS-{year}-{number:03}"
    world.northshire.save()
    sign_in(page, "police.lead@northshire.example")
    page.get_by_role("button", name="Report a serious incident").first.click()
    check_accessibility(page, "report-1-about")
    at_every_width(page, "report-1-about")
    for group, (day, month, year) in {
        "Date of the incident": ("2", "11", "2026"),
        "Date the local authority became aware": ("3", "11", "2026"),
    }.items():
        fill_date(page, group, day, month, year)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()

    check_accessibility(page, "report-2-children")
    page.fill("#id_child1-label", "Baby K")
    fill_date(page, "Date of birth", "1", "8", "2026")
    page.get_by_text("Add child 2").click()
    page.fill("#id_child2-label", "Sibling L")
    page.fill("#id_child2-age_years", "3")
    page.locator('input[name="child2-looked_after"][value="yes"]').check()
    at_every_width(page, "report-2-children")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("The child was seriously harmed").check()
    page.get_by_label("Abusive head trauma or shaking").check()
    page.get_by_label("Describe what happened").fill(
        "Baby Smith born 1/8/2026, brought to A&E after being shaken; subdural haemorrhage."
    )
    page.get_by_label("Abuse or neglect is suspected").check()
    check_accessibility(page, "report-3-harm")
    page.get_by_role("button", name="Continue").click()
    # A name in the description: warned once, then the reporter changes it to the pseudonym.
    page.get_by_text("This may identify someone").wait_for()
    at_every_width(page, "report-3-harm-name-warning")
    page.get_by_label("Describe what happened").fill(
        "Baby K, three months, brought to A&E after being shaken; subdural haemorrhage."
    )
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Check your answers before reporting").wait_for()
    check_accessibility(page, "report-4-check")
    at_every_width(page, "report-4-check")
    assert "NS-2026-001" in page.text_content("main")
    page.get_by_role("button", name="Report the incident").click()
    page.get_by_role("heading", name="Incident reported").wait_for()
    check_accessibility(page, "report-5-confirmation")
    assert "NS-2026-001" in page.text_content("main")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "manager@northshire.example")
    assert "NS-2026-001" in page.text_content("main")
    check_accessibility(page, "dashboard-with-incidents")
    page.get_by_role("link", name="NS-2026-001").first.click()
    assert "Record a notification" not in page.text_content("main")
    at_every_width(page, "case-before-screening")
    page.get_by_role("button", name="Screen this incident").click()
    at_every_width(page, "screening")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("The screening decision has been recorded").wait_for()
    check_accessibility(page, "incident-screened")
    page.get_by_role("button", name="Record a notification").click()
    for recipient in ("Child Safeguarding Practice Review Panel", "Ofsted", "Safeguarding partners"):
        page.get_by_label(recipient, exact=True).check()
    fill_date(page, "Date sent", "4", "11", "2026")
    page.get_by_label("Reference given by Child Safeguarding Practice Review Panel (optional)").fill(
        "SIN-2026-77"
    )
    at_every_width(page, "notification-one-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text(
        "The notifications to Child Safeguarding Practice Review Panel, Ofsted, Safeguarding partners have been recorded"
    ).wait_for()
    page.get_by_role("link", name="Incidents").first.click()
    page.get_by_role("link", name="Threshold audit: find harm that was never screened").click()
    check_accessibility(page, "threshold-audit")
