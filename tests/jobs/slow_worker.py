"""The real worker, except that a file's first try stops for a long time once it has started, so a
test can kill the worker in the middle of making it. Run by tests/jobs/test_worker.py."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chronicle.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from chronicle.jobs import services  # noqa: E402

real_progress = services.progress


def stalled_progress(job: services.Job, words: str) -> None:
    real_progress(job, words)
    if job.attempts == 1:
        time.sleep(600)  # killed long before this ends


services.progress = stalled_progress  # type: ignore[assignment]
call_command("worker", "--interval", "0.2", "--no-startup-delay")
