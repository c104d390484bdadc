"""Two-factor set-up needs a single-use link (the invitation, or one an administrator issues) as
well as the password: the password alone never shows the enrolment secret."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from chronicle.accounts.models import Invitation, Membership, Role, User
from chronicle.audit.models import Action, AuditEvent, Outcome

PASSWORD = "correct horse battery staple"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/sign-in/", {"username": email, "password": password})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def issued_link(email: str, settings: Any) -> str:
    out = io.StringIO()
    call_command("two-factor-link", email, stdout=out)
    return out.getvalue().strip().removeprefix(settings.SITE_URL.rstrip("/"))


def test_it_hides_the_secret_from_someone_with_only_the_password(world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    client = Client()
    sign_in(client, world.manager.email)
    page = client.get("/sign-in/two-factor/set-up/")
    assert page.status_code == 403
    assert b"You need a link to set up two-factor sign-in" in page.content
    assert b"Key:" not in page.content and b"<svg" not in page.content
    assert not TOTPDevice.objects.filter(user=world.manager).exists()
    assert client.post("/sign-in/two-factor/set-up/", {"token": "123456"}).status_code == 403
    assert client.get("/dashboard/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR, outcome=Outcome.DENIED).exists()


def test_it_sets_up_through_an_administrators_link_once(world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    link = issued_link(world.manager.email, settings)
    client = Client()
    assert client.get(link)["Location"] == "/sign-in/"
    sign_in(client, world.manager.email)
    page = client.get("/sign-in/two-factor/set-up/")
    assert page.status_code == 200 and b"Key:" in page.content
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    assert client.post("/sign-in/two-factor/set-up/", {"token": code_for(device)}).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    # Used: the same link no longer works, for anyone.
    assert Client().get(link).status_code == 404


def test_it_needs_the_password_as_well_as_the_link(world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    client = Client()
    client.get(issued_link(world.manager.email, settings))
    assert client.get("/sign-in/two-factor/set-up/")["Location"].startswith("/sign-in/")
    sign_in(client, world.manager.email, "wrong password")
    assert client.get("/sign-in/two-factor/set-up/")["Location"].startswith("/sign-in/")


def test_it_does_not_let_one_persons_link_enrol_another(world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    client = Client()
    client.get(issued_link(world.owner.email, settings))
    sign_in(client, world.manager.email)  # a different account's password
    assert client.get("/sign-in/two-factor/set-up/").status_code == 403


def test_it_refuses_a_tampered_link(world: Any, settings: Any) -> None:
    link = issued_link(world.manager.email, settings)
    assert Client().get(link[:-3] + "abc/").status_code == 404


def test_it_sets_up_straight_after_accepting_an_invitation(world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    invitation = Invitation.objects.create(
        partnership=world.northshire,
        email="new.person@northshire.example",
        first_name="New",
        last_name="Person",
        role=Role.REVIEWER,
        invited_by=world.manager,
    )
    client = Client()
    client.post(
        f"/invitations/{invitation.token}/",
        {"password1": "river stone lantern", "password2": "river stone lantern"},
    )
    page = client.get("/sign-in/two-factor/set-up/")
    assert page.status_code == 200 and b"Key:" in page.content
    # A later sign-in with the password alone, without a device confirmed, shows nothing.
    other = Client()
    sign_in(other, "new.person@northshire.example", "river stone lantern")
    assert other.get("/sign-in/two-factor/set-up/").status_code == 403


def test_it_lets_someone_with_an_account_elsewhere_accept_with_their_password(world: Any) -> None:
    invitation = Invitation.objects.create(
        partnership=world.southvale,
        email=world.owner.email,
        first_name="Police",
        last_name="Lead",
        role=Role.REVIEWER,
        invited_by=world.outsider,
    )
    client = Client()
    url = f"/invitations/{invitation.token}/"
    page = client.get(url)
    assert b"Your Chronicle password" in page.content
    wrong = client.post(url, {"password1": "not my password at all"})
    assert b"The password is wrong" in wrong.content
    assert client.post(url, {"password1": PASSWORD}).status_code == 302
    assert Membership.objects.filter(
        user=world.owner, partnership=world.southvale, role=Role.REVIEWER
    ).exists()
    assert User.objects.filter(email=world.owner.email).count() == 1
