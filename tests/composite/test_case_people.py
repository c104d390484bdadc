"""The case's list of people and pseudonyms, which the business manager edits on its own page."""

from __future__ import annotations

from typing import Any

import pytest

from chronicle.composite.models import CasePeople


def url(case: Any) -> str:
    return f"/composite/{case.code}/people/"


def test_it_saves_the_list_with_every_pseudonym_written_out(as_: Any, case: Any) -> None:
    client = as_("manager")
    response = client.post(url(case), {"names": "Jane Smith | Mum\nParent M\nBaby = Child A", "read": ""})
    assert response.status_code == 302
    assert (
        CasePeople.objects.get(incident=case).names
        == "Jane Smith | Mum = Adult 1\nParent M = Parent M\nBaby = Child A"
    )
    page = client.get(url(case)).content.decode()
    assert "<strong>Child A</strong>" in page and "Jane Smith, Mum" in page
    export = client.get(f"/composite/{case.code}/export/").content.decode()
    assert "3 people are on the case's list: Adult 1, Parent M, Child A." in export
    assert 'name="names"' not in export  # the download no longer carries a box of names


def test_it_shows_the_error_on_the_line_and_keeps_what_was_typed(as_: Any, case: Any) -> None:
    response = as_("manager").post(
        url(case), {"names": "Jane Smith = Child A\nKevin Smith = Child A", "read": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Line 2: the pseudonym “Child A” is already Jane Smith&#x27;s, on line 1" in page
    assert "Kevin Smith = Child A" in page
    assert not CasePeople.objects.filter(incident=case).exists()


def test_it_refuses_to_overwrite_a_colleagues_change(as_: Any, case: Any) -> None:
    CasePeople.objects.create(incident=case, names="Jane Smith = Adult 1")
    response = as_("manager").post(url(case), {"names": "Kevin Smith", "read": ""})
    assert "Someone else changed the list" in response.content.decode()
    assert CasePeople.objects.get(incident=case).names == "Jane Smith = Adult 1"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("reviewer", 404),
        ("auditor", 404),
        ("owner", 404),
        ("other_agency", 404),
        ("outsider", 404),
    ],
)
def test_it_lets_only_the_manager_keep_the_list(as_: Any, case: Any, persona: str, status: int) -> None:
    client = as_(persona)
    assert client.get(url(case)).status_code == status
    client.post(url(case), {"names": "Jane Smith", "read": ""})
    assert CasePeople.objects.filter(incident=case).exists() == (persona == "manager")


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, case: Any) -> None:
    assert client.get(url(case))["Location"].startswith("/sign-in/")
