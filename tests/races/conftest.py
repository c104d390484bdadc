"""Races between two people (or four) at once, reproduced with threads against PostgreSQL.

Each thread is its own browser session with its own database connection; barriers and a
slowed-down critical section make the requests really overlap. SQLite takes one writer at a
time, so these tests say plainly that they need PostgreSQL (``make test`` runs them there).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from tests.chronologies.conftest import police_request  # noqa: F401  (a request to Northshire Police)
from tests.composite.conftest import case  # noqa: F401  (a case with two submitted chronologies)


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "postgres: two sessions at once against PostgreSQL (skipped on SQLite)"
    )


@pytest.fixture(autouse=True)
def _needs_postgresql(request: Any) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("reproduces a race between database sessions: runs in make test's PostgreSQL run")


def at_once(*calls: Callable[[], Any], timeout: float = 120) -> list[Any]:
    """Run each call in its own thread, all released together; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[index] = call()
        except BaseException as failure:  # a 500 is raised by the test client: it fails the test
            failures.append(failure)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    if failures:
        raise failures[0]
    return results


def slowed(function: Callable[..., Any], seconds: float = 0.4) -> Callable[..., Any]:
    """The same function, holding on for a moment first: whoever is inside keeps its locks a while."""

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return function(*args, **kwargs)

    return slow


def hidden(page: str, name: str) -> str:
    """The value of a form's hidden field, as the browser would send it back."""
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name} in the form"
    return found.group(1)
