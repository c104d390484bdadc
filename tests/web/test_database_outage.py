"""A database outage answers 503 with the "anything you had saved is safe" page, not a 500."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASK = """
import django
django.setup()
from django.test import Client
response = Client(raise_request_exception=False).get("/dashboard/", HTTP_COOKIE="sessionid=abcdefghijklmnopqrstuvwxyz012345")
print(response.status_code, response.get("Retry-After"), "Anything you had saved is safe" in response.content.decode())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unreadable_sqlite(folder: Path) -> str:
    path = folder / "chronicle.sqlite3"
    path.write_bytes(b"this is not a database")
    return f"sqlite:///{path}"


@pytest.mark.parametrize(
    "database",
    [
        lambda folder: f"postgresql://chronicle@127.0.0.1:{free_port()}/chronicle",  # nothing listens there
        unreadable_sqlite,
    ],
    ids=["postgresql-down", "sqlite-unreadable"],
)
def test_it_answers_503_when_the_database_cannot_be_reached(tmp_path: Path, database: object) -> None:
    env = {
        **os.environ,
        "CHRONICLE_DATABASE_URL": database(tmp_path),  # type: ignore[operator]
        "CHRONICLE_VAR_DIR": str(tmp_path),
        "CHRONICLE_DEMO": "true",
        "CHRONICLE_HTTPS": "false",
        "DJANGO_SETTINGS_MODULE": "chronicle.settings",
    }
    answer = subprocess.run(
        [sys.executable, "-c", ASK],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert answer[-3:] == ["503", "60", "True"]
