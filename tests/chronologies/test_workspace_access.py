"""Who may open each workspace page: drafts only their agency, versions the readers of submitted chronologies."""

from __future__ import annotations

from typing import Any

import pytest

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies.models import PendingUpload
from tests.factories import add_entry, assign_reviewer, make_request, signed_in

DRAFT_PAGES = (
    "{base}",
    "{base}entries/new/",
    "{base}entries/new/?kind=practitioner",
    "{base}entries/{entry}/",
    "{base}entries/{entry}/delete/",
    "{base}import/",
    "{base}import/{upload}/map/",
    "{base}import/{upload}/errors.csv",
)
VERSION_PAGES = ("{base}versions/1/", "{base}versions/compare/?from=1&to=2")


@pytest.fixture
def pages(world: Any, police_request: Any) -> dict[str, str]:
    entry = add_entry(police_request, world.owner)
    upload = PendingUpload.objects.create(
        request=police_request,
        filename="police.csv",
        content=b"Happening,Date,Source\nVisit,01/03/2024,Case note 1\n",
        uploaded_by=world.owner,
    )
    client = signed_in(world.owner)
    client.post(f"/chronologies/{police_request.code}/submit/", {"note": ""})
    add_entry(police_request, world.owner, "2024-02")
    client.post(f"/chronologies/{police_request.code}/submit/", {"note": "Added February"})
    return {
        "base": f"/chronologies/{police_request.code}/",
        "entry": str(entry.code),
        "upload": str(upload.code),
    }


def url(template: str, pages: dict[str, str]) -> str:
    return template.format(**pages)


@pytest.mark.parametrize("page", DRAFT_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("other_agency", 404),
        ("reviewer", 404),
        ("auditor", 404),
        ("manager", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_a_draft_only_to_its_agency(
    as_: Any, pages: Any, page: str, persona: str, status: int
) -> None:
    response = as_(persona).get(url(page, pages))
    assert response.status_code == status
    if status == 404:
        assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


@pytest.mark.parametrize("page", VERSION_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("other_agency", 404),
        ("reviewer", 404),
        ("auditor", 200),
        ("manager", 200),
        ("outsider", 404),
    ],
)
def test_it_shows_versions_to_their_readers(
    as_: Any, pages: Any, page: str, persona: str, status: int
) -> None:
    response = as_(persona).get(url(page, pages))
    assert response.status_code == status
    if status == 200:
        assert b"Northshire Police" in response.content
        assert AuditEvent.objects.filter(action=Action.VIEW, object_type="chronologyversion").exists()
    else:
        assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


@pytest.mark.parametrize("page", VERSION_PAGES)
def test_it_shows_versions_to_a_reviewer_assigned_to_the_case(
    as_: Any, world: Any, police_request: Any, pages: Any, page: str
) -> None:
    assign_reviewer(world, police_request.incident)
    assert as_("reviewer").get(url(page, pages)).status_code == 200
    # An assigned reviewer still never sees the draft.
    assert as_("reviewer").get(pages["base"]).status_code == 404


@pytest.mark.parametrize("page", (*DRAFT_PAGES, *VERSION_PAGES, "{base}submit/"))
def test_it_sends_anonymous_visitors_to_sign_in(client: Any, pages: Any, page: str) -> None:
    assert client.get(url(page, pages))["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("other_agency", 404),
        ("reviewer", 404),
        ("auditor", 404),
        ("manager", 404),
        ("outsider", 404),
    ],
)
def test_it_lets_only_the_agency_lead_open_the_submit_page(
    as_: Any, police_request: Any, persona: str, status: int
) -> None:
    assert as_(persona).get(f"/chronologies/{police_request.code}/submit/").status_code == status


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "manager", "outsider"])
@pytest.mark.parametrize(("fmt", "first_bytes"), [("xlsx", b"PK"), ("csv", b"Ref,")])
def test_it_gives_the_template_to_any_member_of_a_partnership(
    as_: Any, world: Any, persona: str, fmt: str, first_bytes: bytes
) -> None:
    response = as_(persona).get(f"/chronologies/templates/chronology.{fmt}")
    assert response.status_code == 200
    assert response.content.lstrip(b"\xef\xbb\xbf").startswith(first_bytes)
    assert response["Content-Disposition"] == f'attachment; filename="chronology-template.{fmt}"'


def test_it_refuses_other_template_formats_and_anonymous_visitors(as_: Any, client: Any, world: Any) -> None:
    assert as_("owner").get("/chronologies/templates/chronology.pdf").status_code == 404
    assert client.get("/chronologies/templates/chronology.xlsx")["Location"].startswith("/sign-in/")


def test_it_hides_an_entry_of_another_request(as_: Any, world: Any, police_request: Any) -> None:
    other = make_request(world, police_request.incident, world.social_care)
    entry = add_entry(other, world.other_agency)
    response = as_("owner").get(f"/chronologies/{police_request.code}/entries/{entry.code}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, object_id=str(entry.code)).exists()


def test_it_records_who_viewed_the_draft(as_: Any, police_request: Any) -> None:
    as_("owner").get(f"/chronologies/{police_request.code}/")
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_type="chronologyrequest", object_id=str(police_request.code)
    ).exists()


def test_it_gives_the_workspace_the_address_the_emails_link_to(police_request: Any) -> None:
    from django.urls import reverse

    assert reverse("chronology", args=[police_request.code]) == f"/chronologies/{police_request.code}/"
