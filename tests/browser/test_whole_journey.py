"""The whole journey once, as its users drive it: screening, notification, day-0 requests, two agencies'
imports and submissions (one returned and revised), the composite and a finding confirmed, the rapid review
with three partners signing off (one dissenting), finalising, and the Panel pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chronicle.accounts.models import Role
from chronicle.reviews.demo import CSC_CSV_V1, POLICE_CSV
from chronicle.reviews.models import RapidReview
from tests.browser.support import at_every_width, check_accessibility, fill_date, sign_in, sign_out
from tests.factories import make_incident, make_partners, make_user

pytestmark = pytest.mark.browser


def import_and_submit(page: Any, tmp_path: Path, email: str, name: str, text: str, shot: str = "") -> None:
    sign_in(page, email)
    page.get_by_role("link", name="NS-2026-070", exact=True).first.click()
    page.get_by_role("button", name="Import a file").click()
    if shot:
        at_every_width(page, "journey-02-import")
    upload = tmp_path / name
    upload.write_text(text)
    page.get_by_label("Upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("imported from").wait_for()
    if shot:
        at_every_width(page, shot)
    page.get_by_role("button", name="Submit the chronology").click()
    if shot:
        at_every_width(page, "journey-02-agency-submit")
    page.get_by_role("button", name="Submit").click()
    sign_out(page)


def test_it_carries_a_case_from_screening_to_the_panel_pack(page: Any, world: Any, tmp_path: Path) -> None:
    make_partners(world)  # dcs@, nurse@ (of the ICB) and acc@northshire.example
    make_user("csc.lead@northshire.example", world.northshire, Role.AGENCY_LEAD, world.social_care)
    today = dt.date.today()
    case = make_incident(
        world,
        reference="NS-2026-070",
        occurred_on=dt.date(2026, 10, 4),
        aware_on=dt.date(2026, 10, 5),
        born_on=dt.date(2026, 5, 12),
    )

    # The business manager screens, notifies and asks every agency on day 0.
    sign_in(page, "manager@northshire.example")
    page.get_by_role("link", name="NS-2026-070", exact=True).first.click()
    page.get_by_role("button", name="Screen this incident").click()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Record a notification").click()
    page.get_by_label("Child Safeguarding Practice Review Panel", exact=True).check()
    fill_date(page, "Date sent", "7", "10", "2026")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Agency chronologies for this case").click()
    page.get_by_role("button", name="Request chronologies").click()
    page.get_by_label("Riverside GP Practice").uncheck()
    page.get_by_label("Northshire ICB").uncheck()
    fill_date(page, "Period covered: from", "12", "5", "2026")
    at_every_width(page, "journey-01-request-chronologies")
    page.get_by_role("button", name="Send the requests").click()
    page.get_by_text("Chronologies requested from 2 agencies").wait_for()
    sign_out(page)

    # Each agency's safeguarding lead imports its file and submits it.
    import_and_submit(
        page, tmp_path, "police.lead@northshire.example", "police.csv", POLICE_CSV, "journey-02-agency-draft"
    )
    import_and_submit(page, tmp_path, "csc.lead@northshire.example", "csc.csv", CSC_CSV_V1)

    # The manager returns one for revision; the agency adds the missing decision and resubmits.
    sign_in(page, "manager@northshire.example")
    page.get_by_role("link", name="NS-2026-070", exact=True).first.click()
    page.get_by_role("link", name="Agency chronologies for this case").click()
    page.get_by_role("link", name="Return for revision (Northshire Children's Social Care)").click()
    page.get_by_label("Feedback for the agency").fill(
        "Please add the MASH decision on the referral of 23 August."
    )
    due = today + dt.timedelta(days=10)
    fill_date(page, "New due date", str(due.day), str(due.month), str(due.year))
    page.get_by_role("button", name="Return for revision").click()
    sign_out(page)

    sign_in(page, "csc.lead@northshire.example")
    page.get_by_role("link", name="NS-2026-070", exact=True).first.click()
    page.get_by_role("button", name="Add an entry").click()
    fill_date(page, "Date of the event", "28", "8", "2026")
    page.get_by_label("What happened").fill(
        "MASH decision: no further action; advice letter to the mother about domestic abuse services."
    )
    page.get_by_label("Source of information").fill("MASH decision log 88213")
    page.get_by_label("Event type").select_option("referral_decision")
    at_every_width(page, "journey-03-add-entry")
    page.get_by_role("button", name="Add to the draft").click()
    page.get_by_role("button", name="Submit the chronology").click()
    page.get_by_role("button", name="Submit").click()
    sign_out(page)

    # The manager accepts, reads the composite and confirms a finding.
    sign_in(page, "manager@northshire.example")
    page.get_by_role("link", name="NS-2026-070", exact=True).first.click()
    page.get_by_role("link", name="Agency chronologies for this case").click()
    at_every_width(page, "journey-04-tracking")
    for agency in ("Northshire Children's Social Care", "Northshire Police"):
        page.get_by_role("button", name=f"Accept {agency}").click()
    page.get_by_role("link", name="Back to NS-2026-070").click()
    page.get_by_role("link", name="Composite chronology and analysis").click()
    page.get_by_role("heading", name="Composite chronology").wait_for()
    at_every_width(page, "journey-05-composite")
    page.get_by_role("link", name="Compliance findings").click()
    check_accessibility(page, "journey-06-findings")
    page.get_by_text("Confirm, change or dismiss").first.click()
    page.get_by_label("Confirm").first.check()
    page.get_by_role("button", name="Record the decision").first.click()
    page.get_by_role("link", name="Timeline").click()
    check_accessibility(page, "journey-07-timeline")

    # The rapid review: meeting, criteria, decision.
    page.goto(f"/composite/{case.code}/queue/")
    at_every_width(page, "journey-queue")
    page.goto(f"/incidents/{case.code}/")
    page.get_by_role("button", name="Start the rapid review").click()
    page.get_by_role("link", name="Meetings and minutes").click()
    page.get_by_role("button", name="Record a meeting and its agenda").click()
    fill_date(page, "Date of the meeting", "20", "10", "2026")
    for n, (name, partner) in enumerate(
        [
            ("Lena Abbott", "Local authority"),
            ("Ian Bright", "Integrated care board"),
            ("Paula Parr", "Chief officer of police"),
        ],
        start=1,
    ):
        page.get_by_label(f"Attendee {n}: name").fill(name)
        page.get_by_label(f"Attendee {n}: represents").select_option(label=partner)
    page.get_by_role("button", name="Save the meeting").click()
    at_every_width(page, "journey-08-meeting")
    page.get_by_role("link", name="Back to the rapid review").click()
    review = RapidReview.objects.get()
    # Evidence is chosen once, into the review's pool, from the picker; criteria and reasons cite it.
    page.goto(f"/reviews/{review.code}/evidence/")
    page.get_by_role("button", name="Add").first.click()
    page.get_by_role("button", name="Add").first.click()
    assert review.pool.count() == 2
    at_every_width(page, "journey-picker")
    page.goto(f"/reviews/{review.code}/")
    page.get_by_role("link", name="Criteria considered").click()
    for consideration in review.considerations.all():
        page.get_by_role("link", name=f"Record the criterion: {consideration.question}", exact=True).click()
        page.get_by_label("Yes").check()
        page.get_by_label("What the partners discussed").fill(
            f"Discussed {consideration.criterion_id} on 20 October."
        )
        page.locator("input[name=evidence]").first.check()
        page.get_by_role("button", name="Save").click()
    at_every_width(page, "journey-criteria")
    page.get_by_role("link", name="Back to the rapid review").click()
    page.get_by_role("link", name="Decision and reasons").click()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("Local child safeguarding practice review").check()
    page.get_by_label("Rationale").fill(
        "The front door closed a domestic abuse referral without a recorded decision."
    )
    fill_date(page, "Date of the decision", "23", "10", "2026")
    page.get_by_label("Reason 1", exact=True).fill(
        "The referral of 23 August had no decision within one working day."
    )
    page.locator("summary", has_text="Evidence for reason 1").click()  # folded under its reason
    page.locator("input[name=reason_1_evidence]").first.check()
    at_every_width(page, "journey-09-decision")
    page.get_by_role("button", name="Record the decision").click()
    sign_out(page)

    # Each statutory partner signs off; the police disagree.
    for email, position in (
        ("dcs@northshire.example", "agree"),
        ("nurse@northshire.example", "agree"),
        ("acc@northshire.example", "disagree"),
    ):
        sign_in(page, email)
        page.goto(f"/reviews/{review.code}/position/")
        page.get_by_label("I agree with the decision" if position == "agree" else "I disagree").check()
        if position == "disagree":
            page.get_by_label("Reasons").fill("A peer-learning event would bring the learning sooner.")
        if position == "disagree":
            at_every_width(page, "journey-sign-off")
        page.get_by_role("button", name="Sign off").click()
        sign_out(page)

    # The manager finalises and downloads the Panel pack.
    sign_in(page, "manager@northshire.example")
    page.goto(f"/reviews/{review.code}/sign-offs/")
    assert "Disagrees" in page.text_content("main")
    page.get_by_role("link", name="Back to the rapid review").click()
    page.get_by_role("link", name="Finalise the record").click()
    page.get_by_role("heading", name="Check the record before finalising").wait_for()
    at_every_width(page, "journey-10-check-before-finalising")
    page.get_by_role("button", name="Finalise the rapid review record").click()
    page.get_by_role("heading", name="Finalised").wait_for()
    at_every_width(page, "journey-10-rapid-review")
    # Tasks run in the request here: on a loaded machine the pack takes more than the usual 30 s.
    page.get_by_role("button", name="Make the Panel pack (PDF)").click(timeout=180_000)
    page.get_by_role("heading", name="Your file is ready").wait_for()
    at_every_width(page, "journey-11-panel-pack-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download NS-2026-070-panel-pack.pdf").click()
    assert download.value.suggested_filename == "NS-2026-070-panel-pack.pdf"
    review.refresh_from_db()
    assert review.is_final

    # The auditor searches the audit log by the case's reference: who did what on the case.
    sign_out(page)
    sign_in(page, "auditor@northshire.example")
    page.goto("/audit/")
    page.get_by_label("Case reference").fill("NS-2026-070")
    page.get_by_role("button", name="Apply filters").click()
    assert "No events match" not in page.text_content("main")
    at_every_width(page, "journey-12-audit-log")
