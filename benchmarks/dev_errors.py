"""The development split's errors, grouped by event type and attribute (docs/accuracy.md).

    .venv/bin/python benchmarks/dev_errors.py                    # every type
    .venv/bin/python benchmarks/dev_errors.py --type allegation  # one type
    .venv/bin/python benchmarks/dev_errors.py --attribute subject

For tuning the data files: for each type, the entries where a labelled event
was missed (false negatives) and where an event was read that is not labelled
(false positives), with the words it was read from; for each attribute, the
events found whose attribute differs from the label. Only the dev split: the
test split is for measuring, never for reading its entries.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chronicle.core.events import Event
from chronicle.core.extract import Source, extract_many
from chronicle.core.labelled import ATTRIBUTES, LabelledEntry, load_corpus

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "events"


def _flags(event: Event) -> str:
    said = [name for name in ("negated", "hypothetical", "historical") if getattr(event, name)]
    return f"{','.join(said) or 'asserted'};{event.subject.value}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--type", help="only this event type")
    parser.add_argument("--attribute", choices=ATTRIBUTES, help="only mismatches of this attribute")
    args = parser.parse_args(argv)
    corpus = load_corpus(CORPUS, "dev")
    read = extract_many([Source(e.text, e.agency_type, e.agency_event_type) for e in corpus])
    missed: dict[str, list[tuple[LabelledEntry, str]]] = defaultdict(list)
    extra: dict[str, list[tuple[LabelledEntry, str]]] = defaultdict(list)
    differ: dict[str, list[tuple[LabelledEntry, str]]] = defaultdict(list)
    for entry, found in zip(corpus, read, strict=True):
        for code in {e.type for e in entry.events} | {e.type for e in found}:
            labelled = [e for e in entry.events if e.type == code]
            got = [e for e in found if e.type == code]
            for event in labelled[len(got) :]:
                missed[code].append((entry, _flags(event)))
            for event in got[len(labelled) :]:
                extra[code].append((entry, f"{_flags(event)} «{' | '.join(event.words)}»"))
            for a, b in zip(labelled, got, strict=False):
                for name in ATTRIBUTES:
                    if getattr(a, name) != getattr(b, name):
                        said = f"{code}: labelled {getattr(a, name)}, read {getattr(b, name)} «{' | '.join(b.words)}»"
                        differ[name].append((entry, said))

    def show(title: str, items: list[tuple[LabelledEntry, str]]) -> None:
        print(f"\n== {title} ({len(items)})")
        for entry, said in items:
            print(f"  {entry.id} [{entry.agency_type}; {entry.agency_event_type or '-'}] {said}")
            print(f"      {entry.text}")

    if args.attribute:
        show(f"{args.attribute} differs", differ[args.attribute])
        return 0
    codes = [args.type] if args.type else sorted(set(missed) | set(extra))
    for code in codes:
        show(f"{code}: missed", missed.get(code, []))
        show(f"{code}: extra", extra.get(code, []))
    if not args.type:
        for name in ATTRIBUTES:
            print(f"{name} differs: {len(differ[name])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
