"""The compliance rules over a large case: the case chronologies' events repeated to 100,000 entries.

    .venv/bin/python benchmarks/compliance_rules.py [--entries 100000]

Reads the events of the synthetic case chronologies (tests/data/cases/) once, repeats the
entries with their dates moved on three days at a time until there are as many as asked (no
deaths, so every clock runs), and times ``compliance.evaluate_merged`` alone: wall and
processor seconds, findings and peak memory.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chronicle.core.compliance import RuleContext, evaluate_merged
from chronicle.core.compliance.cases import load_cases
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.events import Event
from chronicle.core.extract import extract_many, source_of

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "cases"


def crowded(count: int) -> tuple[list[Entry], list[tuple[Event, ...]], dict[str, str]]:
    cases = load_cases(CASES)
    base = [e for case in cases for e in case.entries if e.date.start.year >= 2005]
    kinds = {name: kind for case in cases for name, kind in case.agency_types.items()}
    read = extract_many([source_of(e, kinds.get(e.agency, "")) for e in base])
    events = [tuple(x for x in found if x.type != "death") for found in read]
    entries: list[Entry] = []
    chosen: list[tuple[Event, ...]] = []
    step = 0
    while len(entries) < count:
        shift = dt.timedelta(days=3 * step)
        for entry, found in zip(base, events, strict=True):
            day = entry.date.start + shift
            if day.year > 2034 or len(entries) >= count:
                continue
            date = PartialDate(day.year, day.month, day.day if entry.date.day else None)
            entries.append(dataclasses.replace(entry, date=date))
            chosen.append(found)
        step += 1
    order = sorted(range(len(entries)), key=lambda i: entries[i].sort_key())
    return [entries[i] for i in order], [chosen[i] for i in order], kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args(argv)
    entries, events, kinds = crowded(args.entries)
    context = RuleContext(child_born_on=dt.date(2010, 1, 1), agency_types=kinds)
    wall, cpu = time.perf_counter(), time.process_time()
    findings = evaluate_merged(entries, events, context)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"compliance rules over {len(entries):,} entries: {len(findings):,} findings")
    print(f"  {wall:.1f} s wall, {cpu:.1f} s processor; peak memory {peak:.0f} MB (whole process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
