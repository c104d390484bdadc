from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PERSONAS, PersonFactory, signed_in


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any) -> None:
    assert client.get("/")["Location"] == "/sign-in/"
    assert client.get("/dashboard/")["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_every_member_their_own_partnership(as_: Any, world: Any, persona: str) -> None:
    response = as_(persona).get("/dashboard/")
    assert response.status_code == 200
    own = world.southvale if persona == "outsider" else world.northshire
    other = world.northshire if persona == "outsider" else world.southvale
    assert own.name.encode() in response.content
    assert other.name.encode() not in response.content


def test_it_offers_administration_only_to_the_business_manager(as_: Any, world: Any) -> None:
    assert b"/partnership/agencies/" in as_("manager").get("/dashboard/").content
    assert b"/partnership/agencies/" not in as_("owner").get("/dashboard/").content
    assert b"/audit/" in as_("auditor").get("/dashboard/").content
    assert b"/audit/" not in as_("manager").get("/dashboard/").content


def test_it_gives_a_person_with_no_role_a_404(world: Any) -> None:
    loner = PersonFactory(email="loner@example.org")
    assert signed_in(loner).get("/dashboard/").status_code == 404


def test_it_keeps_the_session_alive_on_request(as_: Any, world: Any) -> None:
    client = as_("owner")
    assert client.get("/session/keep-alive/").status_code == 405
    assert client.post("/session/keep-alive/").json() == {"ok": True}
