"""How well the extractor reads the labelled corpus (docs/accuracy.md).

    .venv/bin/python benchmarks/accuracy.py                      # the test split
    .venv/bin/python benchmarks/accuracy.py --split dev
    .venv/bin/python benchmarks/accuracy.py --split dev --mistakes

Prints per-type precision, recall and F1 with support, the event micro-F1, the
accuracy of each attribute over the events found and labelled alike, injury
details, and the confusion between types. ``--mistakes`` lists the entries read
wrongly, and only for the dev split: the test split is for measuring, never for
tuning, so its entries are not shown.

Targets on the test split: event micro-F1 ≥ 0.95, negated, hypothetical and
subject accuracy ≥ 0.95, no type below F1 0.85.

    .venv/bin/python benchmarks/accuracy.py --cases             # the synthetic case chronologies

``--cases`` runs the analysis the composite uses over the case chronologies in
tests/data/cases/ and prints, per case and overall, the recall of the key items
a review found and the rate of false alarms raised. Targets: recall ≥ 90%,
false alarms ≤ 5%.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chronicle.core.events import Event
from chronicle.core.extract import EXTRACTOR_VERSION, Source, extract_many
from chronicle.core.labelled import NO_EVENT, LabelledEntry, Score, load_corpus, score

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "events"
CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "cases"
TARGET_RECALL = 0.90
TARGET_FALSE_ALARMS = 0.05
TARGET_MICRO_F1 = 0.95
TARGET_ATTRIBUTE = 0.95
TARGET_TYPE_F1 = 0.85


def _source(entry: LabelledEntry) -> Source:
    return Source(entry.text, entry.agency_type, entry.agency_event_type)


def _injury_accuracy(
    corpus: list[LabelledEntry], found: dict[str, tuple[Event, ...]]
) -> dict[str, Counter[bool]]:
    """For entries where both the labels and the reading have one injury event: does each detail agree?"""
    counts: dict[str, Counter[bool]] = {
        name: Counter() for name in ("kinds", "sites", "explained", "referral")
    }
    for entry in corpus:
        labelled = [e.injury for e in entry.events if e.type == "injury_observed" and e.injury]
        read = [e.injury for e in found[entry.id] if e.type == "injury_observed" and e.injury]
        if len(labelled) != 1 or len(read) != 1:
            continue
        a, b = labelled[0], read[0]
        counts["kinds"][set(a.kinds) == set(b.kinds)] += 1
        counts["sites"][set(a.sites) == set(b.sites)] += 1
        counts["explained"][a.explained == b.explained] += 1
        counts["referral"][a.referral == b.referral] += 1
    return counts


def _describe(event: Event) -> str:
    flags = [name for name in ("negated", "hypothetical", "historical") if getattr(event, name)]
    words = f" «{' | '.join(event.words)}»" if event.words else ""
    return f"{event.type}[{','.join(flags) or 'asserted'};{event.subject.value}]{words}"


def report(result: Score, injuries: dict[str, Counter[bool]], split: str, seconds: float) -> list[str]:
    lines = [
        f"Labelled corpus, {split} split: {result.entries} entries; extractor {EXTRACTOR_VERSION}; "
        f"read in {seconds:.2f} s",
        "",
        f"{'type':<22} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}",
    ]
    below = []
    for code in sorted(result.types):
        s = result.types[code]
        mark = ""
        if s.f1 < TARGET_TYPE_F1 and s.support:
            below.append(code)
            mark = "  < 0.85"
        lines.append(f"{code:<22} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.support:>8}{mark}")
    micro = result.micro
    lines += [
        "",
        f"Event micro-F1: {micro.f1:.3f} (precision {micro.precision:.3f}, recall {micro.recall:.3f}; "
        f"{micro.true_positives} found of {micro.support} labelled, {micro.false_positives} extra)",
        "",
        "Attribute accuracy over events found and labelled alike:",
    ]
    for name in ("negated", "hypothetical", "historical", "subject"):
        counts = result.attributes.get(name, Counter())
        lines.append(
            f"  {name:<13} {result.attribute_accuracy(name):.3f} ({counts[True]} of {counts[True] + counts[False]})"
        )
    lines.append("")
    lines.append("Injury details (entries with one injury event both labelled and read):")
    for name, counts in injuries.items():
        total = counts[True] + counts[False]
        accuracy = counts[True] / total if total else 1.0
        lines.append(f"  {name:<13} {accuracy:.3f} ({counts[True]} of {total})")
    lines += ["", "Confusion (labelled type → type read instead, entries), most frequent first:"]
    for (labelled, read), count in result.confusion.most_common(40):
        lines.append(f"  {labelled:<22} → {read:<22} {count}")
    if not result.confusion:
        lines.append("  none")
    targets = [
        ("event micro-F1", micro.f1, TARGET_MICRO_F1),
        *(
            (f"{name} accuracy", result.attribute_accuracy(name), TARGET_ATTRIBUTE)
            for name in ("negated", "hypothetical", "subject")
        ),
    ]
    lines += ["", "Targets:"]
    for name, value, target in targets:
        lines.append(f"  {name} ≥ {target}: {value:.3f} {'met' if value >= target else 'NOT MET'}")
    lines.append(
        f"  every type F1 ≥ {TARGET_TYPE_F1}: " + ("met" if not below else f"NOT MET ({', '.join(below)})")
    )
    return lines


def mistakes(result: Score) -> list[str]:
    lines = ["", f"Entries read wrongly ({len(result.mistakes)}):"]
    for entry, found in result.mistakes:
        lines.append("")
        lines.append(f"{entry.id} ({entry.where}) [{entry.agency_type}; {entry.agency_event_type or '-'}]")
        lines.append(f"  {entry.text}")
        expected = sorted(_describe(e) for e in entry.events)
        got = sorted(_describe(e) for e in found)
        lines.append(f"  labelled: {'; '.join(expected) or NO_EVENT}")
        lines.append(f"  read:     {'; '.join(got) or NO_EVENT}")
    return lines


def cases_report(root: Path) -> list[str]:
    """Recall of the key items and the false-alarm rate over the case chronologies."""
    from chronicle.core.compliance.cases import RULE_ALARM_KINDS, analyse_case, load_cases, score_case

    wall, cpu = time.perf_counter(), time.process_time()
    cases = load_cases(root)
    lines = [
        f"Case chronologies in {root.name}/: {len(cases)} cases; extractor {EXTRACTOR_VERSION}",
        "",
        f"{'case':<26} {'entries':>7} {'key found':>10} {'alarms raised':>14}  missed / raised",
    ]
    found = items = raised = alarms = 0
    rule_raised = rule_alarms = 0
    kinds: Counter[tuple[str, bool]] = Counter()
    for case in cases:
        score = score_case(case, analyse_case(case))
        hit = sum(score.found.values())
        up = score.alarms_raised()
        found, items = found + hit, items + len(score.found)
        raised, alarms = raised + len(up), alarms + len(score.raised)
        rule_raised += len(score.alarms_raised(RULE_ALARM_KINDS))
        rule_alarms += sum(1 for kind in score.alarm_kinds.values() if kind in RULE_ALARM_KINDS)
        for alarm, kind in score.alarm_kinds.items():
            kinds[(kind, bool(score.raised[alarm]))] += 1
        missed = ", ".join(score.missed()) or "-"
        lines.append(
            f"{case.name:<26} {len(case.entries):>7} {hit:>4} of {len(score.found):<3} {len(up):>6} of "
            f"{len(score.raised):<5}  {missed} / {', '.join(up) or '-'}"
        )
    recall = found / items if items else 1.0
    rate = raised / alarms if alarms else 0.0
    rule_rate = rule_raised / rule_alarms if rule_alarms else 0.0
    lines += [
        "",
        f"Recall of key items: {recall:.1%} ({found} of {items})",
        f"False alarms raised: {rate:.1%} ({raised} of {alarms})",
        f"  of the kinds the rules answer for (nothing due after the death, no finding from an entry): "
        f"{rule_rate:.1%} ({rule_raised} of {rule_alarms})",
        "  by kind: "
        + "; ".join(
            f"{kind} {kinds[(kind, True)]} of {kinds[(kind, True)] + kinds[(kind, False)]}"
            for kind in sorted({kind for kind, _ in kinds})
        ),
        "",
        "Targets:",
        f"  recall ≥ {TARGET_RECALL:.0%}: {recall:.1%} {'met' if recall >= TARGET_RECALL else 'NOT MET'}",
        f"  false alarms ≤ {TARGET_FALSE_ALARMS:.0%}: {rate:.1%} {'met' if rate <= TARGET_FALSE_ALARMS else 'NOT MET'}",
        "",
        f"Time: {time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s processor; "
        f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder (with dev/ and test/)")
    parser.add_argument(
        "--mistakes", action="store_true", help="list the entries read wrongly (dev split only)"
    )
    parser.add_argument(
        "--cases", action="store_true", help="recall and false alarms over the case chronologies instead"
    )
    args = parser.parse_args(argv)
    if args.cases:
        print("\n".join(cases_report(CASES)))
        return 0
    if args.mistakes and args.split != "dev":
        parser.error("--mistakes is for the dev split only: the test split measures, it is not for tuning")
    corpus = load_corpus(args.corpus, args.split)
    if not corpus:
        parser.error(f"no labelled entries in {args.corpus / args.split}")
    started = time.perf_counter()
    read = extract_many([_source(entry) for entry in corpus])
    seconds = time.perf_counter() - started
    found = {entry.id: events for entry, events in zip(corpus, read, strict=True)}
    result = score(corpus, lambda entry: found[entry.id])
    lines = report(result, _injury_accuracy(corpus, found), args.split, seconds)
    if args.mistakes:
        lines += mistakes(result)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
