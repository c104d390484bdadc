"""Time merge + analysis of a synthetic 20-agency case at 10k, 100k and 1M entries.

    .venv/bin/python benchmarks/merge_analyse.py            # 10k, 100k and 1M
    .venv/bin/python benchmarks/merge_analyse.py --max 100000
    .venv/bin/python benchmarks/merge_analyse.py --max 100000 --whole   # chronicle.core.analysis.analyse()
    .venv/bin/python benchmarks/merge_analyse.py --crowded 100000       # the crowded case's bounds (issue 11)

Each size runs in a fresh process so its peak memory is its own. Stages:
merge, event-type classification, duplicate and conflict links, silent periods
and expected-contact gaps, quality checks per agency, and the compliance rules
when ``chronicle.core.compliance`` is present. The last column divides the
total by n·log2(n): if it stays roughly flat as n grows, cost grows no worse
than n log n. "CPU s" is the processor time the stages used: on a busy machine it
is a steadier figure than the wall-clock seconds. Target (design §8): 100k entries under 5 s and under 1 GB.

--crowded N checks the bounds on the crowded case (twenty agencies, N entries over 18 years):
the analysis after extraction (merge, clusters, silences, rules, quality, writing the JSON)
within 2.5 times python-calamine's read of the same entries as one XLSX, and the JSON under
100 MB. The events read from the entries are kept in a file under the system's temporary folder
after the first run, because reading them (the extraction) is not what is measured here.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chronicle.core.composite import merge
from chronicle.core.dates import PartialDate
from chronicle.core.duplicates import find_clusters
from chronicle.core.entries import Entry
from chronicle.core.events import Event
from chronicle.core.extract import read_types as resolved_types
from chronicle.core.quality import check_quality
from chronicle.core.silence import CaseContext, expected_contact_gaps, silent_periods

SIZES = (10_000, 100_000, 1_000_000)
FIRST_DAY = dt.date(2005, 1, 1)
LAST_DAY = dt.date(2022, 12, 31)
BORN = dt.date(2005, 3, 14)

NAMES = ("Mother", "Father", "Ms A", "Mr B", "maternal grandmother", "stepfather", "Child", "sibling")
PLACES = (
    "home address",
    "school",
    "maternal grandmother's address",
    "town centre",
    "the ward",
    "the surgery",
)

# agency -> [(event type code or None when the agency does not code it, template)]
TEMPLATES: dict[str, list[tuple[str | None, str]]] = {
    "Children's Social Care": [
        ("referral", "Referral received from {who2} about {child}: {concern}"),
        (None, "Strategy discussion held with police and health about {concern}; s47 agreed"),
        ("visit", "Home visit by social worker, {child} seen alone in bedroom, {n} adults present"),
        (None, "Statutory visit, no reply at the door, card left"),
        ("core_group", "Core group meeting held, {n} agencies attended, plan reviewed"),
        (None, "Telephone call to {who} to arrange visit"),
        ("assessment_complete", "Child and family assessment completed, outcome: {outcome}"),
    ],
    "Police": [
        (None, "Police called to {place} following report of {concern}; {n} children present"),
        ("domestic_abuse", "Domestic incident at {place}, DASH completed, risk {risk}"),
        (None, "Strategy discussion with children's social care about {concern}"),
        (None, "{who} arrested for assault, released on bail"),
        (None, "Welfare check at {place}, {child} seen and well"),
    ],
    "GP Practice": [
        (None, "Seen by GP with {who}, {symptom}"),
        ("gp_appointment", "GP appointment not attended, letter sent"),
        (None, "Immunisations given by practice nurse"),
        (None, "Telephone consultation with GP about {symptom}"),
    ],
    "Health Visiting": [
        ("hv_contact", "Health visitor home visit, {child} weighed, {n} kg"),
        (None, "HV contact: development review, maternal mood discussed"),
        (None, "No access visit by health visitor, card left"),
    ],
    "Midwifery": [(None, "Antenatal appointment with community midwife, {symptom}")],
    "Acute Hospital Trust": [
        (None, "Attended A&E with {who}, {symptom}"),
        ("medical", "Child protection medical by paediatrician, {n} bruises noted"),
    ],
    "Ambulance Service": [(None, "Ambulance called to {place}, {child} conveyed to hospital")],
    "Primary School": [
        (None, "Attendance concern, attendance {n} per cent this term"),
        (None, "Bruise noted on {child}'s arm by class teacher, body map completed"),
        ("school_exclusion", "Fixed-term exclusion for {n} days"),
    ],
    "Secondary School": [
        (None, "Reported missing from school, found by police at {place}"),
        (None, "Meeting with {who} about attendance and behaviour"),
    ],
    "Nursery": [(None, "{child} collected late by {who}, appeared tired and hungry")],
    "CAMHS": [(None, "CAMHS appointment, {child} attended with {who}, low mood discussed")],
    "Adult Mental Health": [(None, "{who} seen by community psychiatric nurse, medication reviewed")],
    "Probation": [(None, "{who} attended probation supervision, disclosed new relationship")],
    "Housing": [(None, "Housing officer visited {place}, property in poor condition, {n} rooms damp")],
    "Youth Justice": [(None, "Youth offending team appointment, {child} attended")],
    "Early Help": [(None, "Early help assessment started with family, {n} needs identified")],
    "Substance Misuse Service": [(None, "{who} attended drug and alcohol service, tested positive")],
    "Domestic Abuse Service": [(None, "IDVA contact with Mother, safety plan updated, MARAC referral")],
    "Education Welfare": [(None, "Education welfare officer home visit about poor attendance")],
    "Community Paediatrics": [(None, "Paediatric review in clinic, growth {n} centile")],
}
CONCERNS = ("neglect", "bruising to the face", "domestic abuse", "parental drug use", "a missing episode")
SYMPTOMS = ("cough and fever", "rash on arms", "poor weight gain", "head injury after fall", "low mood")
OUTCOMES = ("child in need plan", "no further action", "step down to early help", "strategy discussion")
# Real records carry detail that templates lack; a few words of it make the text less uniform.
DETAILS = (
    "mother tearful",
    "father not present",
    "home cold and untidy",
    "dog in the kitchen",
    "baby asleep in cot",
    "older sibling at school",
    "partner left during visit",
    "interpreter used",
    "letter copied to GP",
    "follow-up booked",
    "case discussed with manager",
    "grandmother supportive",
    "rent arrears mentioned",
    "new boyfriend named as Dave",
    "smell of cannabis",
    "child chatty and smiling",
    "nappy rash noted",
    "school uniform dirty",
    "late for nursery again",
    "mother says things are better",
    "father on bail conditions",
    "referral to food bank",
    "no food in the fridge",
    "electricity meter empty",
    "bedroom seen, no sheets on bed",
)


def synthetic_case(total: int, seed: int = 2012) -> list[list[Entry]]:
    """Twenty agencies' chronologies, each in date order, with some events recorded twice."""
    rng = random.Random(seed)
    agencies = list(TEMPLATES)
    span = (LAST_DAY - FIRST_DAY).days
    lists: dict[str, list[Entry]] = {a: [] for a in agencies}
    made = 0
    # The case's spine: a child protection plan and a period looked after, for the gap rules.
    spine = [
        ("cp_plan_start", dt.date(2008, 2, 4), "ICPC held, child made subject of a child protection plan"),
        ("cp_plan_end", dt.date(2009, 8, 17), "Child protection plan ended at review conference"),
        ("lac_start", dt.date(2014, 6, 2), "Became looked after under section 20, placed with foster carers"),
    ]
    for code, day, text in spine:
        lists["Children's Social Care"].append(
            Entry("Children's Social Care", PartialDate.exact(day), text, source="case file", event_type=code)
        )
        made += 1
    while made < total:
        agency = rng.choice(agencies)
        code, template = rng.choice(TEMPLATES[agency])
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        text = template.format(
            child="the child",
            who=rng.choice(NAMES),
            who2=rng.choice(("school", "police", "GP", "neighbour")),
            concern=rng.choice(CONCERNS),
            place=rng.choice(PLACES),
            n=rng.randint(1, 12),
            risk=rng.choice(("standard", "medium", "high")),
            symptom=rng.choice(SYMPTOMS),
            outcome=rng.choice(OUTCOMES),
        )
        if rng.random() < 0.7:
            text = f"{text}; {rng.choice(DETAILS)}"
        roll = rng.random()
        if roll < 0.05:
            date = PartialDate(day.year, day.month)
        elif roll < 0.06:
            date = PartialDate(day.year)
        else:
            date = PartialDate.exact(day, uncertain=roll > 0.98)
        entry = Entry(
            agency,
            date,
            text,
            source="" if rng.random() < 0.02 else f"{agency} record",
            row=len(lists[agency]) + 2,
            event_type=code,
            child_seen=rng.choice((None, True, False)),
            significance="Impact on the child noted" if rng.random() < 0.1 else "",
        )
        lists[agency].append(entry)
        made += 1
        if rng.random() < 0.03 and made < total:  # the same event in another agency's chronology
            other = rng.choice([a for a in agencies if a != agency])
            shift = dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            copy = dataclasses.replace(
                entry,
                agency=other,
                date=PartialDate.exact(day + shift),
                description=text + " (shared by phone)",
            )
            lists[other].append(copy)
            made += 1
    for entries in lists.values():
        entries.sort(key=Entry.sort_key)
    return list(lists.values())


def run_size(total: int) -> dict[str, Any]:
    lists = synthetic_case(total)
    context = CaseContext(child_born_on=BORN, period_end=LAST_DAY)
    times: dict[str, float] = {}

    cpu_times: dict[str, float] = {}

    def timed(stage: str, work: Callable[[], Any]) -> Any:
        start, cpu_start = time.perf_counter(), time.process_time()
        result = work()
        times[stage] = time.perf_counter() - start
        cpu_times[stage] = time.process_time() - cpu_start
        return result

    merged: list[Entry] = timed("merge", lambda: merge(lists))
    types: list[str | None] = timed("events", lambda: resolved_types(merged))
    clusters = timed("clusters", lambda: find_clusters(merged, event_types=types))

    def silence() -> tuple[int, int]:
        quiet = silent_periods(merged, context.silence_threshold_days)
        gaps = expected_contact_gaps(merged, context, types)
        return len(quiet), len(gaps)

    quiet_count, gap_count = timed("silence", silence)

    def quality() -> int:
        positions: dict[str, list[int]] = {}
        for i, entry in enumerate(merged):
            positions.setdefault(entry.agency, []).append(i)
        points = 0
        for agency, indices in positions.items():
            card = check_quality(
                [merged[i] for i in indices], agency, context, event_types=[types[i] for i in indices]
            )
            points += len(card.points)
        return points

    point_count = timed("quality", quality)
    compliance_note = ""
    try:
        from chronicle.core import compliance
    except ImportError:
        compliance_note = "compliance rules not included"
    else:

        def rules() -> int:
            # The types already read, as the agencies' own codes: the rules read events, not words.
            events = [(Event(t, source="agency"),) if t else () for t in types]
            return len(compliance.evaluate(merged, compliance.RuleContext(child_born_on=BORN), events=events))

        timed("compliance", rules)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": len(merged),
        "times": times,
        "cpu": sum(cpu_times.values()),
        "cpu_times": cpu_times,
        "peak_mb": peak_mb,
        "clusters": len(clusters),
        "conflicts": sum(len(cluster.conflicts) for cluster in clusters),
        "silent_periods": quiet_count,
        "gaps": gap_count,
        "quality_points": point_count,
        "note": compliance_note,
    }


def run_whole(total: int) -> dict[str, Any]:
    """The same case through ``analysis.analyse``, the one call the web app and the commands make."""
    from chronicle.core.analysis import analyse

    entries = [entry for entries in synthetic_case(total) for entry in entries]
    start = time.perf_counter()
    result = analyse(entries, child_born_on=BORN, period_end=LAST_DAY)
    elapsed = time.perf_counter() - start
    return {
        "n": len(result.entries),
        "total": elapsed,
        "times": result.timings,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "clusters": len(result.clusters),
        "conflicts": len(result.conflicts),
        "findings": len(result.findings),
    }


def main_whole(max_size: int) -> int:
    print(f"{'entries':>9} {'analyse() s':>12} {'peak MB':>8} {'µs/(n·log2 n)':>14}  stages (s)")
    for size in (s for s in SIZES if s <= max_size):
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--whole"],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout)
        n, total = result["n"], result["total"]
        stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in result["times"].items())
        per = total / (n * math.log2(n)) * 1e6
        print(f"{n:>9} {total:>12.2f} {result['peak_mb']:>8.0f} {per:>14.4f}  {stages}")
        print(
            f"{'':>9} clusters {result['clusters']}, conflicts {result['conflicts']}, "
            f"findings {result['findings']}"
        )
    return 0


CROWDED_COLUMNS = (
    "Agency",
    "Date",
    "Time",
    "Description",
    "Source",
    "Event type",
    "Child seen",
    "Significance",
)


def _crowded_workbook(entries: list[Entry], path: Path) -> None:
    """The entries as one XLSX, one row each, dates as the agencies wrote them."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Chronology")
    sheet.write_row(0, 0, CROWDED_COLUMNS)
    for row, entry in enumerate(entries, start=1):
        seen = {None: "", True: "yes", False: "no"}[entry.child_seen]
        sheet.write_row(
            row,
            0,
            (
                entry.agency,
                entry.date.display(),
                "",
                entry.description,
                entry.source or "not recorded",  # an import refuses a row without a source
                entry.event_type or "",
                seen,
                entry.significance,
            ),
        )
    workbook.close()


def _clock(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result, wall-clock seconds and processor seconds of one piece of work."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main_crowded(total: int) -> int:
    import tempfile

    from python_calamine import CalamineWorkbook

    from chronicle.core.analysis import analyse, analysis_to_json
    from chronicle.core.events import events_from_json, events_to_json
    from chronicle.core.extract import extract_many, source_of

    entries = [entry for entries in synthetic_case(total) for entry in entries]
    folder = Path(tempfile.gettempdir())
    workbook = folder / f"chronicle-crowded-{total}.xlsx"
    if not workbook.exists():
        _crowded_workbook(entries, workbook)

    def calamine_read() -> object:
        book = CalamineWorkbook.from_path(str(workbook))
        return book.get_sheet_by_name(book.sheet_names[0]).to_python()

    reads = [_clock(calamine_read)[1:] for _ in range(3)]
    read_wall, read_cpu = min(r[0] for r in reads), min(r[1] for r in reads)

    cached = folder / f"chronicle-crowded-{total}-events.json"
    extraction = "read from the cache"
    if cached.exists():
        events = [events_from_json(found) for found in json.loads(cached.read_text())]
    else:
        events, wall, cpu = _clock(lambda: extract_many([source_of(e) for e in entries], processes=2))
        cached.write_text(json.dumps([events_to_json(found) for found in events]))
        extraction = f"{wall:.1f} s wall, {cpu:.1f} s processor (main process)"

    result, analyse_wall, analyse_cpu = _clock(
        lambda: analyse(entries, child_born_on=BORN, period_end=LAST_DAY, events=events)
    )
    output = folder / f"chronicle-crowded-{total}.json"

    def write_json() -> int:
        text = json.dumps(analysis_to_json(result), ensure_ascii=False, separators=(",", ":"))
        output.write_text(text, encoding="utf-8")
        return len(text.encode("utf-8"))

    size, json_wall, json_cpu = _clock(write_json)
    after_wall, after_cpu = analyse_wall + json_wall, analyse_cpu + json_cpu
    events_wall = result.timings.get("events", 0.0)
    stages = "  ".join(f"{stage} {seconds:.2f}" for stage, seconds in result.timings.items())
    print(f"entries:                         {len(result.entries):,} from {len(result.agencies)} agencies")
    print(f"extraction:                      {extraction}")
    print(f"python-calamine read of the XLSX: {read_wall:.2f} s wall, {read_cpu:.2f} s processor (best of 3)")
    print(f"analyse() stages (wall s):       {stages}")
    print(f"JSON written:                    {json_wall:.2f} s wall, {json_cpu:.2f} s processor")
    print(
        f"analysis after extraction:       {after_wall - events_wall:.2f} s wall, {after_cpu:.2f} s processor"
        f" = {(after_wall - events_wall) / read_wall:.2f}x (wall) and {after_cpu / read_cpu:.2f}x (processor)"
        " the calamine read; bound 2.5x"
    )
    print(f"JSON size:                       {size / 1e6:.1f} MB (bound 100 MB)")
    conflicts = len(result.conflicts)
    print(
        f"clusters: {len(result.clusters):,} ({sum(len(c.members) for c in result.clusters):,} entries), "
        f"conflicts: {conflicts:,}, findings: {len(result.findings):,}, "
        f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max", type=int, default=max(SIZES), help="largest size to run (default 1000000)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size, print JSON
    parser.add_argument("--whole", action="store_true", help="time chronicle.core.analysis.analyse() instead")
    parser.add_argument(
        "--crowded", type=int, metavar="N", help="check the crowded case's bounds at N entries"
    )
    args = parser.parse_args()
    if args.crowded:
        return main_crowded(args.crowded)
    if args.one:
        print(json.dumps(run_whole(args.one) if args.whole else run_size(args.one)))
        return 0
    if args.whole:
        return main_whole(args.max)
    stages = ("merge", "events", "clusters", "silence", "quality", "compliance")
    header = (
        f"{'entries':>9} "
        + " ".join(f"{s:>10}" for s in stages)
        + f" {'total s':>8} {'CPU s':>8} {'peak MB':>8} {'µs/(n·log2 n)':>14}"
    )
    print(header)
    notes = set()
    for size in (s for s in SIZES if s <= args.max):
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True
        )
        result = json.loads(done.stdout)
        times = result["times"]
        total = sum(times.values())
        n = result["n"]
        per = total / (n * math.log2(n)) * 1e6
        cells = " ".join(f"{times[s]:>10.2f}" if s in times else f"{'-':>10}" for s in stages)
        print(f"{n:>9} {cells} {total:>8.2f} {result['cpu']:>8.2f} {result['peak_mb']:>8.0f} {per:>14.4f}")
        cpu_cells = " ".join(
            f"{result['cpu_times'][s]:>10.2f}" if s in result["cpu_times"] else f"{'-':>10}" for s in stages
        )
        print(f"{'CPU s':>9} {cpu_cells}")
        print(
            f"{'':>9} clusters {result['clusters']} ({result['conflicts']} conflicts), silent periods "
            f"{result['silent_periods']}, expected-contact gaps {result['gaps']}, quality points "
            f"{result['quality_points']}"
        )
        if result["note"]:
            notes.add(result["note"])
    for note in sorted(notes):
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
