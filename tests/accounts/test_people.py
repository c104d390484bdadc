from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from chronicle.accounts.models import Invitation, Membership, Role
from chronicle.audit.models import Action, AuditEvent


def invitation_data(world: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Gwen",
        "last_name": "Price",
        "email": "gwen.price@riverside.example",
        "role": Role.CONTRIBUTOR,
        "agency": str(world.gp.code),
    }
    data.update(overrides)
    return data


def test_it_lists_the_partnerships_people(as_: Any, world: Any) -> None:
    response = as_("manager").get("/partnership/people/")
    assert response.status_code == 200
    assert b"police.lead@northshire.example" in response.content
    assert b"manager@southvale.example" not in response.content


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor"])
def test_it_hides_people_administration_from_everyone_else(as_: Any, world: Any, persona: str) -> None:
    client = as_(persona)
    assert client.get("/partnership/people/").status_code == 404
    assert client.post("/partnership/people/invite/", invitation_data(world)).status_code == 404
    assert client.get(f"/partnership/people/{world.owner.code}/").status_code == 404
    assert not Invitation.objects.exists()


def test_it_keeps_another_partnerships_manager_to_their_own_people(as_: Any, world: Any) -> None:
    client = as_("outsider")
    assert b"police.lead@northshire" not in client.get("/partnership/people/").content
    response = client.post("/partnership/people/invite/", invitation_data(world))  # Northshire's GP practice
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any) -> None:
    response = client.get("/partnership/people/")
    assert response.status_code == 302


def test_it_invites_someone_by_email(as_: Any, world: Any) -> None:
    response = as_("manager").post("/partnership/people/invite/", invitation_data(world))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.agency == world.gp and invitation.invited_by == world.manager
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="invitation").exists()


def test_it_needs_an_agency_for_agency_roles(as_: Any, world: Any) -> None:
    response = as_("manager").post("/partnership/people/invite/", invitation_data(world, agency=""))
    assert b"Select the agency this person acts for" in response.content
    assert not Invitation.objects.exists()


def test_it_refuses_an_agency_of_another_partnership(as_: Any, world: Any) -> None:
    data = invitation_data(world, agency=str(world.southvale_agency.code))
    response = as_("manager").post("/partnership/people/invite/", data)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_it_refuses_someone_already_in_the_partnership(as_: Any, world: Any) -> None:
    data = invitation_data(world, email="POLICE.LEAD@northshire.example")
    response = as_("manager").post("/partnership/people/invite/", data)
    assert b"already in your partnership" in response.content
    assert not Invitation.objects.exists()


def test_it_answers_the_same_whether_or_not_the_email_has_an_account_elsewhere(as_: Any, world: Any) -> None:
    """Another partnership's manager cannot learn who has an account in Northshire."""
    client = as_("outsider")

    def invite(email: str) -> bytes:
        data = {
            "first_name": "Sam",
            "last_name": "Jones",
            "email": email,
            "role": Role.BUSINESS_MANAGER,
        }
        response = client.post("/partnership/people/invite/", data, follow=True)
        assert response.status_code == 200
        # Nonces and CSRF tokens differ on every page; everything else must be the same.
        # The list of pending invitations grows by one each time, whoever they are for.
        page = re.sub(rb'(nonce|value)="[^"]*"', b"", response.content)
        page = re.sub(
            rb"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"[^>]*>[^<]*@[^<]*</td>.*?</tr>",
            b"",
            page,
        )
        return page.replace(email.encode(), b"EMAIL")

    existing = invite("police.lead@northshire.example")
    unknown = invite("nobody@northshire.example")
    assert existing == unknown
    assert b"An invitation has been sent to EMAIL" in existing
    assert Invitation.objects.filter(partnership=world.southvale).count() == 2


def test_it_adds_and_removes_a_role(as_: Any, world: Any) -> None:
    client = as_("manager")
    url = f"/partnership/people/{world.owner.code}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": Role.STATUTORY_PARTNER, "agency": str(world.police.code)})
    assert response.status_code == 302
    added = Membership.objects.get(user=world.owner, role=Role.STATUTORY_PARTNER)
    assert client.post(f"/partnership/roles/{added.code}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=added.pk).exists()
    assert AuditEvent.objects.filter(action=Action.DELETE, object_id=str(added.code)).exists()
    assert added.history.filter(history_type="-").exists()


def test_it_keeps_the_last_business_manager(as_: Any, world: Any) -> None:
    client = as_("manager")
    only = Membership.objects.get(user=world.manager)
    response = client.post(f"/partnership/roles/{only.code}/remove/", follow=True)
    assert b"must keep at least one business manager" in response.content
    assert Membership.objects.filter(pk=only.pk).exists()


def test_it_hides_people_of_another_partnership(as_: Any, world: Any) -> None:
    client = as_("outsider")
    assert client.get(f"/partnership/people/{world.owner.code}/").status_code == 404
    membership = Membership.objects.get(user=world.owner)
    assert client.post(f"/partnership/roles/{membership.code}/remove/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
