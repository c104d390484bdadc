"""Links between entries of different agencies: the same event twice, or two accounts that disagree.

Nothing is merged or deleted: a link is a proposal for a reviewer (CQ-02).

- **duplicate** (corroboration): the same kind of event on compatible dates
  with similar descriptions. Two agencies recording one strategy discussion
  is corroboration, not an error.
- **conflict**: descriptions alike but the accounts disagree: different dates
  for what reads as the same event, or facts that differ (child seen or not,
  attended or not, injuries or none, different numbers, different outcomes).
  The reasons say what differs, in words.

Cost stays close to linear (never all pairs): only entries within
``window_days`` of each other, of compatible event types and sharing one of
the shorter description's less common words are compared (prefix filtering,
as in set-similarity joins), and the text comparison runs inside rapidfuzz.
Year-only entries are too vague to link and are left out.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
import string
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import Literal

from rapidfuzz import fuzz, process

from chronicle.core.dates import Precision
from chronicle.core.entries import Entry
from chronicle.core.event_types import label

LinkKind = Literal["duplicate", "conflict"]

TYPE_BONUS = 5  # added to the text score when both entries carry the same event type
MIN_SHARED_WORDS = 2  # fewer shared words than this is not enough to call two entries the same event
WILDCARD_TYPES = frozenset({None, "other", "contact"})  # too general to block on

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "has",
        "had",
        "have",
        "this",
        "that",
        "it",
        "its",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "them",
        "him",
        "me",
        "i",
        "we",
        "our",
        "as",
        "into",
        "onto",
        "than",
        "then",
    ]
)
_PUNCTUATION_TO_SPACE = str.maketrans(
    dict.fromkeys(string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014", " ")
)
_DATE_OR_TIME = re.compile(r"\b\d{1,2}[/.:-]\d{1,2}(?:[/.-]\d{2,4})?\b")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


@dataclass(frozen=True, slots=True)
class FactCheck:
    """A fact two accounts of one event may state differently, found by words in the text."""

    name: str
    says_yes: str  # how the reason describes a record that states the fact
    says_no: str
    yes_pattern: re.Pattern[str]
    no_pattern: re.Pattern[str]

    def reading(self, text: str) -> bool | None:
        if self.no_pattern.search(text):
            return False
        if self.yes_pattern.search(text):
            return True
        return None


FACT_CHECKS: tuple[FactCheck, ...] = (
    FactCheck(
        "child seen",
        "the child was seen",
        "the child was not seen",
        re.compile(r"\b(seen|saw|observed)\b"),
        re.compile(
            r"\b(not seen|unseen|no access|no reply|not (present|at home|in)|(did not|didn't|could not|couldn't|unable to) see|was not seen|wasn't seen|not available)\b"
        ),
    ),
    FactCheck(
        "attendance",
        "the appointment was attended",
        "the appointment was not attended",
        re.compile(r"\b(attended|attends|present)\b"),
        re.compile(
            r"\b(did not attend|didn't attend|dna|was not brought|wnb|failed to attend|no show|not attended|cancelled)\b"
        ),
    ),
    FactCheck(
        "injuries",
        "injuries or marks were noted",
        "no injuries or marks were noted",
        re.compile(r"\b(injur\w*|bruis\w*|marks?|fractur\w*|burns?|cuts?)\b"),
        re.compile(
            r"\bno (visible |obvious |apparent )?(injur\w*|bruis\w*|marks?|fractur\w*|burns?|cuts?)\b"
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Link:
    """Two entries (indices into the list given) that seem to record the same event."""

    a_index: int
    b_index: int
    score: int  # 0-100: description similarity, plus a little when the event types agree
    kind: LinkKind
    reasons: tuple[str, ...]


def _normalised_words(text: str) -> list[str]:
    return [w for w in text.casefold().translate(_PUNCTUATION_TO_SPACE).split() if w not in STOPWORDS]


def normalise_description(text: str) -> str:
    """Lower case words without punctuation or filler words, for comparing descriptions."""
    return " ".join(_normalised_words(text))


def _numbers(text: str) -> frozenset[str]:
    without_dates = _DATE_OR_TIME.sub(" ", text)
    return frozenset(n.lstrip("0") or "0" for n in _NUMBER.findall(without_dates))


# Home visits recorded by different professionals on the same day are often one joint visit
# ("joint home visit with police officer"), so their types do not keep them apart.
SAME_EVENT_FAMILIES = {
    "visit": "home visit",
    "police_visit": "home visit",
    "professional_visit": "home visit",
}


def _type_key(code: str | None) -> str | None:
    return None if code in WILDCARD_TYPES else SAME_EVENT_FAMILIES.get(code or "", code)


TextFacts = tuple[tuple[bool | None, ...], frozenset[str]]  # FACT_CHECKS readings, numbers


@dataclass(slots=True)
class _Prepared:
    """What the comparison needs of each entry, worked out once."""

    text: list[str]
    type_key: list[str | None]
    size: list[int]  # distinct words in the normalised description
    probe: list[list[str]]  # the rarest words, enough that any match must share one of them
    words: list[frozenset[str]]  # all distinct words
    postings: dict[str, tuple[list[int], list[int]]]  # word -> (days, entries), exact-day entries by day
    month_postings: dict[tuple[int, int, str], list[int]]  # (year, month, word) -> month-only entries
    day: list[int]  # ordinal of the first day each entry may mean
    descriptions: list[str]
    facts: dict[str, TextFacts]  # description -> what its words say, worked out when first needed
    exact: list[int]  # exact-day entries in day order
    months: list[int]  # month-only entries


def _min_containment(threshold: int) -> float:
    """The share of the shorter description's words a pair must have in common to reach the threshold.

    token_set_ratio compares the shared words with each description; for it to
    reach T (0-1) from the shared part, the shared words must make up at least
    T/(2-T) of the shorter description. Counting words rather than letters is
    rougher, so a margin of 0.1 is taken off.
    """
    t = max(0, threshold - TYPE_BONUS) / 100
    return max(0.0, t / (2 - t) - 0.1)


def _prepare(entries: Sequence[Entry], types: Sequence[str | None], threshold: int) -> _Prepared:
    descriptions = [e.description for e in entries]
    # Chronologies repeat themselves ("no reply, card left"): each distinct description is split once.
    split: dict[str, tuple[str, frozenset[str]]] = {}
    for description in descriptions:
        if description not in split:
            found = _normalised_words(description)
            split[description] = (" ".join(found), frozenset(found))
    text = [split[description][0] for description in descriptions]
    words = [split[description][1] for description in descriptions]
    frequency = Counter(chain.from_iterable(words))
    # One global order of words, rarest first (ties alphabetical): prefix filtering needs the same
    # order for every entry.
    rank = {word: n for n, word in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}.__getitem__
    containment = _min_containment(threshold)
    probe_of: dict[str, list[str]] = {}
    for description, (_, entry_words) in split.items():
        n = len(entry_words)
        keep = n - math.ceil(containment * n) + 1  # prefix filtering: a match shares one of these
        probe_of[description] = sorted(entry_words, key=rank)[: max(1, keep)]
    probe = [probe_of[description] for description in descriptions]
    day = [e.date.start.toordinal() for e in entries]
    exact: list[int] = []
    months: list[int] = []
    for index, entry in enumerate(entries):
        if len(words[index]) < MIN_SHARED_WORDS:
            continue  # a one-word description cannot show two records are the same event
        if entry.date.day is not None:
            exact.append(index)
        elif entry.date.month is not None:
            months.append(index)
    exact.sort(key=day.__getitem__)
    members_of: defaultdict[str, list[int]] = defaultdict(list)
    for index in exact:
        for word in words[index]:
            members_of[word].append(index)
    postings = {word: ([day[i] for i in members], members) for word, members in members_of.items()}
    month_postings: defaultdict[tuple[int, int, str], list[int]] = defaultdict(list)
    for index in months:
        date = entries[index].date
        for word in words[index]:
            month_postings[(date.year, date.month or 1, word)].append(index)
    return _Prepared(
        text,
        [_type_key(t) for t in types],
        [len(w) for w in words],
        probe,
        words,
        postings,
        dict(month_postings),
        day,
        descriptions,
        {},
        exact,
        months,
    )


def _exact_near(prepared: _Prepared, word: str, first_day: int, last_day: int) -> list[int]:
    """Exact-day entries holding ``word`` dated first_day..last_day."""
    found = prepared.postings.get(word)
    if found is None:
        return []
    days, members = found
    return members[bisect_left(days, first_day) : bisect_right(days, last_day)]


def find_links(
    entries: Sequence[Entry],
    window_days: int = 3,
    threshold: int = 80,
    conflict_threshold: int = 90,
    event_types: Sequence[str | None] | None = None,
) -> list[Link]:
    """Likely duplicates and conflicts between different agencies' entries, ordered by index.

    ``event_types`` gives each entry's code (e.g. from ``extract.read_types``);
    by default the agencies' own codes are used. Different dates for the same
    event are reported only when the descriptions are at least
    ``conflict_threshold`` alike and both entries carry the same event type.

    Only pairs within ``window_days`` of each other, from different agencies,
    with compatible event types and sharing one of the shorter description's
    less common words are scored; the score is rapidfuzz's token_set_ratio.
    """
    if window_days < 0:
        raise ValueError(f"window_days must not be negative, got {window_days}")
    if not 0 <= threshold <= 100 or not 0 <= conflict_threshold <= 100:
        raise ValueError("threshold and conflict_threshold must be between 0 and 100")
    types = list(event_types) if event_types is not None else [e.event_type for e in entries]
    if len(types) != len(entries):
        raise ValueError(f"event_types has {len(types)} codes for {len(entries)} entries")

    with _cyclic_gc_paused():
        return _find_links(entries, types, window_days, threshold, conflict_threshold)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while building many small lists and sets.

    Nothing built here forms reference cycles, and with a large case in memory
    each collection rescans every entry: pausing it saves about a third of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _find_links(
    entries: Sequence[Entry],
    types: Sequence[str | None],
    window_days: int,
    threshold: int,
    conflict_threshold: int,
) -> list[Link]:
    prepared = _prepare(entries, types, threshold)
    cutoff = max(0, threshold - TYPE_BONUS)
    size, type_key, agency_of = prepared.size, prepared.type_key, [e.agency for e in entries]
    links: list[Link] = []

    containment = _min_containment(threshold)
    word_sets = prepared.words

    def shorter_against(i: int, candidates: Iterable[int]) -> list[int]:
        """The candidates worth scoring with ``i`` as the shorter description (then the lower index)."""
        own_agency, own_type, own_size, own_words = agency_of[i], type_key[i], size[i], word_sets[i]
        # ``i`` is the shorter, so it must share enough of its own words (see _min_containment).
        enough = max(MIN_SHARED_WORDS, containment * own_size)
        return [
            j
            for j in set(candidates)
            if agency_of[j] != own_agency
            and (size[j] > own_size or (size[j] == own_size and j > i))
            and (own_type is None or type_key[j] is None or type_key[j] == own_type)
            and len(own_words & word_sets[j]) >= enough
        ]

    def counted_against(i: int, shared: Counter[int]) -> list[int]:
        """The candidates worth scoring, given how many words each shares with ``i``."""
        own_agency, own_type, own_size = agency_of[i], type_key[i], size[i]
        return [
            j
            for j, count in shared.items()
            if count >= MIN_SHARED_WORDS
            and agency_of[j] != own_agency
            and (own_type is None or type_key[j] is None or type_key[j] == own_type)
            # the shorter description must share enough of its words (see _min_containment)
            and count >= containment * min(own_size, size[j])
        ]

    def score_against(i: int, chosen: list[int]) -> None:
        if not chosen:
            return
        chosen.sort()  # the same links in the same order on every run
        texts = [prepared.text[j] for j in chosen]
        for _, text_score, position in process.extract(
            prepared.text[i], texts, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, limit=None
        ):
            j = chosen[position]
            a, b = (i, j) if i < j else (j, i)
            link = _judge(entries, types, prepared, a, b, text_score, threshold, conflict_threshold)
            if link is not None:
                links.append(link)

    # Exact days: each pair is scored once, from the entry with fewer words (then the lower index),
    # because prefix filtering only promises that the shorter description's rare words are shared.
    postings = prepared.postings
    for i in prepared.exact:
        first, last = prepared.day[i] - window_days, prepared.day[i] + window_days
        candidates: list[int] = []
        for word in prepared.probe[i]:
            days, members = postings[word]
            candidates += members[bisect_left(days, first) : bisect_right(days, last)]
        score_against(i, shorter_against(i, candidates))

    # Month-only entries: against every exact day their month may mean (all their words, as
    # the exact-day entry may be the shorter), and against month-only entries of the same
    # and neighbouring months.
    for i in prepared.months:
        date = entries[i].date
        first = date.start.toordinal() - window_days
        last = date.end.toordinal() + window_days
        near_months = {(date.year, date.month or 1)}
        if window_days > 0:
            for neighbour in (date.start - dt.timedelta(days=1), date.end + dt.timedelta(days=1)):
                near_months.add((neighbour.year, neighbour.month))
        # Each word has one posting per entry, so counting an entry's postings counts the words it
        # shares: no set intersections for the many entries of a busy month.
        near: list[int] = []
        for word in word_sets[i]:
            near += _exact_near(prepared, word, first, last)
        score_against(i, counted_against(i, Counter(near)))
        neighbours = [
            j
            for word in prepared.probe[i]
            for year, month in near_months
            for j in prepared.month_postings.get((year, month, word), ())
        ]
        score_against(i, shorter_against(i, neighbours))

    links.sort(key=lambda link: (link.a_index, link.b_index))
    return links


def _types_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _judge(
    entries: Sequence[Entry],
    types: Sequence[str | None],
    prepared: _Prepared,
    a: int,
    b: int,
    text_score: float,
    threshold: int,
    conflict_threshold: int,
) -> Link | None:
    """Decide whether two similar entries are a duplicate, a conflict or neither."""
    first, second = entries[a], entries[b]
    shared = prepared.words[a] & prepared.words[b]
    if len(shared) < MIN_SHARED_WORDS:
        return None
    same_type = prepared.type_key[a] is not None and prepared.type_key[a] == prepared.type_key[b]
    score = min(100, round(text_score) + (TYPE_BONUS if same_type else 0))
    if score < threshold:
        return None

    reasons = [f"descriptions alike (similarity {round(text_score)} of 100)"]
    if same_type:
        reasons.append(f"same event type: {label(types[a])}")
    facts = _fact_differences(first, second, _text_facts(prepared, a), _text_facts(prepared, b))
    dates_overlap = first.date.start <= second.date.end and second.date.start <= first.date.end

    if facts:
        if not dates_overlap:
            facts.insert(0, f"recorded on different dates: {_date_words(first, second)}")
        return Link(a, b, score, "conflict", tuple(reasons + facts))
    if dates_overlap:
        if first.date.precision is Precision.DAY and second.date.precision is Precision.DAY:
            reasons.append(f"same date: {first.date.display()}")
        else:
            reasons.append(f"dates compatible: {_date_words(first, second)}")
        return Link(a, b, score, "duplicate", tuple(reasons))
    if first.date.uncertain or second.date.uncertain:
        reasons.append(f"dates differ but one is marked uncertain: {_date_words(first, second)}")
        return Link(a, b, score, "duplicate", tuple(reasons))
    if same_type and round(text_score) >= conflict_threshold:
        reasons.append(f"recorded on different dates: {_date_words(first, second)}")
        return Link(a, b, score, "conflict", tuple(reasons))
    return None  # alike, but on different days: most likely two separate events


def _date_words(first: Entry, second: Entry) -> str:
    return f"{first.agency} {first.date.display()}, {second.agency} {second.date.display()}"


def _text_facts(prepared: _Prepared, index: int) -> TextFacts:
    """What an entry's words say about the facts checked, worked out once per distinct description."""
    text = prepared.descriptions[index]
    found = prepared.facts.get(text)
    if found is None:
        lowered = text.casefold()
        found = prepared.facts[text] = (
            tuple(check.reading(lowered) for check in FACT_CHECKS),
            _numbers(text),
        )
    return found


def _fact_differences(first: Entry, second: Entry, facts_one: TextFacts, facts_two: TextFacts) -> list[str]:
    """What the two accounts state differently, in words."""
    found: list[str] = []
    one, two = first.agency, second.agency
    if (
        first.child_seen is not None
        and second.child_seen is not None
        and first.child_seen != second.child_seen
    ):
        found.append(
            f"child seen: {_yes_no(first.child_seen)} in {one}, {_yes_no(second.child_seen)} in {two}"
        )
    if (
        first.seen_alone is not None
        and second.seen_alone is not None
        and first.seen_alone != second.seen_alone
    ):
        found.append(
            f"child seen alone: {_yes_no(first.seen_alone)} in {one}, {_yes_no(second.seen_alone)} in {two}"
        )
    for check, reading_one, reading_two in zip(FACT_CHECKS, facts_one[0], facts_two[0], strict=True):
        if check.name == "child seen" and found and found[0].startswith("child seen"):
            continue  # already stated from the structured fields
        if reading_one is not None and reading_two is not None and reading_one != reading_two:
            words_one = check.says_yes if reading_one else check.says_no
            words_two = check.says_yes if reading_two else check.says_no
            found.append(f"{one} records that {words_one}; {two} that {words_two}")
    numbers_one, numbers_two = facts_one[1], facts_two[1]
    if numbers_one and numbers_two and numbers_one != numbers_two:
        found.append(
            f"numbers differ: {one} {', '.join(sorted(numbers_one))}; {two} {', '.join(sorted(numbers_two))}"
        )
    if (
        first.outcome.strip()
        and second.outcome.strip()
        and (
            fuzz.token_set_ratio(normalise_description(first.outcome), normalise_description(second.outcome))
            < 50
        )
    ):
        found.append(f"outcomes differ: {one} “{first.outcome.strip()}”; {two} “{second.outcome.strip()}”")
    return found


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
