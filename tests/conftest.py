"""Personas shared by every view test (healthchecks' alice/bob/charlie, for safeguarding).

- ``manager``: business manager of Northshire
- ``owner``: agency safeguarding lead of Northshire Police, the owning agency in agency-scoped tests
- ``other_agency``: contributor for Northshire Children's Social Care, another agency of the same partnership
- ``reviewer``: independent reviewer of Northshire
- ``auditor``: auditor of Northshire
- ``outsider``: business manager of another partnership (Southvale)
- anonymous: the plain ``client``

The people and the cases are made by ``tests.factories``; the fixtures here only hand them out.
Tests use these as fixtures and never import this module (tests/test_floors.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from chronicle.accounts.models import User
from chronicle.chronologies.models import ChronologyRequest
from chronicle.incidents.models import Incident

# Browser tests share one Chromium for the whole run, wherever they live (one Playwright per process).
from tests.browser.support import browser, page  # noqa: F401
from tests.factories import (
    Register,
    World,
    build_register,
    make_incident,
    make_partners,
    make_request,
    make_world,
    signed_in,
    submitted_case,
)

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

    from chronicle.audit import triggers

    original = TransactionTestCase._fixture_teardown

    def teardown(self: Any) -> None:
        for alias in self._databases_names(include_mirrors=False):
            with connections[alias].schema_editor() as editor:
                triggers.remove(editor)
        try:
            original(self)
        finally:
            for alias in self._databases_names(include_mirrors=False):
                with connections[alias].schema_editor() as editor:
                    triggers.install(editor)

    TransactionTestCase._fixture_teardown = teardown  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = original  # type: ignore[method-assign]


@pytest.fixture
def world(db: Any) -> World:
    """Northshire and Southvale, their agencies, and one person for each persona."""
    return make_world()


@pytest.fixture
def as_(world: World) -> Callable[[str], Client]:
    """as_("owner") gives a signed-in client for that persona."""

    def client_for(persona: str) -> Client:
        return signed_in(getattr(world, persona))

    return client_for


@pytest.fixture
def incident(world: World) -> Incident:
    """Case NS-2024-017 of Northshire, reported by the police lead."""
    return make_incident(world)


@pytest.fixture
def police_request(world: World) -> ChronologyRequest:
    """A request to Northshire Police (the owner's agency) for its chronology of case NS-2024-017."""
    return make_request(world, make_incident(world))


@pytest.fixture
def case(world: World) -> Incident:
    """Case NS-2024-060: two agencies' submitted chronologies, the reviewer assigned."""
    return submitted_case(world)


@pytest.fixture
def partners(world: World) -> dict[str, User]:
    """One representative for each statutory partner: the local authority, the ICB and the police."""
    return make_partners(world).people


@pytest.fixture
def register(world: World) -> Register:
    """Two cases with learning points naming different agencies, and a statutory partner."""
    return build_register(world)
