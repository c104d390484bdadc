"""Run by the worker every minute and by ``chronicle housekeeping`` (for cron)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chronicle.jobs.recovery import recover_abandoned
from chronicle.jobs.services import delete_expired
from chronicle.oversight.tasks import send_reminders

logger = logging.getLogger(__name__)

REMINDERS_EVERY = dt.timedelta(hours=1)  # reminders are recorded once sent: running often sends nothing twice


def queue_reminders(now: dt.datetime | None = None) -> bool:
    """Queue the deadline reminders unless they were queued within the hour."""
    now = now or timezone.now()
    recent = DBTaskResult.objects.filter(
        task_path=send_reminders.module_path, enqueued_at__gte=now - REMINDERS_EVERY
    )
    if recent.exists():
        return False
    send_reminders.enqueue()
    return True


def housekeeping() -> list[str]:
    done = recover_abandoned()
    if expired := delete_expired():
        done.append(f"deleted {expired} expired file{'s' if expired != 1 else ''}")
    if queue_reminders():
        done.append("queued the deadline reminders")
    for line in done:
        logger.info(line)
    return done
