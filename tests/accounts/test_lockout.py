"""Lockout is per account and address; many failures from one address slow it, never lock it;
the client's address comes from the proxy's header only when that proxy is trusted."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client

from chronicle.audit.models import Action, AuditEvent

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.2"


def sign_in(client: Client, email: str, password: str = PASSWORD, **meta: Any) -> Any:
    meta.setdefault("REMOTE_ADDR", PROXY)
    return client.post("/sign-in/", {"username": email, "password": password}, **meta)


def test_it_lets_another_person_sign_in_from_a_shared_address(world: Any) -> None:
    for _ in range(5):
        sign_in(Client(), world.owner.email, "wrong password")
    locked = sign_in(Client(), world.owner.email)
    assert locked.status_code == 429  # the account guessed at is locked from that address
    other = sign_in(Client(), world.manager.email)  # same address, another person, right password
    assert other.status_code == 302 and other["Location"] == "/dashboard/"


def test_it_still_locks_the_account_guessed_at_from_any_one_address(world: Any) -> None:
    for _ in range(5):
        sign_in(Client(), world.owner.email, "wrong password", REMOTE_ADDR="203.0.113.9")
    assert sign_in(Client(), world.owner.email, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_it_slows_an_address_with_many_failures_but_does_not_lock_it(world: Any, settings: Any) -> None:
    settings.SIGN_IN_THROTTLE_FAILURES = 6
    settings.SIGN_IN_THROTTLE_SECONDS = 30
    for number in range(6):
        sign_in(Client(), f"guess{number}@northshire.example", "wrong password")
    slowed = sign_in(Client(), world.manager.email)
    assert slowed.status_code == 429
    assert 0 < int(slowed["Retry-After"]) <= 30
    assert b"many failed sign-ins from your network" in slowed.content
    # Not counted as a failure, and not a lock: once the wait is over, the right password works.
    failures = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED)
    assert failures.count() == 6
    settings.SIGN_IN_THROTTLE_SECONDS = 1
    time.sleep(1.1)
    assert sign_in(Client(), world.manager.email).status_code == 302
    # Other addresses were never slowed.
    settings.SIGN_IN_THROTTLE_SECONDS = 30
    assert sign_in(Client(), world.owner.email, REMOTE_ADDR="203.0.113.50").status_code == 302


def test_it_ignores_forwarded_for_from_an_untrusted_address(world: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    for number in range(5):
        # A client cannot pick a new address for each guess by sending the header itself.
        sign_in(Client(), world.owner.email, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert sign_in(Client(), world.owner.email, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    assert set(
        AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).values_list("ip_address", flat=True)
    ) == {PROXY}


def test_it_takes_the_client_address_from_a_trusted_proxy(world: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    for _ in range(5):
        sign_in(Client(), world.owner.email, "wrong", HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.7")
    # The person at 198.51.100.1 is locked out of that account; a colleague behind the same proxy
    # at another address signs in to it.
    assert sign_in(Client(), world.owner.email, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert sign_in(Client(), world.owner.email, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    addresses = set(
        AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).values_list("ip_address", flat=True)
    )
    assert addresses == {"198.51.100.1"}
