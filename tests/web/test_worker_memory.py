"""`chronicle serve` caps each gunicorn worker's memory: a request past the cap fails on its own."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any


def test_it_caps_a_workers_memory_after_fork() -> None:
    # In a child process: the cap must not land on the test run itself.
    code = (
        "import chronicle.gunicorn_conf as conf\n"
        "conf.post_fork(None, None)\n"
        "try:\n"
        "    block = bytearray(400 * 1024 * 1024)\n"
        "except MemoryError:\n"
        "    print('refused')\n"
        "else:\n"
        "    print('allowed')\n"
    )
    env = {**os.environ, "CHRONICLE_WORKER_MEMORY_MB": "300"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "refused"


def test_it_serves_with_the_capped_configuration(monkeypatch: Any) -> None:
    from django.core.management import call_command

    started: list[list[str]] = []

    class Finished:
        """A child process that has already ended cleanly, so serve stops at once."""

        returncode = 0

        def __init__(self, args: list[str]) -> None:
            started.append(list(args))

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float | None = None) -> int:
            return 0

    monkeypatch.setattr(subprocess, "Popen", Finished)
    call_command("serve", "--no-worker")
    [server] = started
    assert server[server.index("--config") + 1] == "python:chronicle.gunicorn_conf"
