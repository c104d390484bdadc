"""Time the extractor, and the analysis when events are already stored (docs/performance.md).

    .venv/bin/python benchmarks/extract_speed.py                 # 100,000 distinct entries, every core
    .venv/bin/python benchmarks/extract_speed.py --entries 20000 --processes 1
    .venv/bin/python benchmarks/extract_speed.py --composite-only
    .venv/bin/python benchmarks/extract_speed.py --reading-only --serial-check

Two figures the issue sets targets for:

1. Reading events from 100,000 distinct invented entries with every core, then
   analysing them as ``chronicle analyse`` does (target: under 60 s on 2 cores).
2. Analysing a 5,000-entry, 12-agency composite on one core when the events are
   given, as the web app passes the stored ones (target: under 2 s).

Also prints the cost per entry of the bare medspaCy pipeline and of the whole
reading, for docs/event-types.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chronicle.core.analysis import analyse
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.extract import Source, extract_many, source_of
from chronicle.core.extract.reader import _context, _sentences, pipeline, quiet_pipe

SENTENCES = (
    "Referral received from {who} reporting bruising to the child's {site}.",
    "Home visit by social worker; {name} seen alone in bedroom, no concerns.",
    "Unannounced home visit - no reply, card left.",
    "Strategy discussion held with police and health; section 47 enquiry agreed.",
    "Initial child protection conference held; child made subject to a child protection plan under neglect.",
    "Planned home visit cancelled by the social worker due to sickness, rearranged for {day}.",
    "Officers attended following a 999 call reporting a domestic argument; partner arrested for assault.",
    "{name} attended A&E with a {size}cm laceration to the forehead, explanation that she fell from the sofa.",
    "GP appointment: mother seen with baby for immunisations, weight {weight}kg.",
    "Health visitor new birth visit completed; mother reports low mood.",
    "Did not attend paediatric outpatient appointment; letter sent to GP.",
    "School reports attendance at {pct}% this term; education welfare officer informed.",
    "{name} disclosed to her teacher that her stepfather hit her with a belt.",
    "Core group meeting held; plan reviewed, no progress on home conditions.",
    "Case closed to children's social care following single assessment, no further action.",
    "Legal planning meeting: threshold for proceedings not met; PLO letter to be sent.",
    "Mother's partner on bail for an earlier matter, conditions not to contact her.",
    "Younger brother born at {hospital}; discharged home day {day}.",
    "MASH decision: step down to early help.",
    "Child protection medical completed by the paediatrician; skeletal survey requested.",
)
NAMES = ("Child A", "Child B", "the baby", "Ruby", "Kai", "Amir", "Lena", "the boy", "the girl", "Sami")
SITES = ("arm", "face", "back", "leg", "ear", "neck", "cheek", "upper arm", "chest", "buttocks")
WHO = ("school", "an aunt", "the nursery", "a neighbour", "the GP", "police", "the health visitor")
AGENCIES = tuple(f"Agency {i:02d}" for i in range(1, 13))


def invented_text(rng: random.Random, serial: int) -> str:
    count = rng.randint(1, 3)
    parts = [
        rng.choice(SENTENCES).format(
            who=rng.choice(WHO),
            site=rng.choice(SITES),
            name=rng.choice(NAMES),
            day=rng.choice(("Monday", "Tuesday", "Friday", "3", "5")),
            size=rng.randint(1, 9),
            weight=round(rng.uniform(3, 12), 1),
            pct=rng.randint(40, 99),
            hospital=rng.choice(("the maternity unit", "Northgate Hospital", "St Mary's")),
        )
        for _ in range(count)
    ]
    return " ".join(parts) + f" Ref {serial}."  # every text distinct


def invented_entries(count: int, agencies: int, seed: int = 7) -> list[Entry]:
    rng = random.Random(seed)
    start = dt.date(2018, 1, 1)
    return [
        Entry(
            agency=AGENCIES[i % agencies],
            date=PartialDate.exact(start + dt.timedelta(days=rng.randint(0, 1500))),
            description=invented_text(rng, i),
            source="Case record",
            row=i // agencies + 2,
        )
        for i in range(count)
    ]


def _processor_time() -> float:
    """User and system time of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def bare_pipeline_cost(texts: list[str]) -> float:
    """Tokenizer, sentence splitter, target matcher and ConText, without reading events from them."""
    nlp = pipeline()
    started = time.perf_counter()
    for doc in quiet_pipe(nlp, texts):
        _context(doc, *_sentences(doc))
    return (time.perf_counter() - started) / len(texts)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--composite-only", action="store_true")
    parser.add_argument("--reading-only", action="store_true", help="time the reading, not the analysis")
    parser.add_argument(
        "--serial-check", action="store_true", help="read again in one process and compare the events"
    )
    args = parser.parse_args()
    print(f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; {dt.date.today().isoformat()}")
    started = time.perf_counter()
    pipeline()
    print(f"Loading the pipeline and data files: {time.perf_counter() - started:.2f} s (once per process)")

    if not args.reading_only:
        composite = invented_entries(5_000, 12, seed=11)
        stored = extract_many([source_of(e) for e in composite])
        started, cpu = time.perf_counter(), time.process_time()
        analysis = analyse(composite, events=stored)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"5,000-entry, 12-agency composite with stored events, one core: {seconds:.2f} s "
            f"({cpu:.2f} s of processor time; target under 2 s); {len(analysis.findings)} findings"
        )
    if args.composite_only:
        return 0

    rng = random.Random(3)
    sample = [invented_text(rng, i) for i in range(2_000)]
    bare = bare_pipeline_cost(sample)
    started = time.perf_counter()
    extract_many([Source(t) for t in sample])
    whole = (time.perf_counter() - started) / len(sample)
    print(
        f"Cost per entry, one core: spaCy and medspaCy's matchers and ConText {bare * 1000:.2f} ms; whole reading {whole * 1000:.2f} ms"
    )

    entries = invented_entries(args.entries, 12)
    sources = [source_of(e) for e in entries]
    cpu = _processor_time()
    started = time.perf_counter()
    found = extract_many(sources, processes=args.processes)
    reading = time.perf_counter() - started
    cpu = _processor_time() - cpu
    print(
        f"Processor time for the reading: {cpu:.1f} s ({cpu / args.entries * 1000:.2f} ms an entry, "
        f"this process and its workers; {args.entries / cpu:,.0f} entries a processor second)"
    )
    if args.serial_check:
        same = extract_many(sources, processes=1) == found
        print(f"Serial reading gives the same events as {args.processes} processes: {same}")
    if args.reading_only:
        print(
            f"{args.entries:,} distinct entries, {args.processes} processes: reading {reading:.1f} s "
            f"({args.entries / reading:,.0f} entries/s)"
        )
        return 0
    started = time.perf_counter()
    analysis = analyse(entries, events=found)
    analysing = time.perf_counter() - started
    total = reading + analysing
    print(
        f"{args.entries:,} distinct entries, {args.processes} processes: reading {reading:.1f} s "
        f"({args.entries / reading:,.0f} entries/s), analysis {analysing:.1f} s, total {total:.1f} s "
        f"(target under 60 s for 100,000 on 2 cores); {sum(len(f) for f in found):,} events"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
