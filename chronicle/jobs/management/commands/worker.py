"""``chronicle worker``: run tasks from the database queue (django-tasks-db's worker) and look after it:
tasks of a worker that died are retried once, expired files deleted, the daily reminders queued."""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from chronicle.jobs.housekeeping import housekeeping
from chronicle.jobs.recovery import new_worker_id

HOUSEKEEPING_SECONDS = 60


class TendedWorker(Worker):
    """django-tasks-db's worker, run in batches: between them (and at once on starting) it recovers
    abandoned tasks and tidies up. Its loop, claims and signal handling are the library's own."""

    def run(self) -> None:
        self.batch = True  # the library's loop returns when the queue is empty
        last_housekeeping = 0.0
        while self.running:
            if time.monotonic() - last_housekeeping >= HOUSEKEEPING_SECONDS:
                housekeeping()
                last_housekeeping = time.monotonic()
            super().run()
            self.startup_delay = False
            close_old_connections()
            if self.running and (self.max_tasks is None or self._run_tasks < self.max_tasks):
                time.sleep(self.interval)
            elif self.max_tasks is not None:
                return


class Command(DatabaseWorkerCommand):
    help = (
        "Run the worker that makes Panel packs, Word and PDF files and reminders (started beside the "
        "server by `chronicle serve`). Tasks of a worker that died are tried once more, then failed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # host:pid:random, so another worker on this machine can tell when this one has died.
        parser.set_defaults(worker_id=new_worker_id(), reload=False)

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity < 2:  # the library says "no more tasks" after every batch: keep that for -v 2
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        worker = TendedWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=True,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=[],
        )
        if options["verbosity"]:
            self.stdout.write(f"Chronicle's worker {worker.worker_id} is waiting for tasks (Ctrl+C to stop)")
        worker.configure_signals()
        worker.run()
