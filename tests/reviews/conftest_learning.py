"""Fixtures for the learning-register tests: a statutory partner representative, two cases, learning
points naming different agencies, and a URL configuration that serves the register even before the
reviews URLs include it (the tests reverse names, so the prefix does not matter)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, include, path, reverse

from chronicle import urls as root_urls
from chronicle.audit.actor import Actor
from chronicle.reviews import services
from tests.conftest import make_user
from tests.incidents.conftest import make_incident


def _register_is_routed() -> bool:
    try:
        reverse("learning-register", urlconf="chronicle.urls")
    except NoReverseMatch:
        return False
    return True


urlpatterns = [
    *root_urls.urlpatterns,
    *([] if _register_is_routed() else [path("reviews/learning/", include("chronicle.learning.urls"))]),
]

# Test modules use this mark so every request resolves through the patterns above.
LEARNING_URLS = pytest.mark.urls("tests.reviews.conftest_learning")


def as_request(user: Any) -> Any:
    request = RequestFactory().post("/")
    request.user = user
    return request


def point_data(*agencies: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "reflective",
        "theme": "information_sharing",
        "text": "The police call-out was not shared with the health visitor.",
        "agencies": list(agencies),
        "evidence": "Police, 3 Feb 2024 (Niche ref 131); finding CJ-04 not met.",
        "national_significance": False,
    }
    data.update(overrides)
    return data


@dataclass
class Register:
    case: Any  # NS-2024-017, incident in 2024
    older_case: Any  # NS-2023-004, incident in 2023
    police_point: Any  # names the police (the owner's agency)
    care_point: Any  # names children's social care (other_agency's agency)
    gp_point: Any  # names the GP practice only, in the older case
    shared_point: Any  # names the police and the GP, in the older case
    overdue_action: Any  # on police_point, not started, past due
    done_action: Any  # on police_point, done, past due
    partner: Any  # statutory partner representative of children's social care


@pytest.fixture
def register(world: Any) -> Register:
    from chronicle.accounts.models import Role
    from chronicle.reviews.models import LearningAction

    case = make_incident(world)
    older_case = make_incident(world, reference="NS-2023-004", occurred_on=dt.date(2023, 6, 1))
    request = as_request(world.manager)
    police_point = services.add_learning_point(Actor.from_request(request), case, point_data(world.police))
    care_point = services.add_learning_point(
        Actor.from_request(request),
        case,
        point_data(world.social_care, kind="breach", theme="risk_assessment", text="No strategy discussion."),
    )
    gp_point = services.add_learning_point(
        Actor.from_request(request),
        older_case,
        point_data(
            world.gp, theme="safe_sleep", text="Safe sleeping advice not given.", national_significance=True
        ),
    )
    shared_point = services.add_learning_point(
        Actor.from_request(request),
        older_case,
        point_data(world.police, world.gp, text="Information about the father not shared."),
    )
    last_week = dt.date.today() - dt.timedelta(days=7)
    overdue = services.add_action(
        Actor.from_request(request),
        police_point,
        {"text": "Joint briefing on sharing call-outs", "owner": "DI Lee", "due_on": last_week},
    )
    done = services.add_action(
        Actor.from_request(request),
        police_point,
        {"text": "Update the referral checklist", "owner": "DS Khan", "due_on": last_week},
    )
    LearningAction.objects.filter(pk=done.pk).update(status="done")
    done.refresh_from_db()
    partner = make_user(
        "partner@northshire.example", world.northshire, Role.STATUTORY_PARTNER, world.social_care
    )
    return Register(
        case, older_case, police_point, care_point, gp_point, shared_point, overdue, done, partner
    )


def assign(world: Any, incident: Any) -> None:
    from chronicle.incidents.models import ReviewerAssignment

    ReviewerAssignment.objects.create(incident=incident, reviewer=world.reviewer, assigned_by=world.manager)
