from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve Chronicle with gunicorn (or Django's development server with --dev) and run the worker "
        "beside it (Panel packs, Word and PDF files, reminders); both stop together."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--dev", action="store_true", help="use Django's auto-reloading development server"
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the worker (one runs elsewhere)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chronicle = os.path.join(os.path.dirname(sys.executable), "chronicle")
        if options["dev"]:
            server = [chronicle, "runserver", options["bind"]]
        else:
            gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
            server = [
                gunicorn,
                "chronicle.wsgi:application",
                "--config",
                "python:chronicle.gunicorn_conf",  # worker memory cap, timeouts, recycling
                "--bind",
                options["bind"],
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ]
        children = [] if options["no_worker"] else [subprocess.Popen([chronicle, "worker"])]
        children.append(subprocess.Popen(server))
        self.stdout.write(f"Chronicle is running on http://{options['bind']}/ (press Ctrl+C to stop)")
        sys.stdout.flush()

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            # When either the server or the worker ends, the other is stopped too.
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, -signal.SIGTERM)]
        if failed:
            sys.exit(1)
