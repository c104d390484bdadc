from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from chronicle.audit.models import Action, AuditEvent, Outcome
from tests.factories import TwoFactorDeviceFactory

PASSWORD = "correct horse battery staple"


def post_sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/sign-in/", {"username": email, "password": password}, REMOTE_ADDR="10.1.2.3")


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_it_shows_the_sign_in_page(client: Client, db: Any) -> None:
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert b"Sign in to Chronicle" in response.content
    assert b"govuk-generic-header" in response.content


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, db: Any) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_it_signs_in_and_audits_it(client: Client, world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = False
    response = post_sign_in(client, "manager@northshire.example")
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.user == world.manager
    assert event.partnership == world.northshire
    assert event.ip_address == "10.1.2.3"


def test_it_accepts_the_email_in_any_case(client: Client, world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = False
    assert post_sign_in(client, "Manager@Northshire.Example").status_code == 302


def test_it_refuses_a_wrong_password_with_an_error_summary(client: Client, world: Any) -> None:
    response = post_sign_in(client, "manager@northshire.example", "wrong")
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter a correct email address and password" in response.content
    failed = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert failed.outcome == Outcome.FAILURE
    assert failed.object_label == "manager@northshire.example"
    assert "wrong" not in failed.detail


def test_it_locks_the_account_after_repeated_failures(client: Client, world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = False
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, "manager@northshire.example", "wrong")
    response = post_sign_in(client, "manager@northshire.example")  # right password, but locked
    assert response.status_code == 429
    assert b"Your account is locked" in response.content
    assert client.get("/dashboard/").status_code == 302


def test_it_signs_out_only_by_post_and_audits_it(as_: Any, world: Any) -> None:
    client = as_("manager")
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response.status_code == 200
    assert b"You have signed out" in response.content
    assert AuditEvent.objects.filter(action=Action.SIGN_OUT, user=world.manager).exists()
    assert client.get("/dashboard/").status_code == 302


def test_it_asks_for_two_factor_set_up_when_required(client: Client, world: Any, settings: Any) -> None:
    from chronicle.accounts.enrolment import link_for

    settings.REQUIRE_2FA = True
    client.get(link_for(world.manager).removeprefix(settings.SITE_URL.rstrip("/")))
    post_sign_in(client, "manager@northshire.example")
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/two-factor/set-up/"
    page = client.get("/sign-in/two-factor/set-up/")
    assert b"<svg" in page.content and b"Key:" in page.content
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    response = client.post("/sign-in/two-factor/set-up/", {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/dashboard/").status_code == 200


def test_it_asks_for_the_code_at_each_sign_in(client: Client, world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp otherwise makes people wait after a wrong code
    device = TwoFactorDeviceFactory(user=world.manager)
    post_sign_in(client, "manager@northshire.example")
    assert client.get("/dashboard/")["Location"] == "/sign-in/two-factor/"
    wrong = client.post(
        "/sign-in/two-factor/", {"token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert b"The security code is wrong" in wrong.content
    assert client.get("/dashboard/").status_code == 302
    assert client.post("/sign-in/two-factor/", {"token": code_for(device)}).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR, outcome=Outcome.FAILURE).count() == 1


@pytest.mark.parametrize("token", ["", "12345", "abcdef"])
def test_it_explains_a_malformed_security_code(client: Client, world: Any, settings: Any, token: str) -> None:
    settings.REQUIRE_2FA = True
    TwoFactorDeviceFactory(user=world.manager)
    post_sign_in(client, "manager@northshire.example")
    response = client.post("/sign-in/two-factor/", {"token": token})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_it_needs_no_second_step_when_two_factor_is_off(client: Client, world: Any, settings: Any) -> None:
    settings.REQUIRE_2FA = False
    post_sign_in(client, "manager@northshire.example")
    assert client.get("/dashboard/").status_code == 200
