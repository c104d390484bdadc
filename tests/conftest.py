"""Personas shared by every view test (healthchecks' alice/bob/charlie, for safeguarding).

- ``manager``: business manager of Northshire
- ``owner``: agency safeguarding lead of Northshire Police, the owning agency in agency-scoped tests
- ``other_agency``: contributor for Northshire Children's Social Care, another agency of the same partnership
- ``reviewer``: independent reviewer of Northshire
- ``auditor``: auditor of Northshire
- ``outsider``: business manager of another partnership (Southvale)
- anonymous: the plain ``client``
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

# Property tests check what is true, not how fast: on a loaded machine or with tests spread over
# every core, Hypothesis' default 200 ms deadline per example fails them at random.
hypothesis_settings.register_profile("chronicle", deadline=None)
hypothesis_settings.load_profile("chronicle")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _exports_in_a_temporary_folder(settings: Any, tmp_path_factory: Any) -> None:
    # Files made by tasks go to a folder of the test run's own, never the checkout's var/.
    settings.EXPORTS_DIR = tmp_path_factory.mktemp("exports")


@pytest.fixture(autouse=True)
def _tasks_run_when_enqueued(settings: Any) -> None:
    # Tests that need the real queue and worker say so by setting TASKS themselves.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True, scope="session")
def _audit_log_emptied_between_transactional_tests() -> Any:
    """The database refuses DELETE and TRUNCATE on the audit table; a transactional test's
    database is emptied with those, so the triggers are lifted for that moment only."""
    from django.db import connections
    from django.test import TransactionTestCase

    from chronicle.audit.migrations import _triggers

    original = TransactionTestCase._fixture_teardown

    def teardown(self: Any) -> None:
        for alias in self._databases_names(include_mirrors=False):
            with connections[alias].schema_editor() as editor:
                _triggers.remove(editor)
        try:
            original(self)
        finally:
            for alias in self._databases_names(include_mirrors=False):
                with connections[alias].schema_editor() as editor:
                    _triggers.install(editor)

    TransactionTestCase._fixture_teardown = teardown  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = original  # type: ignore[method-assign]


@dataclass
class World:
    northshire: Any
    southvale: Any
    police: Any
    social_care: Any
    gp: Any
    southvale_agency: Any
    manager: Any
    owner: Any
    other_agency: Any
    reviewer: Any
    auditor: Any
    outsider: Any


def make_user(email: str, partnership: Any, role: str, agency: Any = None, **extra: Any) -> Any:
    from chronicle.accounts.models import Membership, User

    first = email.partition("@")[0]
    user = User.objects.create_user(
        username=email,
        email=email,
        password="correct horse battery staple",
        first_name=first.title(),
        last_name="Tester",
        **extra,
    )
    Membership.objects.create(user=user, partnership=partnership, agency=agency, role=role)
    return user


@pytest.fixture
def world(db: Any) -> World:
    from chronicle.accounts.models import Agency, AgencyType, Partnership, Role

    northshire = Partnership.objects.create(name="Northshire Safeguarding Children Partnership")
    southvale = Partnership.objects.create(name="Southvale Safeguarding Children Partnership")
    police = Agency.objects.create(
        partnership=northshire,
        name="Northshire Police",
        agency_type=AgencyType.POLICE,
        is_statutory_partner=True,
    )
    social_care = Agency.objects.create(
        partnership=northshire,
        name="Northshire Children's Social Care",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
        is_statutory_partner=True,
    )
    gp = Agency.objects.create(
        partnership=northshire, name="Riverside GP Practice", agency_type=AgencyType.GP_PRACTICE
    )
    southvale_agency = Agency.objects.create(
        partnership=southvale, name="Southvale Police", agency_type=AgencyType.POLICE
    )
    return World(
        northshire=northshire,
        southvale=southvale,
        police=police,
        social_care=social_care,
        gp=gp,
        southvale_agency=southvale_agency,
        manager=make_user("manager@northshire.example", northshire, Role.BUSINESS_MANAGER),
        owner=make_user("police.lead@northshire.example", northshire, Role.AGENCY_LEAD, police),
        other_agency=make_user("social.worker@northshire.example", northshire, Role.CONTRIBUTOR, social_care),
        reviewer=make_user("reviewer@northshire.example", northshire, Role.REVIEWER),
        auditor=make_user("auditor@northshire.example", northshire, Role.AUDITOR),
        outsider=make_user("manager@southvale.example", southvale, Role.BUSINESS_MANAGER),
    )


def signed_in(user: Any) -> Client:
    """A client signed in with the two-factor step done, as after a real sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


PERSONAS = ("manager", "owner", "other_agency", "reviewer", "auditor", "outsider")


@pytest.fixture
def as_(world: World) -> Any:
    """as_("owner") gives a signed-in client for that persona."""

    def client_for(persona: str) -> Client:
        return signed_in(getattr(world, persona))

    return client_for


# Browser tests share one Chromium for the whole run, wherever they live (one Playwright per process).
from tests.browser.support import browser, page  # noqa: E402, F401
