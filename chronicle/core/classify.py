"""Event types for uncoded entries, from a transparent lexicon.

An agency's own event-type code always wins. Otherwise the description (with
the action and outcome) is matched against ``data/event_lexicon.json``: each
pattern matches whole words only, a "strong" pattern counts 2 and a "weak" one
1, the type with the highest total wins and ties go to the type listed first
in the file. The result says which words matched, so anyone can see why an
entry was given a type and correct it.

Run ``python -m chronicle.core.classify tests/data/event_types_labelled.csv``
to measure precision and recall against a labelled set.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.event_types import EVENT_TYPES

LEXICON_PATH = Path(__file__).parent / "data" / "event_lexicon.json"
STRONG_WEIGHT = 2
WEAK_WEIGHT = 1

Source = Literal["agency", "lexicon"]


@dataclass(frozen=True, slots=True)
class Classification:
    """An entry's event type and where it came from (``code`` None: no type found)."""

    code: str | None
    matched_words: tuple[str, ...] = ()
    source: Source | None = None
    score: int = 0


@dataclass(frozen=True, slots=True)
class LexiconPattern:
    code: str
    pattern: str
    weight: int


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled lexicon: one regular expression with a named group per pattern."""

    patterns: tuple[LexiconPattern, ...]
    priority: dict[str, int]  # position of each type in the file; lower wins ties
    regex: re.Pattern[str]
    version: str


def _pattern_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise ValueError(f"{where} must be a list of non-empty strings")
    return list(value)


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read and compile a lexicon file; errors name the type and pattern at fault."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error})") from None
    types = data.get("types") if isinstance(data, dict) else None
    if not isinstance(types, dict) or not types:
        raise ValueError(f"{path}: needs a 'types' object with one key per event-type code")
    patterns: list[LexiconPattern] = []
    priority: dict[str, int] = {}
    for position, (code, spec) in enumerate(types.items()):
        if code not in EVENT_TYPES:
            raise ValueError(f"{path}: types.{code} is not an event-type code")
        if not isinstance(spec, dict) or set(spec) - {"strong", "weak"}:
            raise ValueError(f"{path}: types.{code} may only have 'strong' and 'weak' lists")
        priority[code] = position
        for key, weight in (("strong", STRONG_WEIGHT), ("weak", WEAK_WEIGHT)):
            for pattern in _pattern_list(spec.get(key, []), f"{path}: types.{code}.{key}"):
                if "(?P<" in pattern:
                    raise ValueError(f"{path}: types.{code}.{key}: {pattern!r} must not name groups")
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(f"{path}: types.{code}.{key}: {pattern!r} is not valid ({error})") from None
                patterns.append(LexiconPattern(code, pattern, weight))
    # Longer patterns first, so "police were called" is tried before "police" at the same place.
    order = sorted(range(len(patterns)), key=lambda i: -len(patterns[i].pattern))
    alternatives = "|".join(f"(?P<p{i}>{patterns[i].pattern})" for i in order)
    regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return Lexicon(tuple(patterns), priority, regex, str(data.get("version", "")))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()


def normalise_text(text: str) -> str:
    """Lower case, straight apostrophes, single spaces."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").casefold().split())


def classify_text(text: str, lexicon: Lexicon | None = None) -> Classification:
    """The lexicon's best event type for a piece of free text."""
    lex = lexicon or default_lexicon()
    scores: dict[str, int] = {}
    words: dict[str, list[str]] = {}
    seen: set[int] = set()
    for match in lex.regex.finditer(normalise_text(text)):
        name = match.lastgroup
        if name is None:  # pragma: no cover - every alternative is a named group
            continue
        index = int(name[1:])
        pattern = lex.patterns[index]
        words.setdefault(pattern.code, []).append(match.group())
        if index in seen:
            continue
        seen.add(index)
        scores[pattern.code] = scores.get(pattern.code, 0) + pattern.weight
    if not scores:
        return Classification(None)
    best = min(scores, key=lambda code: (-scores[code], lex.priority[code]))
    return Classification(best, tuple(words[best]), "lexicon", scores[best])


def classify(entry: Entry, lexicon: Lexicon | None = None) -> Classification:
    """The agency's own code if it gave one; otherwise the lexicon's reading of the text."""
    if entry.event_type:
        return Classification(entry.event_type, (), "agency")
    text = entry.description
    if entry.action or entry.outcome:
        text = f"{text} {entry.action} {entry.outcome}"
    return classify_text(text, lexicon)


def resolved_types(entries: Iterable[Entry], lexicon: Lexicon | None = None) -> list[str | None]:
    """One event-type code (or None) per entry, agency codes first; for passing to other analyses."""
    return [classify(entry, lexicon).code for entry in entries]


# Evaluation against a labelled set.

NO_TYPE = "other"  # how an entry with no type found is counted


@dataclass(frozen=True, slots=True)
class TypeScore:
    code: str
    support: int  # labelled examples of this type
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float | None:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.support if self.support else None


@dataclass(frozen=True, slots=True)
class LexiconEvaluation:
    rows: int
    correct: int
    scores: tuple[TypeScore, ...]
    mistakes: tuple[tuple[int, str, str, str], ...] = field(default=())  # (row, text, expected, got)

    @property
    def accuracy(self) -> float:
        return self.correct / self.rows if self.rows else 0.0

    def table_markdown(self) -> str:
        def pct(value: float | None) -> str:
            return "–" if value is None else f"{value:.0%}"

        lines = [
            "| event type | code | examples | precision | recall |",
            "|---|---|---:|---:|---:|",
        ]
        for score in self.scores:
            lines.append(
                f"| {EVENT_TYPES.get(score.code, score.code)} | `{score.code}` | {score.support} "
                f"| {pct(score.precision)} | {pct(score.recall)} |"
            )
        lines.append(f"| **all types** | | **{self.rows}** | | **{self.accuracy:.0%} correct** |")
        return "\n".join(lines)


def evaluate_lexicon(path: Path | str, lexicon: Lexicon | None = None) -> LexiconEvaluation:
    """Precision and recall per type over a CSV with columns description, agency, event_type."""
    file_path = Path(path)
    with file_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"description", "event_type"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{file_path}: missing column(s) {', '.join(sorted(missing))}")
        pairs: list[tuple[int, str, str]] = []
        for row_number, row in enumerate(reader, start=2):
            expected = (row["event_type"] or "").strip()
            if expected not in EVENT_TYPES:
                raise ValueError(f"{file_path}: row {row_number}, column event_type: {expected!r} is not a code")
            pairs.append((row_number, row["description"], expected))

    counts: dict[str, list[int]] = {}  # code -> [support, tp, fp, fn]
    mistakes: list[tuple[int, str, str, str]] = []
    correct = 0
    for row_number, text, expected in pairs:
        entry = Entry(agency="", date=PartialDate(2020), description=text)
        got = classify(entry, lexicon).code or NO_TYPE
        counts.setdefault(expected, [0, 0, 0, 0])[0] += 1
        counts.setdefault(got, [0, 0, 0, 0])
        if got == expected:
            correct += 1
            counts[expected][1] += 1
        else:
            counts[got][2] += 1
            counts[expected][3] += 1
            mistakes.append((row_number, text, expected, got))
    order = list(EVENT_TYPES)
    scores = tuple(
        TypeScore(code, *counts[code]) for code in sorted(counts, key=lambda c: order.index(c) if c in order else 99)
    )
    return LexiconEvaluation(len(pairs), correct, scores, tuple(mistakes))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m chronicle.core.classify LABELLED.csv", file=sys.stderr)
        return 2
    result = evaluate_lexicon(args[0])
    print(result.table_markdown())
    print(f"\n{len(result.mistakes)} of {result.rows} descriptions given a different type:")
    for row, text, expected, got in result.mistakes:
        print(f"  row {row}: expected {expected}, got {got}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
