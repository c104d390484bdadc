"""`chronicle analyse FILE...`: what the merged chronologies show, as text or JSON, no database needed.

chronicle analyse csc.xlsx police.csv gp.docx --born 2016-01-10
chronicle analyse police.csv gp.docx --agency "Riverside GP=gp.docx" --json > analysis.json

Files are checked and merged exactly as `chronicle merge` does (all or nothing,
every problem listed with its file, row and column). The text report lists the
findings the record shows as not met or cannot show, the events recorded
more than once (one event, several accounts) and where those accounts
conflict, silent periods and each agency's quality checks; --json prints
everything, each entry referred to by agency, date and row. --timings prints
each stage's seconds on standard error: reading the events from the entries as
`extraction SECONDS`, every other stage as `STAGE SECONDS`.
"""

from __future__ import annotations

import argparse
import sys
import time

from chronicle.core.analysis import Analysis, write_analysis_json
from chronicle.core.compliance import Status
from chronicle.core.plain_words import dates_in_words, day_words
from chronicle.offline.merge import (
    FILE_ERROR,
    USAGE_ERROR,
    UsageError,
    add_input_arguments,
    analyse_loaded,
    input_files,
    load,
    report_errors,
    summary_lines,
)

HELP = (
    "analyse agency chronology files together: findings, events recorded twice, conflicts, silences, quality"
)

SHOWN_PER_SECTION = 50  # the text report stays readable; --json has everything


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the whole analysis as JSON")
    parser.add_argument(
        "--timings",
        action="store_true",
        help="print each stage's seconds on standard error ('extraction SECONDS', then 'STAGE SECONDS')",
    )


def text_report(analysis: Analysis) -> list[str]:
    lines: list[str] = []

    def section(title: str, items: list[str]) -> None:
        lines.append("")
        lines.append(f"{title} ({len(items)})")
        for item in items[:SHOWN_PER_SECTION]:
            lines.append(f"  - {item}")
        if len(items) > SHOWN_PER_SECTION:
            lines.append(f"  … and {len(items) - SHOWN_PER_SECTION} more (use --json for all)")

    for status in (
        Status.NOT_MET,
        Status.CANNOT_BE_DETERMINED,
        Status.BORDERLINE,
        Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
    ):
        chosen = [f for f in analysis.findings if f.status is status]
        if chosen:
            section(
                f"Findings: {status.words}",
                [
                    f"{f.rule_id}{'' if f.verified else ' (rule not yet verified)'}: {f.message}"
                    for f in chosen
                ],
            )
    if analysis.conflicts:
        section(
            "Conflicting accounts of one event",
            [
                f"{analysis.entries[link.a_index].reference()} and {analysis.entries[link.b_index].reference()}: "
                + "; ".join(link.reasons)
                for link in analysis.conflicts
            ],
        )
    if analysis.clusters:
        section(
            "Events recorded more than once",
            [
                f"{cluster.words(analysis.entries)}: "
                + "; ".join(analysis.entries[i].reference() for i in cluster.members)
                for cluster in analysis.clusters
            ],
        )
    silences = [
        f"{day_words(p.start)} to {day_words(p.end)}: no agency recorded anything for {p.days} days"
        for p in analysis.silent_periods
    ] + [f"{gap.rule_id}: {dates_in_words(gap.message)}" for gap in analysis.expected_contact_gaps]
    if silences:
        section("Silent periods and expected contacts not recorded", silences)
    lines.append("")
    lines.append("Quality of each agency's chronology")
    for agency, card in analysis.scorecards.items():
        lines.append(f"  {agency}: {len(card.rules_passed)} of {len(card.checked)} checks passed")
        lines += [f"    - {point.rule_id} ({point.severity}): {point.message}" for point in card.points]
    lines.append("")
    lines.append("Findings are proposals for people to check against the records, not verdicts.")
    return lines


def run(args: argparse.Namespace) -> int:
    try:
        input_files(args)
    except UsageError as exc:
        print(f"chronicle analyse: {exc}", file=sys.stderr)
        return USAGE_ERROR
    started = time.perf_counter()
    loaded = load(args)
    if loaded.errors:
        report_errors(loaded)
        return FILE_ERROR
    timings = {"read": time.perf_counter() - started}
    analysis = analyse_loaded(loaded, args.born)
    timings.update(analysis.timings)
    started = time.perf_counter()
    if args.json:
        # Compact and written item by item: a crowded case's JSON is far smaller without
        # indentation, and quicker when never held whole.
        write_analysis_json(analysis, sys.stdout)
        sys.stdout.write("\n")
    else:
        for line in summary_lines(analysis, loaded) + text_report(analysis):
            print(line)
    sys.stdout.flush()
    timings["json" if args.json else "report"] = time.perf_counter() - started
    if args.timings:
        print_timings(timings)
    return 0


def print_timings(timings: dict[str, float]) -> None:
    """Each stage's seconds on standard error, reading the events (extraction) on its own line."""
    for stage, seconds in timings.items():
        print(f"{'extraction' if stage == 'events' else stage} {seconds:.3f}", file=sys.stderr)
