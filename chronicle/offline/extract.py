"""`chronicle extract FILE...`: the events each entry's words mention, as text or JSON, no database needed.

chronicle extract csc.xlsx police.csv gp.docx
chronicle extract police.csv --agency "Northshire Police=police.csv" --json > events.json

Files are checked exactly as `chronicle merge` checks them (all or nothing,
every problem listed with its file, row and column). For every entry it prints
its events: the type, whether the entry says it did not happen, is planned or
is mentioned in passing, whom it is about, and the words it was read from. The
work is spread over every core.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from chronicle.core.agency_kinds import guess_agency_types
from chronicle.core.event_types import label
from chronicle.core.events import Event, Subject
from chronicle.core.extract import EXTRACTOR_VERSION, extract_many, source_of
from chronicle.offline.merge import (
    FILE_ERROR,
    USAGE_ERROR,
    UsageError,
    add_input_arguments,
    input_files,
    load,
    report_errors,
)

HELP = "list the events each entry's words mention: type, negated, planned, in passing, whom, the words"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print every entry's events as JSON")


def _event_words(event: Event) -> str:
    said = [name for name in ("negated", "hypothetical", "historical") if getattr(event, name)]
    if event.subject is not Subject.CHILD:
        said.append(f"about: {event.subject.value.replace('_', ' ')}")
    if event.source != "text":
        said.append("the agency's own code")
    line = f"{label(event.type)} [{event.type}]" + (f" ({', '.join(said)})" if said else "")
    if event.words:
        line += " from “" + "”, “".join(event.words) + "”"
    if event.injury is not None:
        injury = event.injury
        details = [
            f"kinds: {', '.join(injury.kinds)}" if injury.kinds else "",
            f"sites: {', '.join(injury.sites)}" if injury.sites else "",
            "" if injury.explained is None else ("explained" if injury.explained else "not explained"),
            f"referral {injury.referral.value.replace('_', ' ')}" if injury.referral else "",
        ]
        line += "; " + "; ".join(d for d in details if d) if any(details) else ""
    return line


def run(args: argparse.Namespace) -> int:
    try:
        input_files(args)
    except UsageError as exc:
        print(f"chronicle extract: {exc}", file=sys.stderr)
        return USAGE_ERROR
    loaded = load(args)
    if loaded.errors:
        report_errors(loaded)
        return FILE_ERROR
    entries = loaded.entries
    kinds = guess_agency_types(entry.agency for entry in entries)
    found = extract_many(
        [source_of(entry, kinds[entry.agency]) for entry in entries], processes=os.cpu_count() or 1
    )
    if args.json:
        payload: dict[str, Any] = {
            "extractor": EXTRACTOR_VERSION,
            "entries": [
                {
                    "agency": entry.agency,
                    "row": entry.row,
                    "date": entry.date.isoformat(),
                    "events": [event.to_json() for event in events],
                }
                for entry, events in zip(entries, found, strict=True)
            ],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    for entry, events in zip(entries, found, strict=True):
        print(entry.reference())
        print(f"  {entry.description}")
        for event in events:
            print(f"  - {_event_words(event)}")
        if not events:
            print("  - no events")
    print("")
    print(
        f"{len(entries)} entries read by {EXTRACTOR_VERSION}. Events are read from the words; check them against the record."
    )
    return 0
