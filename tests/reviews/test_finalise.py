"""Finalising the rapid review record: a check page, refusal while things are outstanding, and the
business manager's override with reasons, which the Panel pack shows."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.utils import timezone

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies.models import ChronologyRequest
from chronicle.reviews import services
from chronicle.reviews.models import RapidReview
from chronicle.reviews.pack import build_panel_pack
from tests.factories import FULL_REQUEST, make_request, signed_in
from tests.support.documents import document_text
from tests.support.forms import consider_all, decide, meet


@pytest.fixture
def review(as_: Any, case: Any) -> RapidReview:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    return RapidReview.objects.get(incident=case)


def sign_off(review: RapidReview, partners: dict[str, Any], *names: str) -> None:
    for name in names or tuple(partners):
        response = signed_in(partners[name]).post(
            f"/reviews/{review.code}/position/", {"partner": name, "agrees": "agree"}
        )
        assert response.status_code == 302


@pytest.fixture
def ready_review(as_: Any, review: RapidReview, partners: dict[str, Any]) -> RapidReview:
    """Met, every criterion considered, decided with evidence, signed off by all three partners."""
    client = as_("manager")
    meet(client, review)
    consider_all(client, review)
    assert decide(client, review).status_code == 302
    sign_off(review, partners)
    return review


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return found.group(1)


def check_page(client: Any, review: RapidReview) -> str:
    response = client.get(f"/reviews/{review.code}/finalise/")
    assert response.status_code == 200
    return response.content.decode()


def post_from(client: Any, review: RapidReview, page: str, **extra: str) -> Any:
    data = {name: hidden(page, name) for name in ("read_version", "form_token", "seen")}
    data.update(extra)
    return client.post(f"/reviews/{review.code}/finalise/", data)


def outstanding_request(review: RapidReview, world: Any) -> ChronologyRequest:
    return make_request(world, review.incident, world.gp, **FULL_REQUEST)


def test_it_shows_the_record_to_check_before_finalising(as_: Any, ready_review: RapidReview) -> None:
    page = check_page(as_("manager"), ready_review)
    assert "Check the record before finalising" in page
    for seen in ("Northshire Police", "Rapid review meeting", "14 March 2024", "18 March 2024", "Agrees"):
        assert seen in page
    assert "Finalise the rapid review record" in page
    assert "Still outstanding" not in page


def test_it_finalises_a_complete_record_from_the_check_page(as_: Any, ready_review: RapidReview) -> None:
    client = as_("manager")
    response = post_from(client, ready_review, check_page(client, ready_review))
    assert response.status_code == 302
    ready_review.refresh_from_db()
    assert ready_review.is_final
    assert ready_review.finalised_despite == [] and ready_review.override_reasons == ""


def test_it_refuses_while_a_chronology_is_outstanding_unless_reasons_are_given(
    as_: Any, world: Any, ready_review: RapidReview
) -> None:
    outstanding_request(ready_review, world)
    client = as_("manager")
    page = check_page(client, ready_review)
    assert "The chronology from Riverside GP Practice has not been submitted (requested)" in page
    assert "Finalise despite what is outstanding" in page
    refused = post_from(client, ready_review, page)
    assert refused.status_code == 200
    assert "Write why the record should be finalised while things are outstanding" in refused.content.decode()
    ready_review.refresh_from_db()
    assert not ready_review.is_final
    reasons = "The Panel's deadline is today; the GP practice has closed and its records are with the ICB."
    assert post_from(client, ready_review, page, override_reasons=reasons).status_code == 302
    ready_review.refresh_from_db()
    assert ready_review.is_final
    assert ready_review.finalised_despite == [
        "The chronology from Riverside GP Practice has not been submitted (requested)"
    ]
    assert ready_review.override_reasons == reasons
    text = document_text(build_panel_pack(ready_review))
    assert "Finalised with these outstanding: The chronology from Riverside GP Practice" in text
    assert f"Reasons for finalising: {reasons}" in text
    shown = client.get(f"/reviews/{ready_review.code}/").content.decode()
    assert "Finalised with things outstanding" in shown and "records are with the ICB" in shown


def test_it_refuses_a_meeting_or_decision_dated_in_the_future(as_: Any, ready_review: RapidReview) -> None:
    next_week = timezone.localdate() + dt.timedelta(days=7)
    ready_review.meetings.update(held_on=next_week)
    ready_review.decisions.update(decided_on=next_week)
    ready = services.readiness(ready_review)
    day = f"{next_week.day} {next_week:%B %Y}"
    assert ready.missing == []
    assert ready.outstanding == [
        f"The meeting “Rapid review meeting” is dated {day}, in the future",
        f"The decision is dated {day}, in the future",
    ]
    client = as_("manager")
    assert post_from(client, ready_review, check_page(client, ready_review)).status_code == 200
    ready_review.refresh_from_db()
    assert not ready_review.is_final


def test_it_refuses_while_sign_offs_are_missing(
    as_: Any, review: RapidReview, partners: dict[str, Any]
) -> None:
    client = as_("manager")
    meet(client, review)
    consider_all(client, review)
    decide(client, review)
    sign_off(review, partners, "icb")
    ready = services.readiness(review)
    assert ready.missing == []
    assert [o for o in ready.outstanding if "has not recorded a position" in o] == [
        "The local authority has not recorded a position and signed off decision version 1",
        "The chief officer of police has not recorded a position and signed off decision version 1",
    ]
    assert post_from(client, review, check_page(client, review)).status_code == 200
    review.refresh_from_db()
    assert not review.is_final


def test_it_offers_no_override_for_what_must_be_done(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    page = check_page(client, review)
    assert "The record cannot be finalised until these are done" in page
    assert "No decision has been recorded" in page
    assert 'name="override_reasons"' not in page
    response = client.post(
        f"/reviews/{review.code}/finalise/",
        {"override_reasons": "Because we must", "form_token": str(uuid.uuid4())},
    )
    assert "The record cannot be finalised yet" in response.content.decode()
    review.refresh_from_db()
    assert not review.is_final
    assert AuditEvent.objects.filter(object_id=str(review.code), outcome="failure").exists()


def test_it_is_safe_to_post_twice(as_: Any, ready_review: RapidReview) -> None:
    client = as_("manager")
    page = check_page(client, ready_review)
    first = post_from(client, ready_review, page)
    second = post_from(client, ready_review, page)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == f"/reviews/{ready_review.code}/"
    finalised = AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(ready_review.code), detail__startswith="finalised"
    )
    assert finalised.count() == 1


def test_it_refuses_when_a_sign_off_changed_after_the_page_was_read(
    as_: Any, review: RapidReview, partners: dict[str, Any]
) -> None:
    client = as_("manager")
    meet(client, review)
    consider_all(client, review)
    decide(client, review)
    sign_off(review, partners, "icb", "police")
    page = check_page(client, review)  # read while the local authority's sign-off is awaited
    sign_off(review, partners, "local_authority")
    response = post_from(client, review, page, override_reasons="The local authority is on leave.")
    assert response.status_code == 302 and response["Location"] == f"/reviews/{review.code}/finalise/"
    review.refresh_from_db()
    assert not review.is_final
    assert (
        "The record changed while you were checking it" in client.get(response["Location"]).content.decode()
    )


def test_it_refuses_when_the_record_was_saved_after_the_page_was_read(
    as_: Any, ready_review: RapidReview
) -> None:
    client = as_("manager")
    ready_review.refresh_from_db()
    page = check_page(client, ready_review)
    client.post(
        f"/reviews/{ready_review.code}/overview/",
        {"summary": "A new summary", "read_version": str(ready_review.lock_version)},
    )
    response = post_from(client, ready_review, page)
    assert response["Location"] == f"/reviews/{ready_review.code}/finalise/"
    ready_review.refresh_from_db()
    assert not ready_review.is_final and ready_review.summary == "A new summary"


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "outsider"])
def test_it_lets_only_the_business_manager_check_and_finalise(
    as_: Any, ready_review: RapidReview, persona: str
) -> None:
    client = as_(persona)
    assert client.get(f"/reviews/{ready_review.code}/finalise/").status_code == 404
    assert client.post(f"/reviews/{ready_review.code}/finalise/").status_code == 404
    ready_review.refresh_from_db()
    assert not ready_review.is_final


def test_it_keeps_statutory_partners_to_their_sign_off(
    ready_review: RapidReview, partners: dict[str, Any]
) -> None:
    client = signed_in(partners["police"])
    assert client.get(f"/reviews/{ready_review.code}/finalise/").status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, ready_review: RapidReview) -> None:
    assert client.get(f"/reviews/{ready_review.code}/finalise/")["Location"].startswith("/sign-in/")
