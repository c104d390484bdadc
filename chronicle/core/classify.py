"""Event types for uncoded entries, from a transparent lexicon.

An agency's own event-type code always wins. Otherwise the description (with
the action and outcome) is matched against ``data/event_lexicon.json``: each
pattern matches whole words only, a "strong" pattern counts 2 and a "weak" one
1, the type with the highest total wins and ties go to the type listed first
in the file. The result says which words matched, so anyone can see why an
entry was given a type and correct it.

Patterns are written in lower case and matched against lower-cased text.

Run ``python -m chronicle.core.classify tests/data/event_types_labelled.csv``
to measure precision and recall against a labelled set.
"""

from __future__ import annotations

import csv
import json
import re
import re._constants as _c
import re._parser as _parser
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

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
    by_prefix: dict[str, re.Pattern[str]]  # first two letters of a word -> the patterns that may start there
    anywhere: re.Pattern[str] | None  # patterns tried at every word
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
                if re.sub(r"\\[A-Z]", "", pattern) != re.sub(r"\\[A-Z]", "", pattern).lower():
                    raise ValueError(f"{path}: types.{code}.{key}: {pattern!r} must be in lower case")
                if "(?P<" in pattern:
                    raise ValueError(f"{path}: types.{code}.{key}: {pattern!r} must not name groups")
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(
                        f"{path}: types.{code}.{key}: {pattern!r} is not valid ({error})"
                    ) from None
                patterns.append(LexiconPattern(code, pattern, weight))
    by_prefix, anywhere = _dispatch_table(patterns)
    return Lexicon(tuple(patterns), priority, by_prefix, anywhere, str(data.get("version", "")))


PREFIX_LENGTH = 2
_MAX_PREFIXES = 2000


def _sequence_prefixes(items: Any) -> set[str] | None:
    """The first PREFIX_LENGTH characters a parsed pattern can match (shorter if it can end sooner).

    None when the pattern uses something this simple reader does not follow
    (e.g. ``\\w`` or ``.`` at the start); such a pattern is then tried everywhere.
    """
    results = {""}
    for op, arg in items:
        done = {p for p in results if len(p) >= PREFIX_LENGTH}
        still_open = results - done
        if not still_open:
            break
        strings = _item_prefixes(op, arg)
        if strings is None:
            return None
        results = done | {(p + s)[:PREFIX_LENGTH] for p in still_open for s in strings}
        if len(results) > _MAX_PREFIXES:
            return None
    return results


def _item_prefixes(op: Any, arg: Any) -> set[str] | None:
    if op is _c.LITERAL:
        return {chr(arg).lower()}
    if op is _c.IN:
        chars: set[str] = set()
        for kind, value in arg:
            if kind is _c.LITERAL:
                chars.add(chr(value).lower())
            elif kind is _c.RANGE and value[1] - value[0] < 128:
                chars.update(chr(code).lower() for code in range(value[0], value[1] + 1))
            else:
                return None
        return chars
    if op is _c.SUBPATTERN:
        return _sequence_prefixes(arg[-1])
    if op is _c.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            strings = _sequence_prefixes(branch)
            if strings is None:
                return None
            union |= strings
        return union
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, high, sub = arg
        strings = _sequence_prefixes(sub)
        if strings is None:
            return None
        repeated = {""} if low == 0 else set()
        current = {""}
        for count in range(1, PREFIX_LENGTH + 1):
            current = {(a + b)[:PREFIX_LENGTH] for a in current for b in strings}
            if count >= low or count == PREFIX_LENGTH:
                repeated |= current
            if count >= high:
                break
        return repeated
    return None


def _dispatch_table(
    patterns: Sequence[LexiconPattern],
) -> tuple[dict[str, re.Pattern[str]], re.Pattern[str] | None]:
    """Patterns grouped by the two characters they can start with, each group as one regex.

    At each word of a description only the few patterns that could start with
    its first two letters are tried, which keeps classification to a few
    microseconds per entry. Patterns whose start cannot be worked out are
    tried at every word.
    """
    by_prefix: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for index, pattern in enumerate(patterns):
        try:
            prefixes = _sequence_prefixes(_parser.parse(pattern.pattern))
        except Exception:  # an unusual pattern is simply tried everywhere
            prefixes = None
        if prefixes is None or any(len(p) < PREFIX_LENGTH for p in prefixes):
            anywhere.append(index)
            continue
        for prefix in prefixes:
            by_prefix.setdefault(prefix, []).append(index)

    def compiled(indices: list[int]) -> re.Pattern[str]:
        # Longer patterns first, so "police were called" is tried before "police" at the same place.
        ordered = sorted(indices, key=lambda i: -len(patterns[i].pattern))
        body = "|".join(f"(?P<p{i}>{patterns[i].pattern})" for i in ordered)
        return re.compile(rf"(?:{body})(?!\w)")

    table = {prefix: compiled(indices + anywhere) for prefix, indices in by_prefix.items()}
    return table, compiled(anywhere) if anywhere else None


_WORD_START = re.compile(r"(?<!\w)\w")


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
    normal = normalise_text(text)
    covered = 0  # words inside an earlier match are not matched again
    for start in _WORD_START.finditer(normal):
        position = start.start()
        if position < covered:
            continue
        regex = lex.by_prefix.get(normal[position : position + PREFIX_LENGTH], lex.anywhere)
        match = regex.match(normal, position) if regex is not None else None
        if match is None or match.lastgroup is None:
            continue
        covered = match.end()
        index = int(match.lastgroup[1:])
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
    return classify_text(_text_of(entry), lexicon)


def _text_of(entry: Entry) -> str:
    """The words the lexicon reads: the description, with the action and outcome if any."""
    if entry.action or entry.outcome:
        return f"{entry.description} {entry.action} {entry.outcome}"
    return entry.description


def resolved_types(entries: Iterable[Entry], lexicon: Lexicon | None = None) -> list[str | None]:
    """One event-type code (or None) per entry, agency codes first; for passing to other analyses."""
    read: dict[str, str | None] = {}  # chronologies repeat themselves: each distinct text is read once
    codes: list[str | None] = []
    for entry in entries:
        if entry.event_type:
            codes.append(entry.event_type)
            continue
        text = _text_of(entry)
        if text not in read:
            read[text] = classify_text(text, lexicon).code
        codes.append(read[text])
    return codes


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
                raise ValueError(
                    f"{file_path}: row {row_number}, column event_type: {expected!r} is not a code"
                )
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
        TypeScore(code, *counts[code])
        for code in sorted(counts, key=lambda c: order.index(c) if c in order else 99)
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
