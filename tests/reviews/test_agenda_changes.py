"""The meeting agenda: one item per rule, status and chronology, and brought up to date (with what
changed shown) when chronologies arrive after the meeting was set up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.models import ChronologyRequest
from chronicle.reviews.models import RapidReview
from tests.factories import (
    FULL_REQUEST,
    actor_for,
    add_entries,
    make_incident,
    make_request,
    submit,
)
from tests.support.forms import meet

REFERRALS = [
    (
        "2024-01-10",
        "referral",
        "Police referral to children's social care: cot pushed over.",
        "Niche ref 118",
    ),
    (
        "2024-01-24",
        "referral",
        "Police referral to children's social care: shouting reported.",
        "Niche ref 121",
    ),
    (
        "2024-02-07",
        "referral",
        "Police referral to children's social care: baby's bruise seen.",
        "Niche ref 140",
    ),
]
SOCIAL_CARE = [
    (
        "2024-02-12",
        "referral",
        "Referral received from the health visitor about the baby's weight.",
        "Case note 3",
    ),
]


@pytest.fixture
def requests(world: Any) -> dict[str, ChronologyRequest]:
    incident = make_incident(world, reference="NS-2024-061", born_on=dt.date(2023, 11, 1))
    police = make_request(world, incident, world.police, **FULL_REQUEST)
    social_care = make_request(world, incident, world.social_care, **FULL_REQUEST)
    add_entries(police, world.owner, REFERRALS)
    submit(world.owner, police)
    return {"police": police, "social_care": social_care}


@pytest.fixture
def review(as_: Any, requests: dict[str, ChronologyRequest]) -> RapidReview:
    incident = requests["police"].incident
    assert as_("manager").post(f"/reviews/cases/{incident.code}/start/").status_code == 302
    return RapidReview.objects.get(incident=incident)


def test_it_lists_one_chronologys_repeated_finding_once(as_: Any, review: RapidReview) -> None:
    assert meet(as_("manager"), review).status_code == 302
    titles = [item.title for item in review.meetings.get().items.all()]
    referral_items = [t for t in titles if t.startswith("Decision on a referral within one working day")]
    assert len(referral_items) == 1
    assert "×3, Northshire Police" in referral_items[0]


def test_it_shows_what_changed_when_a_chronology_arrives_and_updates_the_agenda(
    as_: Any, review: RapidReview, requests: dict[str, ChronologyRequest], world: Any
) -> None:
    client = as_("manager")
    meet(client, review)
    meeting = review.meetings.get()
    url = f"/reviews/{review.code}/meetings/{meeting.code}/"
    first = meeting.items.first()
    client.post(url, {f"minutes_{first.pk}": "Police to check the referral records."})
    assert "The analysis has changed" not in client.get(url).content.decode()

    add_entries(requests["social_care"], world.other_agency, SOCIAL_CARE)
    chronology_services.submit(actor_for(world.other_agency), requests["social_care"])
    page = client.get(url).content.decode()
    assert "The analysis has changed" in page
    assert (
        "New: Decision on a referral within one working day" in page
        and "Northshire Children&#x27;s Social Care" in page
    )

    before = meeting.items.count()
    for _ in range(2):  # a second post finds nothing left to change
        assert client.post(f"{url}refresh/").status_code == 302
    assert meeting.items.count() > before
    assert (
        meeting.items.filter(
            title__contains="Social Care", title__startswith="Decision on a referral within one working day"
        ).count()
        == 1
    )
    first.refresh_from_db()
    assert first.minutes == "Police to check the referral records."
    assert "The analysis has changed" not in client.get(url).content.decode()


@pytest.mark.parametrize("persona", ["reviewer", "auditor", "owner", "other_agency", "outsider"])
def test_it_lets_only_the_manager_update_the_agenda(as_: Any, review: RapidReview, persona: str) -> None:
    meet(as_("manager"), review)
    meeting = review.meetings.get()
    before = list(meeting.items.values_list("title", flat=True))
    response = as_(persona).post(f"/reviews/{review.code}/meetings/{meeting.code}/refresh/")
    assert response.status_code == 404
    assert list(meeting.items.values_list("title", flat=True)) == before


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, as_: Any, review: RapidReview) -> None:
    meet(as_("manager"), review)
    meeting = review.meetings.get()
    response = client.post(f"/reviews/{review.code}/meetings/{meeting.code}/refresh/")
    assert response["Location"].startswith("/sign-in/")
