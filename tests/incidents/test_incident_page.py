from __future__ import annotations

import uuid
from typing import Any

import pytest

from chronicle.audit.models import Action, AuditEvent


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("owner", 200),
        ("auditor", 200),
        ("other_agency", 404),
        ("reviewer", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_an_incident_only_to_those_who_may_see_it(
    as_: Any, incident: Any, persona: str, status: int
) -> None:
    response = as_(persona).get(f"/incidents/{incident.code}/")
    assert response.status_code == status
    if status == 200:
        assert b"NS-2024-017" in response.content
        assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(incident.code)).exists()
    else:
        assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, object_id=str(incident.code)).exists()


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, incident: Any) -> None:
    assert client.get(f"/incidents/{incident.code}/")["Location"].startswith("/sign-in/")


def test_it_lists_only_visible_incidents(as_: Any, incident: Any) -> None:
    assert b"NS-2024-017" in as_("owner").get("/incidents/").content
    assert b"NS-2024-017" not in as_("other_agency").get("/incidents/").content
    assert b"NS-2024-017" not in as_("outsider").get("/incidents/").content


def test_it_answers_a_guessed_code_with_404(as_: Any, incident: Any) -> None:
    assert as_("manager").get(f"/incidents/{uuid.uuid4()}/").status_code == 404


def test_it_offers_screening_and_exports_only_to_the_manager(as_: Any, incident: Any) -> None:
    assert b"Screen this incident" in as_("manager").get(f"/incidents/{incident.code}/").content
    assert b"Screen this incident" not in as_("owner").get(f"/incidents/{incident.code}/").content
