"""Tasks whose worker died: retried once, then marked failed with a clear message.

django-tasks-db marks a task "running" when a worker claims it and never looks at it again: if the
worker is killed (out of memory, a deploy, a power cut) the task stays "running" for ever. Each
Chronicle worker names itself ``host:pid:random``, so a worker on the same machine can tell at once
that the process is gone; on another machine a task counts as abandoned when it has shown no sign
of life (its job's progress, or its start) for ``settings.TASK_STALE_MINUTES``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chronicle.jobs.models import ACTIVE, Job, JobStatus
from chronicle.jobs.services import STOPPED_TWICE

logger = logging.getLogger(__name__)

MAX_TRIES = 2  # the first try and one retry


class WorkerStopped(Exception):
    """The worker running the task ended before the task did."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def _process_gone(worker_id: str) -> bool:
    host, _, rest = worker_id.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False  # another machine's worker, or not one of ours: only time tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def is_abandoned(result: DBTaskResult, now: dt.datetime, heartbeat: dt.datetime | None) -> bool:
    worker = result.worker_ids[-1] if result.worker_ids else ""
    if worker and _process_gone(worker):
        return True
    last_sign = max(filter(None, [result.started_at, heartbeat]), default=None)
    return last_sign is not None and now - last_sign > dt.timedelta(minutes=settings.TASK_STALE_MINUTES)


def recover_abandoned(now: dt.datetime | None = None) -> list[str]:
    """Put abandoned tasks back in the queue once, then fail them. Returns what was done, for the log."""
    now = now or timezone.now()
    done = []
    for result in DBTaskResult.objects.running():
        heartbeat = Job.objects.filter(task_id=str(result.id)).values_list("heartbeat_at", flat=True).first()
        if not is_abandoned(result, now, heartbeat):
            continue
        with transaction.atomic():
            claimed = DBTaskResult.objects.select_for_update().filter(pk=result.pk, status="RUNNING")
            current = claimed.first()
            if current is None or current.worker_ids != result.worker_ids:
                continue  # finished, or recovered by another worker, meanwhile
            jobs = Job.objects.filter(task_id=str(result.id), status__in=ACTIVE)
            if len(result.worker_ids) < MAX_TRIES:
                claimed.update(status="READY", started_at=None)
                jobs.update(
                    status=JobStatus.QUEUED,
                    progress="The worker stopped while making this file; it will be tried once more",
                )
                done.append(f"retrying task {result.id} ({result.task_path}) after its worker stopped")
            else:
                result.set_failed(WorkerStopped(f"the worker stopped {len(result.worker_ids)} times"))
                jobs.update(status=JobStatus.FAILED, error=STOPPED_TWICE, finished_at=now, progress="")
                done.append(f"gave up on task {result.id} ({result.task_path}): its worker stopped twice")
    for line in done:
        logger.warning(line)
    return done
