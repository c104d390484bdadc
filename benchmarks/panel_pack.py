"""Benchmark: the Panel pack of a 10,000-entry case from 10 agencies, as Word and as PDF.

Target (issue 12): each format made in under 60 s on one core and under 1 GB of memory. It prints
wall-clock and processor seconds and the peak resident memory (``getrusage`` maxrss); the target is
judged on processor seconds, as the machine is shared and its wall clock counts other work too.

    .venv/bin/python benchmarks/panel_pack.py                 # 10,000 entries, both formats
    .venv/bin/python benchmarks/panel_pack.py --entries 2000 --strict
    .venv/bin/python benchmarks/panel_pack.py --keep /tmp/packs   # keep the files to look at

The case is the test suite's full rapid review (incident, screening, meetings, criteria, decision,
dissent, learning points) with ten agencies' submitted chronologies and 2,000 audit events added.
Django runs against a throwaway SQLite database under /tmp. Each format is made in a fresh child
process pinned to one core, so its seconds and peak memory are its own.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGENCIES = 10
SECONDS_TARGET = 60.0
MEMORY_TARGET_MB = 1024.0
WORDS = [
    "Home visit by the health visitor; baby seen and weighed, mother tired but engaging",
    "Police attended a report of shouting at the address; no injuries seen, advice given",
    "School nurse saw the older sibling about repeated absence; referral discussed with the designated lead",
    "GP appointment missed; letter sent to the mother asking her to rebook",
    "Strategy discussion held by telephone with police and health; section 47 enquiry agreed",
    "Children's social care assessment started; the partner declined to be seen",
    "Neighbour called to report the baby crying for long periods late at night",
    "Emergency department attendance with a bruise to the cheek, explained as a fall from the sofa",
    "",
]


def set_up_django(folder: Path) -> None:
    os.environ.setdefault("CHRONICLE_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ["CHRONICLE_VAR_DIR"] = str(folder)
    os.environ.setdefault("CHRONICLE_DEMO", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chronicle.settings")
    import django

    django.setup()


def build_case(entries: int) -> str:
    """The full rapid review case with ``entries`` entries from ten agencies; returns the case reference."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import transaction

    from chronicle.accounts.models import Agency, AgencyType, Partnership, Role
    from chronicle.audit.actor import Actor
    from chronicle.audit.models import Action
    from chronicle.audit.services import record
    from chronicle.chronologies import services as chronology_services
    from chronicle.chronologies.models import ChronologyRequest, DraftEntry
    from chronicle.core.dates import PartialDate
    from tests.factories import build_full_case, make_user, request_as

    northshire = Partnership.objects.create(name="Northshire Safeguarding Children Partnership")
    southvale = Partnership.objects.create(name="Southvale Safeguarding Children Partnership")
    police = Agency.objects.create(partnership=northshire, name="Northshire Police", agency_type=AgencyType.POLICE, is_statutory_partner=True)  # fmt: skip
    social_care = Agency.objects.create(partnership=northshire, name="Northshire Children's Social Care", agency_type=AgencyType.CHILDRENS_SOCIAL_CARE, is_statutory_partner=True)  # fmt: skip
    world = SimpleNamespace(
        northshire=northshire,
        southvale=southvale,
        police=police,
        social_care=social_care,
        manager=make_user("manager@northshire.example", northshire, Role.BUSINESS_MANAGER),
        owner=make_user("police.lead@northshire.example", northshire, Role.AGENCY_LEAD, police),
        other_agency=make_user("social.worker@northshire.example", northshire, Role.CONTRIBUTOR, social_care),
    )
    case = build_full_case(world, finalise=False)
    requests = list(ChronologyRequest.objects.filter(incident=case.incident))
    template = requests[0]
    for number in range(AGENCIES - len(requests)):
        agency = Agency.objects.create(
            partnership=northshire, name=f"Agency {number + 3:02d}", agency_type=AgencyType.OTHER
        )
        requests.append(
            ChronologyRequest.objects.create(
                incident=case.incident,
                agency=agency,
                period_from=dt.date(2012, 1, 1),
                period_to=template.period_to,
                scope=template.scope,
                due_on=template.due_on,
                requested_on=template.requested_on,
                requested_by=world.manager,
            )
        )
    rng = random.Random(12)
    first, days = dt.date(2012, 1, 1), (template.period_to - dt.date(2012, 1, 1)).days
    per_agency = entries // len(requests)
    for chronology_request in requests:
        drafts = []
        for _ in range(per_agency - chronology_request.draft_entries.count()):
            day = first + dt.timedelta(days=rng.randrange(days))
            text = day.isoformat() if rng.random() > 0.05 else day.strftime("%Y-%m")
            date = PartialDate.from_isoformat(text)
            drafts.append(
                DraftEntry(
                    request=chronology_request,
                    created_by=world.manager,
                    date_text=text,
                    date_start=date.start,
                    date_end=date.end,
                    description=". ".join(rng.sample(WORDS, 2)).strip() + ".",
                    action="Recorded on the case file." if rng.random() > 0.5 else "",
                    source=f"Record {rng.randrange(10_000, 99_999)}",
                )
            )
        DraftEntry.objects.bulk_create(drafts, batch_size=2000)
        chronology_services.submit(
            Actor.from_request(request_as(world.manager)), chronology_request, note="Full extract"
        )
    # Audit events are chained one to the next, so they are written one at a time, as the app does.
    with transaction.atomic():
        for n in range(2000):
            record(
                request_as(world.manager),
                Action.UPDATE,
                object_type="incident",
                object_id=str(case.incident.code),
                object_label=case.incident.reference,
                partnership=northshire,
                detail=f"Changed field {n}",
            )
    return str(case.incident.reference)


def make_one(reference: str, fmt: str, keep: Path | None) -> dict[str, Any]:
    """In a child process: make one format and report its seconds and peak memory."""
    from chronicle.reviews.models import RapidReview
    from chronicle.reviews.pack import panel_pack_bytes

    review = RapidReview.objects.select_related("incident__partnership").get(incident__reference=reference)
    started = time.perf_counter()
    cpu = time.process_time()
    data, _ = panel_pack_bytes(review, fmt)
    seconds = time.perf_counter() - started
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"panel-pack-{reference}.{fmt}").write_bytes(data)
    return {
        "fmt": fmt,
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes": len(data),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--formats", default="docx,pdf")
    parser.add_argument("--keep", type=Path, help="keep the packs in this folder")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--case", type=Path, help="build the case in this folder once, and reuse it on later runs"
    )
    parser.add_argument("--profile", action="store_true", help="print where the processor time goes")
    parser.add_argument("--child", nargs=3, metavar=("FOLDER", "REFERENCE", "FMT"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        folder, reference, fmt = args.child
        set_up_django(Path(folder))
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(make_one, reference, fmt, None)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        print(json.dumps(make_one(reference, fmt, args.keep)))
        return 0

    with contextlib.ExitStack() as stack:
        if args.case:
            folder = args.case
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="chronicle-bench-", dir="/tmp"))
            )
        set_up_django(folder)
        started = time.perf_counter()
        built = folder / f"case-{args.entries}.txt"
        if built.exists():
            reference = built.read_text()
        else:
            reference = build_case(args.entries)
            built.write_text(reference)
        print(
            f"case {reference}: {args.entries:,} entries from {AGENCIES} agencies, ready in {time.perf_counter() - started:.1f} s"
        )
        missed = False
        for fmt in args.formats.split(","):
            command = ["taskset", "-c", "0", sys.executable, __file__, "--child", str(folder), reference, fmt]
            if args.keep:
                command += ["--keep", str(args.keep)]
            if args.profile:
                command.append("--profile")
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            if args.profile:
                print(done.stderr)
            output = done.stdout
            result = json.loads(output.strip().splitlines()[-1])
            # Judged on processor time: on a shared machine the wall clock also counts other work.
            ok = result["cpu"] < SECONDS_TARGET and result["peak_mb"] < MEMORY_TARGET_MB
            missed |= not ok
            print(
                f"{fmt:>4}: {result['seconds']:6.1f} s ({result['cpu']:.1f} s CPU), peak {result['peak_mb']:,.0f} MB, "
                f"{result['bytes'] / 1e6:.1f} MB file  {'ok' if ok else 'MISSED'} "
                f"(target < {SECONDS_TARGET:.0f} s of processor time on one core, < {MEMORY_TARGET_MB:.0f} MB)"
            )
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
