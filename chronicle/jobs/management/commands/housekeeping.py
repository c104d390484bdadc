from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chronicle.jobs.housekeeping import housekeeping


class Command(BaseCommand):
    help = (
        "Retry or fail tasks whose worker died, delete files past their keeping time and queue the "
        "reminders (the worker does this every minute; safe to run from cron as well)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in housekeeping() or ["nothing to do"]:
            self.stdout.write(line)
