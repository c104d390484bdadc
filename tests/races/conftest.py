"""Races between two people (or four) at once, reproduced with threads against PostgreSQL.

Each thread is its own browser session with its own database connection; barriers and a
slowed-down critical section make the requests really overlap. SQLite takes one writer at a
time, so these tests say plainly that they need PostgreSQL (``make test`` runs them there).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "postgres: two sessions at once against PostgreSQL (skipped on SQLite)"
    )


@pytest.fixture(autouse=True)
def _needs_postgresql(request: Any) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("reproduces a race between database sessions: runs in make test's PostgreSQL run")
