"""Every change made in the Django admin is an audit event, not only a row in django_admin_log."""

from __future__ import annotations

from typing import Any

import pytest

from chronicle.accounts.models import Membership, Role, User
from chronicle.audit.models import Action, AuditEvent
from tests.factories import signed_in


@pytest.fixture
def administrator(world: Any) -> Any:
    return User.objects.create_superuser("root@chronicle.example", "root@chronicle.example", "x" * 20)


def test_it_audits_a_role_granted_in_the_admin(world: Any, administrator: Any) -> None:
    client = signed_in(administrator)
    response = client.post(
        "/admin/accounts/membership/add/",
        {
            "user": world.other_agency.pk,
            "partnership": world.northshire.pk,
            "agency": "",
            "role": "business_manager",
        },
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302, response.content[:2000]
    membership = Membership.objects.get(user=world.other_agency, role=Role.BUSINESS_MANAGER)
    event = AuditEvent.objects.get(object_type="membership", action=Action.CREATE)
    assert event.user == administrator
    assert event.object_id == str(membership.code)
    assert event.partnership == world.northshire
    assert event.ip_address == "198.51.100.7"
    assert event.detail.startswith("In the Django admin: Added")


def test_it_audits_a_change_and_a_deletion_in_the_admin(world: Any, administrator: Any) -> None:
    client = signed_in(administrator)
    agency = world.gp
    response = client.post(
        f"/admin/accounts/agency/{agency.pk}/change/",
        {
            "partnership": world.northshire.pk,
            "name": "Riverside Medical Practice",
            "agency_type": agency.agency_type,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    changed = AuditEvent.objects.get(object_type="agency", action=Action.UPDATE)
    assert "Changed Name" in changed.detail and changed.partnership == world.northshire

    membership = Membership.objects.get(user=world.reviewer)
    response = client.post(
        "/admin/accounts/membership/",
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    removed = AuditEvent.objects.get(object_type="membership", action=Action.DELETE)
    assert removed.object_id == str(membership.code) and removed.user == administrator
