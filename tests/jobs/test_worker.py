"""The real worker (a separate process) on SQLite and PostgreSQL: it makes a Panel pack, and when it
is killed in the middle of one, the next worker tries once more and succeeds."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from chronicle.audit.actor import Actor
from chronicle.jobs import services
from chronicle.jobs.models import Job, JobKind, JobStatus
from chronicle.jobs.recovery import recover_abandoned
from chronicle.reviews.models import RapidReview

ROOT = Path(__file__).resolve().parents[2]
CHRONICLE = str(Path(sys.executable).parent / "chronicle")


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class Database:
    """The test database as another process reaches it, and the job's state read back from it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        params = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = quote(params["USER"]) + (f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else "")
            self.url = f"postgresql://{auth}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{params['NAME']}"
            self.file: Path | None = None
        else:
            self.file = folder / "worker.sqlite3"
            self.url = f"sqlite:///{self.file}"

    def share(self) -> None:
        """SQLite's test database lives in memory: copy it to a file the worker can open."""
        if self.file is not None:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)

    def job(self, code: Any) -> tuple[str, int, str]:
        if self.file is None:
            job = Job.objects.get(code=code)
            return job.status, job.attempts, job.progress
        with sqlite3.connect(self.file) as db:
            row = db.execute(
                "SELECT status, attempts, progress FROM jobs_job WHERE code = ?", [code.hex]
            ).fetchone()
        return row[0], row[1], row[2]

    def worker_ids(self, task_id: str) -> list[str]:
        if self.file is None:
            return list(DBTaskResult.objects.get(pk=task_id).worker_ids)
        import json

        with sqlite3.connect(self.file) as db:
            (value,) = db.execute(
                "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
                [task_id.replace("-", "")],
            ).fetchone()
        return list(json.loads(value))

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "CHRONICLE_DATABASE_URL": self.url,
            "CHRONICLE_VAR_DIR": str(self.folder),
            "CHRONICLE_DEMO": "true",
            "DJANGO_SETTINGS_MODULE": "chronicle.settings",
        }
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


@pytest.fixture
def database(transactional_db: Any, tmp_path: Path, queue: None) -> Iterator[Database]:
    yield Database(tmp_path)


def wait_for(condition: Any, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_it_tries_again_when_the_worker_is_killed_in_the_middle_of_a_panel_pack(
    database: Database, world: Any, as_: Any, case: Any
) -> None:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    review = RapidReview.objects.get(incident=case)
    job = services.ask(
        Actor(user=world.manager, partnership=world.northshire), JobKind.PANEL_PACK, review.incident, "docx"
    )
    assert job.status == JobStatus.QUEUED  # nothing runs it in this process
    database.share()

    slow = database.start(sys.executable, str(ROOT / "tests" / "jobs" / "slow_worker.py"))
    try:
        wait_for(lambda: database.job(job.code)[0] == JobStatus.RUNNING, "the first try to start")
        slow.send_signal(signal.SIGKILL)  # no chance to tidy up: as in a crash or an out-of-memory kill
        slow.wait()
    finally:
        stop(slow)
    assert database.job(job.code)[:2] == (JobStatus.RUNNING, 1)  # left behind by the dead worker

    worker = database.start(CHRONICLE, "worker", "--interval", "0.2", "--no-startup-delay")
    try:
        wait_for(lambda: database.job(job.code)[0] == JobStatus.READY, "the second try to finish")
    finally:
        stop(worker)
    status, attempts, _ = database.job(job.code)
    assert (status, attempts) == (JobStatus.READY, 2)
    assert len(database.worker_ids(job.task_id)) == 2
    made = database.folder / "exports" / f"{job.code}.docx"
    assert made.read_bytes().startswith(b"PK")


# --- Recovery, without a worker process -----------------------------------------------------------


def dead_worker_id() -> str:
    import socket

    finished = subprocess.Popen(["true"])
    finished.wait()
    return f"{socket.gethostname()[:40]}:{finished.pid}:test"


def running_task(job: Job, worker_ids: list[str]) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=job.task_id)
    DBTaskResult.objects.filter(pk=result.pk).update(status="RUNNING", worker_ids=worker_ids)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=len(worker_ids))
    return result


@pytest.fixture
def queued_job(db: Any, queue: None, world: Any, case: Any, as_: Any) -> Job:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    return services.ask(Actor(user=world.manager), JobKind.PANEL_PACK, case, "docx")


def test_it_puts_a_dead_workers_task_back_in_the_queue_once(queued_job: Job) -> None:
    result = running_task(queued_job, [dead_worker_id()])
    assert len(recover_abandoned()) == 1
    result.refresh_from_db()
    assert result.status == "READY"
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.QUEUED
    assert "tried once more" in queued_job.progress


def test_it_gives_up_with_a_clear_message_after_the_second_worker_dies(
    queued_job: Job, as_: Any, settings: Any
) -> None:
    result = running_task(queued_job, [dead_worker_id(), dead_worker_id()])
    recover_abandoned()
    result.refresh_from_db()
    assert result.status == "FAILED" and "WorkerStopped" in result.exception_class_path
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.FAILED
    page = as_("manager").get(f"/files/{queued_job.code}/").content.decode()
    assert "stopped unexpectedly twice" in page and "Try again" in page
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    as_("manager").post(f"/files/{queued_job.code}/again/")
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.READY


def test_it_leaves_a_living_workers_task_alone(queued_job: Job) -> None:
    import socket

    running_task(queued_job, [f"{socket.gethostname()[:40]}:{os.getpid()}:test"])
    assert recover_abandoned() == []
    queued_job.refresh_from_db()
    assert queued_job.status == JobStatus.RUNNING


def test_it_retries_a_task_on_another_machine_once_it_shows_no_sign_of_life(queued_job: Job) -> None:
    import datetime as dt

    from django.utils import timezone

    result = running_task(queued_job, ["elsewhere:123:test"])
    started = timezone.now()
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=started)
    Job.objects.filter(pk=queued_job.pk).update(heartbeat_at=started + dt.timedelta(minutes=10))
    assert recover_abandoned(started + dt.timedelta(minutes=20)) == []  # progress 10 minutes ago
    assert len(recover_abandoned(started + dt.timedelta(minutes=26))) == 1
