"""Asking for a file, making it in the worker, handing it over and deleting it when its time is up.

Views call ``ask``, ``retry`` and ``download`` with the ``Actor`` of the request; the worker calls
``make`` with the job's code, and the audit log records the person who asked, not the worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from chronicle.audit.actor import Actor
from chronicle.audit.models import Action, Outcome
from chronicle.audit.services import record_as
from chronicle.composite.exports import composite_file
from chronicle.incidents.models import Incident
from chronicle.jobs.models import ACTIVE, Job, JobKind, JobStatus
from chronicle.reviews import pack
from chronicle.reviews.models import RapidReview

logger = logging.getLogger(__name__)

FORMAT_NAMES = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel", "csv": "CSV"}
STOPPED_TWICE = (
    "The file could not be made: the worker making it stopped unexpectedly twice, so Chronicle gave up. "
    "Nothing in the case has changed. Try again; if it stops again, tell your system administrator."
)


def _key(actor: Actor, kind: str, incident: Incident, fmt: str, pseudonymise: bool, filters: Any) -> str:
    asked = [getattr(actor.user, "pk", None), kind, incident.pk, fmt, pseudonymise, filters]
    return hashlib.sha256(json.dumps(asked, sort_keys=True, default=str).encode()).hexdigest()


def ask(
    actor: Actor,
    kind: str,
    incident: Incident,
    fmt: str,
    *,
    pseudonymise: bool = True,
    filters: dict[str, list[str]] | None = None,
) -> Job:
    """A job for this file: the one already being made for the same person and request, or a new one."""
    filters = {name: values for name, values in (filters or {}).items() if any(values)}
    key = _key(actor, kind, incident, fmt, pseudonymise, filters)
    running = Job.objects.filter(request_key=key, status__in=ACTIVE).first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                incident=incident,
                requested_by=actor.user,
                fmt=fmt,
                pseudonymise=pseudonymise,
                filters=filters,
                actor=actor.to_json(),
                request_key=key,
            )
    except IntegrityError:  # the same request posted twice at once: the other post made it
        return Job.objects.get(request_key=key, status__in=ACTIVE)
    record_as(
        actor,
        Action.CREATE,
        obj=job,
        object_type="job",
        partnership=incident.partnership,
        detail=f"asked for {describe(job)}",
    )
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from chronicle.jobs.tasks import make_file

    # Saved first: a task run at once (tests, or a fast worker) finds the job ready for it.
    job.task_id = ""
    job.save(update_fields=["task_id"])
    result = make_file.enqueue(str(job.code))
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))
    job.refresh_from_db()


def retry(actor: Actor, job: Job) -> Job:
    """Ask again for a file that could not be made (or was deleted): the same page follows the new try."""
    if job.is_active:
        return job
    with transaction.atomic():
        if Job.objects.filter(request_key=job.request_key, status__in=ACTIVE).exists():
            return Job.objects.get(request_key=job.request_key, status__in=ACTIVE)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED,
            attempts=0,
            error="",
            progress="",
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
            expires_at=None,
            actor=actor.to_json(),
        )
    record_as(
        actor,
        Action.UPDATE,
        obj=job,
        object_type="job",
        partnership=job.incident.partnership,
        detail=f"asked again for {describe(job)}",
    )
    job.refresh_from_db()
    _enqueue(job)
    return job


def describe(job: Job) -> str:
    what = "the Panel pack" if job.kind == JobKind.PANEL_PACK else "the composite chronology"
    names = "pseudonymised" if job.pseudonymise else "names shown"
    filtered = ", filtered" if job.filters else ""
    return f"{what} ({FORMAT_NAMES.get(job.fmt, job.fmt)}, {names}{filtered})"


# --- In the worker -------------------------------------------------------------------------------


def progress(job: Job, words: str) -> None:
    """Say how far the work has got; also the task's sign of life for ``recovery``."""
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(progress=words, heartbeat_at=now)
    job.progress, job.heartbeat_at = words, now


def make(code: str) -> str:
    """Make the job's file (called by the task). Returns the job's status when done."""
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("incident__partnership").get(code=code)
        if job.status not in ACTIVE:  # already made, or given up on: a stray second run does nothing
            return str(job.status)
        now = timezone.now()
        job.status, job.attempts, job.started_at, job.heartbeat_at = (
            JobStatus.RUNNING,
            job.attempts + 1,
            now,
            now,
        )
        job.progress = "Started" if job.attempts == 1 else f"Started again (try {job.attempts})"
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "progress"])
    actor = Actor.from_json(job.actor, path=f"task: {job.kind} {job.code}")
    try:
        content, content_type, filename = _build(job)
        job.path.parent.mkdir(parents=True, exist_ok=True)
        partial = job.path.with_suffix(".part")
        partial.write_bytes(content)
        partial.replace(job.path)
    except Exception as error:
        logger.exception("job %s failed", job.code)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=f"The file could not be made: {error}. Nothing in the case has changed; try again.",
        )
        record_as(
            actor,
            Action.EXPORT,
            obj=job.incident,
            object_type="job",
            object_id=str(job.code),
            partnership=job.incident.partnership,
            outcome=Outcome.FAILURE,
            detail=f"{describe(job)}: {type(error).__name__}",
        )
        return JobStatus.FAILED
    finished = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.READY,
        finished_at=finished,
        expires_at=finished + dt.timedelta(days=settings.EXPORT_KEEP_DAYS),
        filename=filename,
        content_type=content_type,
        size=len(content),
        progress="Ready",
        error="",
    )
    return JobStatus.READY


def _build(job: Job) -> tuple[bytes, str, str]:
    if job.kind == JobKind.PANEL_PACK:
        review = RapidReview.objects.select_related("incident__partnership").get(incident=job.incident)
        progress(job, "Gathering the rapid review record and the composite chronology")
        content, content_type = pack.panel_pack_bytes(
            review, job.fmt, pseudonymise=job.pseudonymise, on_progress=lambda words: progress(job, words)
        )
        return content, content_type, pack.pack_filename(review, job.fmt)
    progress(job, "Merging and analysing the agencies' chronologies")
    filters = QueryDict(mutable=True)
    for name, values in job.filters.items():
        filters.setlist(name, values)
    content, content_type = composite_file(
        job.incident,
        job.fmt,
        pseudonymise=job.pseudonymise,
        filters=filters,
        on_progress=lambda words: progress(job, words),
    )
    return content, content_type, f"{job.incident.reference}-composite-chronology.{job.fmt}"


# --- Handing over and tidying up ------------------------------------------------------------------


def download(actor: Actor, job: Job) -> bytes:
    """The finished file's bytes, with the download recorded against the person."""
    content = job.path.read_bytes()
    record_as(
        actor,
        Action.EXPORT,
        obj=job.incident,
        object_type="panel_pack" if job.kind == JobKind.PANEL_PACK else "composite",
        partnership=job.incident.partnership,
        detail=f"downloaded {describe(job)}, made {timezone.localtime(job.finished_at):%d/%m/%Y %H:%M}"
        if job.finished_at
        else f"downloaded {describe(job)}",
    )
    return content


def delete_expired(now: dt.datetime | None = None) -> int:
    """Delete finished files past their keeping time (run by the worker and ``chronicle housekeeping``)."""
    now = now or timezone.now()
    expired = list(Job.objects.filter(status=JobStatus.READY, expires_at__lte=now))
    for job in expired:
        job.path.unlink(missing_ok=True)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.EXPIRED, progress="Deleted")
    return len(expired)
