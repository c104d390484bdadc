from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from chronicle.accounts.models import Invitation, Membership, Role, User


def make_invitation(world: Any, **extra: Any) -> Invitation:
    return Invitation.objects.create(
        partnership=world.northshire,
        agency=world.gp,
        email="gwen.price@riverside.example",
        first_name="Gwen",
        last_name="Price",
        role=Role.CONTRIBUTOR,
        invited_by=world.manager,
        **extra,
    )


def test_it_creates_the_account_and_role(client: Client, world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = False
    invitation = make_invitation(world)
    url = f"/invitations/{invitation.token}/"
    assert b"Create your password" in client.get(url).content
    response = client.post(url, {"password1": "river stone lantern", "password2": "river stone lantern"})
    assert response.status_code == 302
    user = User.objects.get(email="gwen.price@riverside.example")
    assert Membership.objects.get(user=user).agency == world.gp
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(url).status_code == 404  # used once only


def test_it_asks_for_two_factor_set_up_straight_away(client: Client, world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    invitation = make_invitation(world)
    client.post(
        f"/invitations/{invitation.token}/",
        {"password1": "river stone lantern", "password2": "river stone lantern"},
    )
    assert client.get("/dashboard/")["Location"] == "/sign-in/two-factor/set-up/"


def test_it_refuses_weak_or_mismatched_passwords(client: Client, world: Any) -> None:
    invitation = make_invitation(world)
    url = f"/invitations/{invitation.token}/"
    short = client.post(url, {"password1": "short", "password2": "short"})
    assert b"This password is too short" in short.content
    mismatch = client.post(url, {"password1": "river stone lantern", "password2": "river stone lanterns"})
    assert b"The passwords do not match" in mismatch.content
    assert not User.objects.filter(email="gwen.price@riverside.example").exists()


def test_it_refuses_an_expired_or_unknown_invitation(client: Client, world: Any) -> None:
    expired = make_invitation(world, expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/invitations/{expired.token}/").status_code == 404
    assert client.get("/invitations/not-a-token/").status_code == 404
