"""``chronicle panel-pack REFERENCE -o FILE``: write a case's Panel pack to a Word or PDF file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chronicle.accounts.models import Partnership
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as
from chronicle.incidents.models import Incident
from chronicle.reviews.models import RapidReview
from chronicle.reviews.pack import FORMATS, panel_pack_bytes


class Command(BaseCommand):
    help = (
        "Write the rapid review report to the Child Safeguarding Practice Review Panel (the Panel pack) "
        "for one case, as Word (.docx) or tagged PDF (.pdf). Names are pseudonymised unless --no-pseudonymise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the case reference, for example NS-2024-017")
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="the file to write, ending .docx or .pdf"
        )
        parser.add_argument(
            "--partnership", metavar="NAME", help="the partnership, when two use the same reference"
        )
        parser.add_argument(
            "--no-pseudonymise",
            action="store_true",
            help="use people's names as recorded instead of pseudonyms (the file then identifies people)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(
                f"-o {output}: the file name must end in .docx or .pdf"
                + (f", not {output.suffix}" if output.suffix else "")
            )
        if not output.parent.is_dir():
            raise CommandError(f"-o {output}: the folder {output.parent} does not exist")
        review = self._review(options["reference"], options["partnership"])
        pseudonymise = not options["no_pseudonymise"]
        data, _content_type = panel_pack_bytes(review, fmt, pseudonymise=pseudonymise)
        output.write_bytes(data)
        incident = review.incident
        record_as(
            Actor.system(path="command: panel-pack"),
            Action.EXPORT,
            obj=review,
            partnership=incident.partnership,
            detail=f"Panel pack ({fmt}, {'pseudonymised' if pseudonymise else 'names as recorded'}) "
            f"written from the command line to {output.name}",
        )
        self.stdout.write(
            f"Wrote the Panel pack for {incident.reference} ({incident.partnership.name}) to {output}: "
            f"{len(data):,} bytes, {'pseudonymised' if pseudonymise else 'names as recorded'}."
        )

    def _review(self, reference: str, partnership_name: str | None) -> RapidReview:
        incidents = Incident.objects.filter(reference=reference).select_related("partnership")
        if partnership_name:
            if not Partnership.objects.filter(name=partnership_name).exists():
                raise CommandError(f"--partnership: no partnership is called {partnership_name!r}")
            incidents = incidents.filter(partnership__name=partnership_name)
        found = list(incidents)
        if not found:
            where = f" in {partnership_name}" if partnership_name else ""
            raise CommandError(f"no case has the reference {reference!r}{where}")
        if len(found) > 1:
            names = ", ".join(sorted(i.partnership.name for i in found))
            raise CommandError(
                f"the reference {reference!r} is used by {len(found)} partnerships ({names}): "
                "choose one with --partnership NAME"
            )
        incident = found[0]
        review = RapidReview.objects.filter(incident=incident).first()
        if review is None:
            raise CommandError(
                f"case {reference!r} ({incident.partnership.name}) has no rapid review yet: start one on the case page"
            )
        return review
