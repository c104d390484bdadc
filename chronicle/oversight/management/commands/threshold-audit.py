from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chronicle.accounts.models import Partnership
from chronicle.oversight.threshold import audit


class Command(BaseCommand):
    help = "List serious harm never screened or screened out: incidents and chronology entries (lesson I)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--partnership", help="only this partnership (its name)")

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = Partnership.objects.all()
        if options["partnership"]:
            partnerships = partnerships.filter(name=options["partnership"])
            if not partnerships.exists():
                raise CommandError(f"--partnership: no partnership is called {options['partnership']!r}")
        reports = {p.name: audit(p) for p in partnerships}
        if options["json"]:
            self.stdout.write(
                json.dumps({name: report.to_json() for name, report in reports.items()}, indent=2)
            )
            return
        for name, report in reports.items():
            self.stdout.write(self.style.MIGRATE_HEADING(name))
            sections = [
                ("Incidents never screened", report.unscreened),
                ("Incidents not yet screened, still in time", report.in_time),
                ("Screened not notifiable but showing serious harm", report.screened_out),
                ("Chronology entries indicating serious harm with no incident", report.entries),
            ]
            for title, matches in sections:
                self.stdout.write(f"  {title}: {len(matches)}")
                for match in matches:
                    words = "; ".join(", ".join(i.words) for i in match.indicators)
                    when = match.on.isoformat() if match.on else "undated"
                    if match.screen_by is not None and match in report.in_time:
                        when += f", screen by {match.screen_by.isoformat()}"
                    self.stdout.write(
                        f"    {match.reference} ({when}): {'; '.join(match.reasons) or 'indicator words'}"
                        + (f" [words: {words}]" if words else "")
                    )
