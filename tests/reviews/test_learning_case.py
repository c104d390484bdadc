"""A case's learning points and their actions: reading, adding, actions and status, for every persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chronicle.audit.models import Action, AuditEvent
from chronicle.reviews.models import LearningAction, LearningPoint
from tests.factories import assign_reviewer, signed_in
from tests.support.learning_urls import LEARNING_URLS

pytestmark = LEARNING_URLS


def client_for(as_: Any, register: Any, persona: str) -> Client:
    return signed_in(register.partner) if persona == "partner" else as_(persona)


def denied(code: Any) -> bool:
    return AuditEvent.objects.filter(action=Action.ACCESS_DENIED, object_id=str(code)).exists()


# --- The case page ------------------------------------------------------------------------------

CASE_READERS = {
    # persona: (sees the police point, sees the social care point, may add)
    "manager": (True, True, True),
    "partner": (True, True, False),
    "auditor": (True, True, False),
    "owner": (True, False, False),
    "other_agency": (False, True, False),
}


@pytest.mark.parametrize("persona", CASE_READERS)
def test_it_shows_each_reader_the_points_of_the_case_they_may_read(
    as_: Any,
    register: Any,
    persona: str,
) -> None:
    sees_police, sees_care, may_add = CASE_READERS[persona]
    response = client_for(as_, register, persona).get(reverse("learning-case", args=[register.case.code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert (register.police_point.text in text) is sees_police
    assert (register.care_point.text in text) is sees_care
    assert ("Add a learning point" in text) is may_add
    assert register.gp_point.text not in text  # another case
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_type="learning", object_id=str(register.case.code)
    ).exists()


@pytest.mark.parametrize("persona", ["reviewer", "outsider"])
def test_it_hides_the_case_from_unassigned_reviewers_and_other_partnerships(
    as_: Any,
    register: Any,
    persona: str,
) -> None:
    response = as_(persona).get(reverse("learning-case", args=[register.case.code]))
    assert response.status_code == 404
    assert denied(register.case.code)


def test_it_hides_a_case_from_an_agency_it_does_not_concern(as_: Any, register: Any) -> None:
    # Social care neither reported the older case nor is named in its points.
    response = as_("other_agency").get(reverse("learning-case", args=[register.older_case.code]))
    assert response.status_code == 404
    assert denied(register.older_case.code)


def test_it_lets_an_assigned_reviewer_read_and_add_to_their_case_only(
    as_: Any,
    world: Any,
    register: Any,
) -> None:
    assign_reviewer(world, register.case)
    client = as_("reviewer")
    text = client.get(reverse("learning-case", args=[register.case.code])).content.decode()
    assert register.police_point.text in text and register.care_point.text in text
    assert "Add a learning point" in text
    assert client.get(reverse("learning-point-new", args=[register.case.code])).status_code == 200
    assert client.get(reverse("learning-case", args=[register.older_case.code])).status_code == 404
    assert client.get(reverse("learning-point-new", args=[register.older_case.code])).status_code == 404


def test_it_sends_anonymous_people_to_sign_in(client: Client, register: Any) -> None:
    for url in (
        reverse("learning-case", args=[register.case.code]),
        reverse("learning-point-new", args=[register.case.code]),
        reverse("learning-point", args=[register.police_point.code]),
        reverse("learning-action-new", args=[register.police_point.code]),
        reverse("learning-action-status", args=[register.overdue_action.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in"))


def test_it_marks_overdue_open_actions_only(as_: Any, register: Any) -> None:
    text = as_("manager").get(reverse("learning-case", args=[register.case.code])).content.decode()
    assert text.count(">Overdue</strong>") == 1
    overdue_at = text.index(register.overdue_action.text)
    assert text.index(">Overdue</strong>", overdue_at) < text.index(register.done_action.text)


# --- Adding a learning point ----------------------------------------------------------------------


def point_post(world: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "breach",
        "theme": "non_mobile_bruising",
        "text": "Bruising on a non-mobile baby was not referred.",
        "agencies": [str(world.gp.code), str(world.police.code)],
        "evidence": "GP, 12 Jan 2024 (consultation note); finding CJ-09 not met.",
        "national_significance": "on",
    }
    data.update(overrides)
    return data


def test_it_adds_a_learning_point_for_the_business_manager(
    as_: Any,
    world: Any,
    register: Any,
) -> None:
    response = as_("manager").post(
        reverse("learning-point-new", args=[register.case.code]), point_post(world)
    )
    point = LearningPoint.objects.get(theme="non_mobile_bruising")
    assert response.status_code == 302
    assert response["Location"] == reverse("learning-point", args=[point.code])
    assert point.incident == register.case and point.partnership == world.northshire
    assert point.kind == "breach" and point.national_significance is True
    assert set(point.agencies.all()) == {world.gp, world.police}
    assert point.created_by == world.manager
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="learningpoint", object_id=str(point.code)
    ).exists()


def test_it_adds_a_learning_point_for_an_assigned_reviewer(
    as_: Any,
    world: Any,
    register: Any,
) -> None:
    assign_reviewer(world, register.case)
    response = as_("reviewer").post(
        reverse("learning-point-new", args=[register.case.code]),
        point_post(world, national_significance=""),
    )
    assert response.status_code == 302
    point = LearningPoint.objects.get(theme="non_mobile_bruising")
    assert point.created_by == world.reviewer and point.national_significance is False


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "partner", "outsider"])
def test_it_refuses_new_learning_points_from_everyone_else(
    as_: Any,
    world: Any,
    register: Any,
    persona: str,
) -> None:
    client = client_for(as_, register, persona)
    url = reverse("learning-point-new", args=[register.case.code])
    assert client.get(url).status_code == 404
    assert client.post(url, point_post(world)).status_code == 404
    assert not LearningPoint.objects.filter(theme="non_mobile_bruising").exists()
    assert denied(register.case.code)


def test_it_names_every_missing_answer(as_: Any, register: Any) -> None:
    response = as_("manager").post(reverse("learning-point-new", args=[register.case.code]), {})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert 'id="main-form"' in text
    assert text.index("govuk-error-summary") < text.index('id="main-form"')
    for message in (
        "Select reflective learning point or serious breach of safe practice",
        "Select a theme",
        "Write the learning point",
        "Select the agencies the learning point names",
        "Name the chronology entries and findings the learning rests on",
    ):
        assert message in text
    assert LearningPoint.objects.count() == 4


def test_it_offers_only_the_partnerships_agencies(as_: Any, world: Any, register: Any) -> None:
    client = as_("manager")
    url = reverse("learning-point-new", args=[register.case.code])
    page = client.get(url).content.decode()
    assert "Riverside GP Practice" in page and "Southvale Police" not in page
    response = client.post(url, point_post(world, agencies=[str(world.southvale_agency.code)]))
    assert "Select a valid choice" in response.content.decode()
    assert not LearningPoint.objects.filter(theme="non_mobile_bruising").exists()


def test_it_refuses_an_unknown_theme_and_kind(as_: Any, world: Any, register: Any) -> None:
    response = as_("manager").post(
        reverse("learning-point-new", args=[register.case.code]),
        point_post(world, theme="gossip", kind="opinion"),
    )
    text = response.content.decode()
    assert text.count("Select a valid choice") == 4  # two in the summary, two beside the questions
    assert LearningPoint.objects.count() == 4


# --- A learning point and its actions -------------------------------------------------------------

POINT_READERS = {"manager": True, "partner": False, "auditor": False, "owner": False}


@pytest.mark.parametrize("persona", POINT_READERS)
def test_it_shows_the_point_and_its_actions_to_its_readers(
    as_: Any,
    register: Any,
    persona: str,
) -> None:
    response = client_for(as_, register, persona).get(
        reverse("learning-point", args=[register.police_point.code])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert register.police_point.text in text
    assert register.overdue_action.text in text and register.done_action.text in text
    assert text.count(">Overdue</strong>") == 1
    assert ("Add an action" in text) is POINT_READERS[persona]
    assert ("Change status" in text) is POINT_READERS[persona]
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(register.police_point.code)).exists()


@pytest.mark.parametrize("persona", ["other_agency", "reviewer", "outsider"])
def test_it_hides_a_point_that_does_not_concern_them(
    as_: Any,
    register: Any,
    persona: str,
) -> None:
    response = as_(persona).get(reverse("learning-point", args=[register.police_point.code]))
    assert response.status_code == 404
    assert denied(register.police_point.code)


def test_it_shows_an_assigned_reviewer_the_points_of_their_case(
    as_: Any,
    world: Any,
    register: Any,
) -> None:
    assign_reviewer(world, register.case)
    client = as_("reviewer")
    page = client.get(reverse("learning-point", args=[register.police_point.code])).content.decode()
    assert register.police_point.text in page and "Add an action" not in page
    assert client.get(reverse("learning-point", args=[register.gp_point.code])).status_code == 404


def test_it_lets_the_business_manager_add_an_action(as_: Any, register: Any) -> None:
    response = as_("manager").post(
        reverse("learning-action-new", args=[register.care_point.code]),
        {
            "text": "Audit strategy discussions held in 2024",
            "owner": "Head of Service, Children's Social Care",
            "due_on_day": "30",
            "due_on_month": "9",
            "due_on_year": "2031",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning-point", args=[register.care_point.code])
    action = LearningAction.objects.get(learning_point=register.care_point)
    assert action.owner == "Head of Service, Children's Social Care"
    assert str(action.due_on) == "2031-09-30" and action.status == "open"
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="learningaction", object_id=str(action.code)
    ).exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the due date"),
        ("31", "2", "2031", "Due date must be a real date"),
        ("1", "March", "2031", "Due date must be a real date, for example 27 3 2024"),
        ("1", "3", "31", "Due date must be a real date, for example 27 3 2024"),
        ("1", "3", "", "Due date must include a year"),
    ],
)
def test_it_names_a_due_date_in_the_wrong_format(
    as_: Any,
    register: Any,
    day: str,
    month: str,
    year: str,
    message: str,
) -> None:
    response = as_("manager").post(
        reverse("learning-action-new", args=[register.care_point.code]),
        {
            "text": "Audit",
            "owner": "Head of Service",
            "due_on_day": day,
            "due_on_month": month,
            "due_on_year": year,
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert not LearningAction.objects.filter(learning_point=register.care_point).exists()


def test_it_names_the_missing_action_and_owner(as_: Any, register: Any) -> None:
    text = (
        as_("manager")
        .post(reverse("learning-action-new", args=[register.care_point.code]), {})
        .content.decode()
    )
    assert "Write the action" in text and "Enter who owns the action" in text and "Enter the due date" in text


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "partner", "outsider"])
def test_it_keeps_actions_to_the_business_manager(
    as_: Any,
    world: Any,
    register: Any,
    persona: str,
) -> None:
    if persona == "reviewer":
        assign_reviewer(world, register.case)  # even the assigned reviewer only adds learning points
    client = client_for(as_, register, persona)
    new_action = reverse("learning-action-new", args=[register.police_point.code])
    status = reverse("learning-action-status", args=[register.overdue_action.code])
    assert client.get(new_action).status_code == 404
    assert client.post(new_action, {"text": "x", "owner": "y"}).status_code == 404
    assert client.get(status).status_code == 404
    assert client.post(status, {"status": "done"}).status_code == 404
    register.overdue_action.refresh_from_db()
    assert register.overdue_action.status == "open"
    assert LearningAction.objects.count() == 2
    assert denied(register.police_point.code) and denied(register.overdue_action.code)


def test_it_changes_the_status_of_an_action(as_: Any, register: Any) -> None:
    client = as_("manager")
    url = reverse("learning-action-status", args=[register.overdue_action.code])
    page = client.get(url).content.decode()
    assert 'value="open" id="id_status_0" checked' in page
    response = client.post(url, {"status": "in_progress"})
    assert response.status_code == 302
    assert response["Location"] == reverse("learning-point", args=[register.police_point.code])
    register.overdue_action.refresh_from_db()
    assert register.overdue_action.status == "in_progress"
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(register.overdue_action.code), detail="status in_progress"
    ).exists()
    # Still open and past due, so still overdue; once done it is not.
    point_page = client.get(reverse("learning-point", args=[register.police_point.code])).content.decode()
    assert point_page.count(">Overdue</strong>") == 1
    client.post(url, {"status": "done"})
    point_page = client.get(reverse("learning-point", args=[register.police_point.code])).content.decode()
    assert ">Overdue</strong>" not in point_page


@pytest.mark.parametrize(
    ("status", "message"), [("", "Select the status of the action"), ("lost", "Select a valid choice")]
)
def test_it_refuses_a_missing_or_unknown_status(
    as_: Any,
    register: Any,
    status: str,
    message: str,
) -> None:
    response = as_("manager").post(
        reverse("learning-action-status", args=[register.overdue_action.code]), {"status": status}
    )
    assert message in response.content.decode()
    register.overdue_action.refresh_from_db()
    assert register.overdue_action.status == "open"
