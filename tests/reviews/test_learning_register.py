"""The partnership's learning register: who sees which points, the filters, the CSV download and the
recurring-themes counts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chronicle.accounts.models import Role, User
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action, AuditEvent
from chronicle.learning.access import visible_points
from chronicle.learning.views import recurring_themes
from chronicle.reviews import services
from tests.factories import MembershipFactory, actor_for, assign_reviewer, point_data, request_as, signed_in
from tests.support.learning_urls import LEARNING_URLS

pytestmark = LEARNING_URLS

ALL = {"police_point", "care_point", "gp_point", "shared_point"}


def client_for(as_: Any, register: Any, persona: str) -> Client:
    return signed_in(register.partner) if persona == "partner" else as_(persona)


def shown(register: Any, text: str) -> set[str]:
    return {name for name in sorted(ALL) if getattr(register, name).text in text}


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# --- Who sees what -------------------------------------------------------------------------------

REGISTER_READERS = {
    "manager": ALL,
    "partner": ALL,
    "auditor": ALL,
    "owner": {"police_point", "shared_point"},  # the points naming Northshire Police
    "other_agency": {"care_point"},  # the point naming children's social care
    "reviewer": set(),  # assigned to no case yet
    "outsider": set(),  # their own partnership has no points; Northshire's stay hidden
}


@pytest.mark.parametrize("persona", REGISTER_READERS)
def test_it_shows_each_persona_only_the_points_they_may_read(
    as_: Any,
    register: Any,
    persona: str,
) -> None:
    client = client_for(as_, register, persona)
    register_page = client.get(reverse("learning-register"))
    assert register_page.status_code == 200
    assert shown(register, register_page.content.decode()) == REGISTER_READERS[persona]
    export = client.get(reverse("learning-export"))
    assert export.status_code == 200
    rows = csv_rows(export)
    assert len(rows) == 1 + len(REGISTER_READERS[persona])
    assert {row[4] for row in rows[1:]} == {
        getattr(register, name).text for name in REGISTER_READERS[persona]
    }
    themes = client.get(reverse("learning-themes"))
    assert themes.status_code == 200


def test_it_shows_an_assigned_reviewer_the_points_of_their_cases(
    as_: Any,
    world: Any,
    register: Any,
) -> None:
    assign_reviewer(world, register.older_case)
    text = as_("reviewer").get(reverse("learning-register")).content.decode()
    assert shown(register, text) == {"gp_point", "shared_point"}


def test_it_lists_a_point_once_when_it_names_two_of_the_readers_agencies(world: Any, register: Any) -> None:
    MembershipFactory(user=world.owner, partnership=world.northshire, agency=world.gp, role=Role.CONTRIBUTOR)
    owner = User.objects.get(pk=world.owner.pk)  # as their next request loads them, both memberships
    points = list(visible_points(owner, world.northshire))
    assert sorted(p.text for p in points) == sorted(
        [register.police_point.text, register.gp_point.text, register.shared_point.text]
    )


@pytest.mark.parametrize("name", ["learning-register", "learning-themes", "learning-export"])
def test_it_sends_anonymous_people_to_sign_in(client: Client, register: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_it_records_reading_and_exporting_the_register(as_: Any, register: Any) -> None:
    client = as_("auditor")
    client.get(reverse("learning-register"), {"theme": "safe_sleep"})
    client.get(reverse("learning-export"), {"theme": "safe_sleep"})
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_type="learning_register", detail="theme=safe_sleep"
    ).exists()
    export = AuditEvent.objects.get(action=Action.EXPORT, object_type="learning_register")
    assert export.detail == "CSV export, filters: theme=safe_sleep"
    assert export.user_label == "auditor@northshire.example"


# --- Filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"theme": "information_sharing"}, {"police_point", "shared_point"}),
        ({"kind": "breach"}, {"care_point"}),
        ({"year": "2023"}, {"gp_point", "shared_point"}),
        ({"year": "2024"}, {"police_point", "care_point"}),
        ({"national": "yes"}, {"gp_point"}),
        ({"national": "no"}, {"police_point", "care_point", "shared_point"}),
        ({"action_status": "overdue"}, {"police_point"}),
        ({"action_status": "done"}, {"police_point"}),
        ({"action_status": "in_progress"}, set()),
        ({"action_status": "none"}, {"care_point", "gp_point", "shared_point"}),
        ({"theme": "information_sharing", "year": "2023"}, {"shared_point"}),
    ],
)
def test_it_filters_the_register(
    as_: Any,
    register: Any,
    filters: dict[str, str],
    expected: set[str],
) -> None:
    client = as_("manager")
    text = client.get(reverse("learning-register"), filters).content.decode()
    assert shown(register, text) == expected
    rows = csv_rows(client.get(reverse("learning-export"), filters))
    assert {row[4] for row in rows[1:]} == {getattr(register, name).text for name in expected}


def test_it_filters_by_the_agency_named(as_: Any, world: Any, register: Any) -> None:
    client = as_("manager")
    gp = client.get(reverse("learning-register"), {"agency": str(world.gp.code)}).content.decode()
    assert shown(register, gp) == {"gp_point", "shared_point"}
    police = client.get(reverse("learning-register"), {"agency": str(world.police.code)}).content.decode()
    assert shown(register, police) == {"police_point", "shared_point"}


def test_it_keeps_an_agencys_filter_within_what_it_may_read(
    as_: Any,
    world: Any,
    register: Any,
) -> None:
    text = as_("owner").get(reverse("learning-register"), {"agency": str(world.gp.code)}).content.decode()
    assert shown(register, text) == {"shared_point"}  # the GP-only point stays hidden from the police


def test_it_names_a_filter_it_does_not_know_and_shows_everything(as_: Any, register: Any) -> None:
    text = as_("manager").get(reverse("learning-register"), {"year": "1066"}).content.decode()
    assert "There is a problem" in text and "Select a valid choice" in text
    assert shown(register, text) == ALL


def test_it_marks_overdue_actions_in_the_register(as_: Any, register: Any) -> None:
    text = as_("manager").get(reverse("learning-register")).content.decode()
    assert "1 overdue" in text
    assert "2 actions, 1 not done" in text
    assert text.count("No actions yet") == 3


def test_it_pages_a_long_register(as_: Any, world: Any, register: Any) -> None:
    request = request_as(world.manager)
    for number in range(60):
        services.add_learning_point(
            Actor.from_request(request), register.case, point_data(world.gp, text=f"Extra point {number}")
        )
    client = as_("manager")
    first = client.get(reverse("learning-register"), {"agency": str(world.gp.code)}).content.decode()
    assert "Page 1 of 2" in first
    assert f"agency={world.gp.code}&amp;page=2" in first
    second = client.get(
        reverse("learning-register"), {"agency": str(world.gp.code), "page": "2"}
    ).content.decode()
    assert "Page 2 of 2" in second


# --- The CSV download ------------------------------------------------------------------------------


def test_it_downloads_the_register_with_its_actions(as_: Any, register: Any) -> None:
    response = as_("manager").get(
        reverse("learning-export"), {"theme": "information_sharing", "year": "2024"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="learning-register-')
    header, row = csv_rows(response)
    assert header[:5] == ["Case", "Date of the incident", "Kind", "Theme", "Learning point"]
    record = dict(zip(header, row, strict=True))
    assert record["Case"] == "NS-2024-017"
    assert record["Date of the incident"] == "04/03/2024"
    assert record["Kind"] == "Reflective learning point"
    assert record["Theme"] == "Information sharing"
    assert record["Agencies named"] == "Northshire Police"
    assert record["National significance"] == "No"
    assert "Joint briefing on sharing call-outs (owner: DI Lee;" in record["Actions"]
    assert "; done)" in record["Actions"]
    assert record["Overdue actions"] == "1"


def test_it_neutralises_formulas_in_the_download(as_: Any, world: Any, register: Any) -> None:
    services.add_learning_point(
        actor_for(world.manager),
        register.case,
        point_data(
            world.police, theme="other", text='=HYPERLINK("http://evil.example","click")', evidence="+1"
        ),
    )
    rows = csv_rows(as_("manager").get(reverse("learning-export"), {"theme": "other"}))
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[1][6] == "'+1"


# --- Recurring themes ------------------------------------------------------------------------------


def test_it_counts_themes_by_year_and_by_agency(world: Any, register: Any) -> None:
    by_year, by_agency = recurring_themes(visible_points(world.manager, world.northshire))
    assert by_year.columns == ["2023", "2024"]
    counts = {row.theme: [cell["count"] for cell in row.cells] for row in by_year.rows}
    assert counts == {"information_sharing": [1, 1], "risk_assessment": [0, 1], "safe_sleep": [1, 0]}
    assert by_year.totals == [2, 2]
    assert by_year.rows[0].theme == "information_sharing"  # the most points first
    recurs = {row.theme: (row.points, row.cases, row.recurs) for row in by_year.rows}
    assert recurs["information_sharing"] == (2, 2, True)
    assert recurs["safe_sleep"] == (1, 1, False)

    assert by_agency.columns == [
        "Northshire Children's Social Care",
        "Northshire Police",
        "Riverside GP Practice",
    ]
    counts = {row.theme: [cell["count"] for cell in row.cells] for row in by_agency.rows}
    assert counts == {"information_sharing": [0, 2, 1], "risk_assessment": [1, 0, 0], "safe_sleep": [0, 0, 1]}
    assert by_agency.totals == [1, 2, 2]


def test_it_counts_only_the_points_the_reader_may_see(world: Any, register: Any) -> None:
    by_year, by_agency = recurring_themes(visible_points(world.owner, world.northshire))
    assert [(row.theme, row.points, row.cases) for row in by_year.rows] == [("information_sharing", 2, 2)]
    assert by_agency.columns == ["Northshire Police", "Riverside GP Practice"]


def test_it_links_each_count_to_the_points_behind_it(as_: Any, world: Any, register: Any) -> None:
    client = as_("manager")
    page = client.get(reverse("learning-themes")).content.decode()
    assert "Recurring</strong>" in page
    year_link = f"{reverse('learning-register')}?theme=information_sharing&amp;year=2023"
    agency_link = f"{reverse('learning-register')}?theme=information_sharing&amp;agency={world.gp.code}"
    assert year_link in page and agency_link in page
    followed = client.get(
        reverse("learning-register"), {"theme": "information_sharing", "agency": str(world.gp.code)}
    )
    assert shown(register, followed.content.decode()) == {"shared_point"}
    assert AuditEvent.objects.filter(action=Action.VIEW, object_type="learning_themes").exists()


def test_it_says_when_there_is_nothing_to_count(as_: Any, world: Any) -> None:
    page = as_("manager").get(reverse("learning-themes")).content.decode()
    assert "No learning points have been recorded yet." in page
