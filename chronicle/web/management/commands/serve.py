from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Chronicle with gunicorn (or Django's development server with --dev)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--dev", action="store_true", help="use Django's auto-reloading development server"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dev"]:
            call_command("runserver", options["bind"])
            return
        self.stdout.write(f"Chronicle is running on http://{options['bind']}/ (press Ctrl+C to stop)")
        sys.stdout.flush()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        os.execv(  # noqa: S606  (replace this process with gunicorn; arguments are ours)
            gunicorn,
            [
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
            ],
        )
