"""Tasks for the worker (``chronicle worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from chronicle.oversight.reminders import send_reminders as send


@task()
def send_reminders(today: str | None = None) -> int:
    """Email the deadline reminders due today (queued hourly by the worker; ``chronicle remind`` for cron)."""
    return len(send(dt.date.fromisoformat(today) if today else None))
