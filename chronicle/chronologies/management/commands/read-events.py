from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chronicle.chronologies.events import read_all
from chronicle.core.extract import EXTRACTOR_VERSION


class Command(BaseCommand):
    help = (
        "Read and store the events of every chronology entry that has none yet (safe to run again); "
        "with --stale, also those read by an older version of the extractor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale",
            action="store_true",
            help=f"also read again the entries read by an extractor other than {EXTRACTOR_VERSION}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        read = read_all(stale=options["stale"])
        noun = "entry" if read == 1 else "entries"
        self.stdout.write(f"Read the events of {read:,} {noun} (extractor {EXTRACTOR_VERSION}).")
