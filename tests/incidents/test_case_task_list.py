"""The case page is a GOV.UK task list: a status for each stage from screening to the finalised record."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from chronicle.composite import services as composite
from chronicle.composite.models import StoredAnalysis
from chronicle.reviews.models import RapidReview
from tests.factories import signed_in
from tests.support.forms import answers_form, consider_all, decide, meet

STAGES = [
    "Screen the incident",
    "Notify the Panel, Ofsted and partners",
    "Agency chronologies",
    "Confirm links and findings",
    "Rapid review meeting",
    "Consider the criteria",
    "Record the decision",
    "Statutory partners sign off",
    "Finalise the record",
]


def task_list(client: Any, incident: Any) -> dict[str, tuple[str, str]]:
    """Each stage's name -> (its status in words, its link or "")."""
    page = client.get(f"/incidents/{incident.code}/").content.decode()
    listing = page[
        page.index('<ul class="govuk-task-list"') : page.index("</ul>", page.index("govuk-task-list"))
    ]
    stages = {}
    for item in re.findall(r'<li class="govuk-task-list__item.*?</li>', listing, re.S):
        link = re.search(r'href="([^"]+)"', item)
        name = re.search(r"(?:govuk-task-list__link[^>]*>|<div>)([^<]+)<", item)
        status = re.search(r"govuk-task-list__status[^>]*>(.*?)</div>", item, re.S)
        assert name and status
        words = " ".join(re.sub(r"<[^>]+>", "", status.group(1)).split())
        stages[html.unescape(name.group(1))] = (html.unescape(words), link.group(1) if link else "")
    return stages


def screen(client: Any, incident: Any, outcome: str = "notifiable", **extra: str) -> None:
    response = client.post(
        f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": outcome, **extra}
    )
    assert response.status_code == 302


def test_it_lists_every_stage_in_order_for_a_new_case(as_: Any, incident: Any) -> None:
    stages = task_list(as_("manager"), incident)
    assert list(stages) == STAGES
    assert stages["Screen the incident"] == ("Not yet started", f"/incidents/{incident.code}/screen/")
    assert stages["Notify the Panel, Ofsted and partners"] == ("Cannot start yet", "")
    assert stages["Agency chronologies"][0] == "Not yet requested"
    assert stages["Confirm links and findings"] == ("Cannot start yet", "")
    assert stages["Finalise the record"] == ("Cannot start yet", "")


def test_it_moves_on_as_the_case_is_screened_and_notified(as_: Any, incident: Any) -> None:
    client = as_("manager")
    screen(client, incident)
    stages = task_list(client, incident)
    assert stages["Screen the incident"][0] == "Completed"
    assert stages["Notify the Panel, Ofsted and partners"] == (
        "Not yet started",
        f"/incidents/{incident.code}/notifications/new/",
    )
    assert stages["Rapid review meeting"][0] == "Not yet started"
    client.post(
        f"/incidents/{incident.code}/notifications/new/",
        {
            "recipients": ["Child Safeguarding Practice Review Panel"],
            "sent_on_day": "6",
            "sent_on_month": "3",
            "sent_on_year": "2024",
        },
    )
    assert task_list(client, incident)["Notify the Panel, Ofsted and partners"][0] == "Completed"


def test_it_marks_notification_and_review_not_needed_once_screened_not_notifiable(
    as_: Any, incident: Any
) -> None:
    client = as_("manager")
    screen(client, incident, "not_notifiable", rationale="No abuse or neglect is suspected.")
    stages = task_list(client, incident)
    assert stages["Notify the Panel, Ofsted and partners"][0] == "Not needed"
    assert all(stages[name][0] == "Not needed" for name in STAGES[4:])


def test_it_counts_chronologies_and_links_and_findings_to_confirm(as_: Any, case: Any) -> None:
    client = as_("manager")
    StoredAnalysis.objects.filter(incident=case).delete()  # as while the task makes the first one
    stages = task_list(client, case)
    assert stages["Agency chronologies"] == ("2 of 2 received", f"/chronologies/cases/{case.code}/")
    assert stages["Confirm links and findings"][0] == "Not worked out yet"
    built = composite.build(case)
    total = len(built.analysis.links) + len(built.analysis.findings)
    assert task_list(client, case)["Confirm links and findings"] == (
        f"{total} to confirm",
        f"/composite/{case.code}/",
    )


def test_it_follows_the_rapid_review_to_the_finalised_record(
    as_: Any, case: Any, partners: dict[str, Any]
) -> None:
    client = as_("manager")
    screen(client, case)
    client.post(f"/reviews/cases/{case.code}/start/")
    review = RapidReview.objects.get(incident=case)
    stages = task_list(client, case)
    assert stages["Rapid review meeting"] == ("Not yet started", f"/reviews/{review.code}/meetings/new/")
    assert stages["Consider the criteria"][0] == f"0 of {review.considerations.count()} considered"
    meet(client, review)
    consider_all(client, review)
    decide(client, review)
    signed_in(partners["icb"]).post(
        f"/reviews/{review.code}/position/", {"partner": "icb", "agrees": "agree"}
    )
    stages = task_list(client, case)
    assert stages["Rapid review meeting"][0] == "Completed"
    assert stages["Consider the criteria"][0] == "Completed"
    assert stages["Record the decision"][0] == "Completed"
    assert stages["Statutory partners sign off"][0] == "1 of 3 signed off"
    assert stages["Finalise the record"] == ("Not yet started", f"/reviews/{review.code}/finalise/")
    for name in ("local_authority", "police"):
        signed_in(partners[name]).post(
            f"/reviews/{review.code}/position/", {"partner": name, "agrees": "agree"}
        )
    assert client.post(f"/reviews/{review.code}/finalise/").status_code == 302
    stages = task_list(client, case)
    assert stages["Statutory partners sign off"][0] == "Completed"
    assert stages["Finalise the record"][0] == "Completed"


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer"])
def test_it_shows_others_the_progress_without_the_managers_links(as_: Any, case: Any, persona: str) -> None:
    stages = task_list(as_(persona), case)
    assert list(stages) == STAGES
    assert stages["Screen the incident"] == ("Not yet started", "")
    linked = {name for name, (_, link) in stages.items() if link}
    # The reviewer reads the composite; agencies see only their chronologies.
    assert linked == (
        {"Agency chronologies", "Confirm links and findings"}
        if persona == "reviewer"
        else {"Agency chronologies"}
    )


@pytest.mark.parametrize("persona", ["outsider"])
def test_it_shows_no_one_else_the_case(as_: Any, case: Any, persona: str) -> None:
    assert as_(persona).get(f"/incidents/{case.code}/").status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, case: Any) -> None:
    assert client.get(f"/incidents/{case.code}/")["Location"].startswith("/sign-in/")
