"""The labelled corpus of chronology entries and how an extractor is scored on it.

The corpus (``tests/data/events/{dev,test}/STYLE.jsonl``) follows
docs/event-labelling.md. Scoring pairs each entry's labelled events with the
extracted ones type by type: within a type, the pairs that agree on most
attributes are taken first, so an entry with a negated and a planned visit is
matched visit for visit. Type precision and recall count those pairs; the
attribute scores are over the matched pairs only.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from chronicle.core.events import Event

STYLES: tuple[str, ...] = ("police", "gp", "health_visiting", "hospital", "school", "social_care", "review")
AGENCY_TYPES: tuple[str, ...] = (
    "childrens_social_care",
    "police",
    "health_trust",
    "icb",
    "gp_practice",
    "education",
    "early_years",
    "probation",
    "housing",
    "ambulance",
    "other",
)
ATTRIBUTES: tuple[str, ...] = ("negated", "hypothetical", "historical", "subject")
NO_EVENT = "(none)"


@dataclass(frozen=True, slots=True)
class LabelledEntry:
    id: str
    style: str
    agency: str
    agency_type: str
    agency_event_type: str
    text: str
    events: tuple[Event, ...]
    where: str  # file and line, for error messages


def load_corpus(folder: Path, split: str | None = None) -> list[LabelledEntry]:
    """Every labelled entry under ``folder`` (only ``split``'s when given); errors name file and line."""
    entries: list[LabelledEntry] = []
    seen: dict[str, str] = {}
    splits = [split] if split else ["dev", "test"]
    for name in splits:
        for path in sorted((folder / name).glob("*.jsonl")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if not line.strip():
                    continue
                where = f"{path.name} ({name}) line {number}"
                entry = _read_line(line, where)
                if entry.id in seen:
                    raise ValueError(f"{where}: id {entry.id!r} is already used at {seen[entry.id]}")
                seen[entry.id] = where
                entries.append(entry)
    return entries


def _read_line(line: str, where: str) -> LabelledEntry:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{where}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: each line must be a JSON object")
    for key in ("id", "style", "agency", "agency_type", "text", "events"):
        if key not in data:
            raise ValueError(f"{where}: {key!r} is missing")
    if data["style"] not in STYLES:
        raise ValueError(f"{where}: style {data['style']!r} is not one of {', '.join(STYLES)}")
    if data["agency_type"] not in AGENCY_TYPES:
        raise ValueError(
            f"{where}: agency_type {data['agency_type']!r} is not one of {', '.join(AGENCY_TYPES)}"
        )
    if not isinstance(data["text"], str) or not data["text"].strip():
        raise ValueError(f"{where}: text must not be empty")
    if not isinstance(data["events"], list):
        raise ValueError(f"{where}: events must be a list")
    try:
        events = tuple(Event.from_json(item) for item in data["events"])
    except (ValueError, TypeError, AttributeError) as error:
        raise ValueError(f"{where}: {error}") from None
    return LabelledEntry(
        id=str(data["id"]),
        style=data["style"],
        agency=str(data["agency"]),
        agency_type=data["agency_type"],
        agency_event_type=str(data.get("agency_event_type") or ""),
        text=data["text"],
        events=events,
        where=where,
    )


@dataclass(slots=True)
class TypeScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.true_positives + self.false_negatives


@dataclass(slots=True)
class Score:
    entries: int = 0
    types: dict[str, TypeScore] = field(default_factory=dict)
    attributes: dict[str, Counter[bool]] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (labelled, extracted)
    mistakes: list[tuple[LabelledEntry, tuple[Event, ...]]] = field(default_factory=list)

    @property
    def micro(self) -> TypeScore:
        total = TypeScore()
        for score in self.types.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total

    def attribute_accuracy(self, name: str) -> float:
        counts = self.attributes.get(name, Counter())
        total = counts[True] + counts[False]
        return counts[True] / total if total else 1.0


def _agreement(a: Event, b: Event) -> int:
    return sum(getattr(a, name) == getattr(b, name) for name in ATTRIBUTES)


def score(corpus: Iterable[LabelledEntry], extract: Callable[[LabelledEntry], Sequence[Event]]) -> Score:
    """Score ``extract`` over the corpus (see the module's docstring for how events are paired)."""
    result = Score()
    for entry in corpus:
        result.entries += 1
        found = tuple(extract(entry))
        wrong = False
        expected_types = {e.type for e in entry.events}
        found_types = {e.type for e in found}
        for code in expected_types | found_types:
            expected = [e for e in entry.events if e.type == code]
            got = [e for e in found if e.type == code]
            type_score = result.types.setdefault(code, TypeScore())
            pairs = _pair(expected, got)
            type_score.true_positives += len(pairs)
            type_score.false_negatives += len(expected) - len(pairs)
            type_score.false_positives += len(got) - len(pairs)
            wrong |= len(expected) != len(pairs) or len(got) != len(pairs)
            for labelled, extracted in pairs:
                for name in ATTRIBUTES:
                    same = getattr(labelled, name) == getattr(extracted, name)
                    result.attributes.setdefault(name, Counter())[same] += 1
                    wrong |= not same
        for code in expected_types - found_types:
            for other in found_types - expected_types or {NO_EVENT}:
                result.confusion[(code, other)] += 1
        for code in found_types - expected_types:
            if not expected_types - found_types:
                result.confusion[(NO_EVENT, code)] += 1
        if wrong:
            result.mistakes.append((entry, found))
    return result


def _pair(expected: list[Event], got: list[Event]) -> list[tuple[Event, Event]]:
    """Pair events of one type, best attribute agreement first."""
    candidates = sorted(
        ((_agreement(a, b), i, j) for i, a in enumerate(expected) for j, b in enumerate(got)),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[Event, Event]] = []
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((expected[i], got[j]))
    return pairs
