"""Every test in this folder drives Chromium: mark it so `make pytest-postgres` can leave it out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import ServerProcessorTime

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def server_time() -> Iterator[ServerProcessorTime]:
    """The live server's processor time per request, measured while the test runs."""
    with ServerProcessorTime() as times:
        yield times
