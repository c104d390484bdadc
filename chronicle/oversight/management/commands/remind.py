from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chronicle.oversight.reminders import send_reminders


class Command(BaseCommand):
    help = "Email business managers about deadlines due in 2 working days, due today or overdue (safe to run often)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="act as if today were YYYY-MM-DD (for testing a schedule)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"--date: {options['date']!r} is not a date in the form YYYY-MM-DD") from None
        sent = send_reminders(today)
        for due, stage in sent:
            self.stdout.write(f"sent {stage.replace('_', ' ')}: {due.what} (due {due.deadline.isoformat()})")
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent")
