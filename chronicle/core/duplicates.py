"""Clusters of accounts: entries that record the same real-world event, and where the accounts differ.

Nothing is merged or deleted: a cluster is a proposal for a reviewer (CQ-02).

- **cluster** (one event, several accounts): entries of compatible event types
  on compatible dates with similar descriptions, from different agencies or
  from one agency on the same day. Two agencies recording one strategy
  discussion is corroboration, not an error. An entry belongs to at most one
  cluster.
- **conflict**: two accounts in one cluster that disagree: different dates or
  times for the event, or facts that differ (child seen or not, attended or
  not, injuries or none, different numbers, different outcomes). At most one
  conflict per pair of accounts; the reasons say what differs, in words.

Cost stays close to linear (never all pairs): only entries within
``window_days`` of each other, of compatible event types and sharing one of
the shorter description's less common words are compared (prefix filtering,
as in set-similarity joins), and the text comparison runs inside rapidfuzz.
The pairs found are then joined into clusters, the most alike first, and a
cluster never grows past ``MAX_ACCOUNTS`` entries or ``window_days``, so a
crowded case gives clusters and conflicts in proportion to its entries.
Year-only entries are too vague to link and are left out.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import multiprocessing
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
MIN_ENTRIES_PER_PROCESS = 20_000  # below this, starting a worker process costs more than it saves
MAX_ACCOUNTS = 8  # more accounts than this of one event is a crowded stretch of days, not one event
TIME_APART_MINUTES = 60  # two accounts of one day whose times are this far apart disagree on the time

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
    # Words every match of the pattern contains: a text holding none of them cannot match, and
    # looking for a few plain words is far quicker than running the pattern over every text.
    yes_needles: tuple[str, ...]
    no_needles: tuple[str, ...]

    def reading(self, text: str) -> bool | None:
        if any(needle in text for needle in self.no_needles) and self.no_pattern.search(text):
            return False
        if any(needle in text for needle in self.yes_needles) and self.yes_pattern.search(text):
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
        ("seen", "saw", "observed"),
        ("not ", "unseen", "no access", "no reply", "n't see", "unable to see"),
    ),
    FactCheck(
        "attendance",
        "the appointment was attended",
        "the appointment was not attended",
        re.compile(r"\b(attended|attends|present)\b"),
        re.compile(
            r"\b(did not attend|didn't attend|dna|was not brought|wnb|failed to attend|no show|not attended|cancelled)\b"
        ),
        ("attend", "present"),
        ("attend", "dna", "was not brought", "wnb", "no show", "cancelled"),
    ),
    FactCheck(
        "injuries",
        "injuries or marks were noted",
        "no injuries or marks were noted",
        re.compile(r"\b(injur\w*|bruis\w*|marks?|fractur\w*|burns?|cuts?)\b"),
        re.compile(
            r"\bno (visible |obvious |apparent )?(injur\w*|bruis\w*|marks?|fractur\w*|burns?|cuts?)\b"
        ),
        ("injur", "bruis", "mark", "fractur", "burn", "cut"),
        ("no ",),
    ),
)


@dataclass(frozen=True, slots=True)
class Link:
    """Two accounts (indices into the list given) of one event: alike ("duplicate") or differing ("conflict")."""

    a_index: int
    b_index: int
    score: int  # 0-100: description similarity, plus a little when the event types agree
    kind: LinkKind
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cluster:
    """Entries that seem to record one real-world event: one event, several accounts."""

    members: tuple[int, ...]  # indices in order; the first is the first account
    links: tuple[Link, ...]  # one per later account: how it compares with the first account
    conflicts: tuple[Link, ...]  # every pair of accounts that differ, at most one per pair

    @property
    def first(self) -> int:
        return self.members[0]

    def agencies(self, entries: Sequence[Entry]) -> list[str]:
        """The agencies giving an account, in the order of their first account, each once."""
        return list(dict.fromkeys(entries[i].agency for i in self.members))

    def words(self, entries: Sequence[Entry]) -> str:
        """In plain words, e.g. "One event, 3 accounts: Police, Health, Children's Social Care"."""
        counts = Counter(entries[i].agency for i in self.members)  # in order of first account
        named = ", ".join(f"{agency} ({n} accounts)" if n > 1 else agency for agency, n in counts.items())
        return f"One event, {len(self.members)} accounts: {named}"


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
# A pair that may record one event: first index, second index, score, and the descriptions'
# rounded text score (without the bonus for a shared event type).
Pair = tuple[int, int, int, int]


@dataclass(slots=True)
class _Prepared:
    """What the comparison needs of each entry, worked out once."""

    text: list[str]  # the distinct words of each description, sorted: what token_set_ratio compares
    type_key: list[str | None]
    size: list[int]  # distinct words in the normalised description
    probe: list[list[str]]  # the rarest words, enough that any match must share one of them
    words: list[frozenset[str]]  # all distinct words
    postings: dict[str, tuple[list[int], list[int]]]  # word -> (days, entries), exact-day entries by day
    month_postings: dict[tuple[int, int, str], list[int]]  # (year, month, word) -> month-only entries
    day: list[int]  # ordinal of the first day each entry may mean
    last_day: list[int]  # ordinal of the last day each entry may mean
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
            distinct = frozenset(_normalised_words(description))
            # token_set_ratio reads only the set of words, so each word once and in order gives the
            # same scores, and rapidfuzz splits and sorts the shorter text quicker (a fifth of the cost).
            split[description] = (" ".join(sorted(distinct)), distinct)
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
        [e.date.end.toordinal() for e in entries],
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


def find_clusters(
    entries: Sequence[Entry],
    window_days: int = 3,
    threshold: int = 80,
    conflict_threshold: int = 90,
    event_types: Sequence[str | None] | None = None,
    processes: int = 1,
) -> list[Cluster]:
    """Entries that seem to record the same event, grouped: one cluster per event, ordered by first account.

    ``event_types`` gives each entry's code (e.g. from ``extract.read_types``);
    by default the agencies' own codes are used. Entries of one agency join
    only on dates that overlap (an agency repeats its routine on other days).
    Different dates for one event are taken as the same event only when the
    descriptions are at least ``conflict_threshold`` alike and both entries
    carry the same event type, or their facts differ.

    An entry belongs to at most one cluster. A cluster holds at most
    ``MAX_ACCOUNTS`` entries, all within ``window_days`` of each other, so
    clusters and conflicts grow with the entries, never with their pairs.

    With ``processes`` above 1 and a large case, the search for pairs is shared among that many
    worker processes; the clusters are the same.
    """
    if window_days < 0:
        raise ValueError(f"window_days must not be negative, got {window_days}")
    if not 0 <= threshold <= 100 or not 0 <= conflict_threshold <= 100:
        raise ValueError("threshold and conflict_threshold must be between 0 and 100")
    types = list(event_types) if event_types is not None else [e.event_type for e in entries]
    if len(types) != len(entries):
        raise ValueError(f"event_types has {len(types)} codes for {len(entries)} entries")

    with _cyclic_gc_paused():
        prepared = _prepare(entries, types, threshold)
        pairs = _candidate_pairs(entries, prepared, window_days, threshold, conflict_threshold, processes)
        # Each pair's text score, kept so the accounts of a cluster are not compared a second time.
        text_scores = {(a, b): text_score for a, b, _, text_score in pairs}
        groups = _group(pairs, prepared, window_days)
        return [_cluster(entries, types, prepared, members, text_scores) for members in groups]


def candidate_pairs(
    entries: Sequence[Entry],
    window_days: int = 3,
    threshold: int = 80,
    conflict_threshold: int = 90,
    event_types: Sequence[str | None] | None = None,
) -> list[tuple[int, int, int]]:
    """Every pair that may record the same event, as (first index, second index, score), in index order.

    What ``find_clusters`` groups; more pairs than it reports on a crowded case.
    """
    types = list(event_types) if event_types is not None else [e.event_type for e in entries]
    prepared = _prepare(entries, types, threshold)
    found = _candidate_pairs(entries, prepared, window_days, threshold, conflict_threshold)
    return sorted((a, b, score) for a, b, score, _ in found)


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


def _candidate_pairs(
    entries: Sequence[Entry],
    prepared: _Prepared,
    window_days: int,
    threshold: int,
    conflict_threshold: int,
    processes: int = 1,
) -> list[Pair]:
    """Every pair that may record one event, each found once, from its shorter entry (or its month-only one).

    Each entry's pairs are found on their own, so the entries may be shared among ``processes``
    worker processes (forked: they start with everything prepared) and the pairs put together.
    """
    workers = min(processes, len(prepared.exact) // MIN_ENTRIES_PER_PROCESS)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _pairs_from(
            entries, prepared, window_days, threshold, conflict_threshold, prepared.exact, True
        )
    size = -(-len(prepared.exact) // (workers * 4))
    chunks = [(start, start + size) for start in range(0, len(prepared.exact), size)]
    global _FORKED_WORK
    _FORKED_WORK = (entries, prepared, window_days, threshold, conflict_threshold)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            found = pool.map(_forked_pairs, chunks)
    finally:
        _FORKED_WORK = None
    return list(chain.from_iterable(found))


# What forked workers find pairs in: set just before forking, so each worker starts with it.
_FORKED_WORK: tuple[Sequence[Entry], _Prepared, int, int, int] | None = None


def _forked_pairs(chunk: tuple[int, int]) -> list[Pair]:
    """The pairs found from exact-day entries chunk[0]:chunk[1] (and, with the first chunk, month-only ones)."""
    assert _FORKED_WORK is not None
    entries, prepared, window_days, threshold, conflict_threshold = _FORKED_WORK
    first, last = chunk
    exact = prepared.exact[first:last]
    return _pairs_from(entries, prepared, window_days, threshold, conflict_threshold, exact, first == 0)


def _pairs_from(
    entries: Sequence[Entry],
    prepared: _Prepared,
    window_days: int,
    threshold: int,
    conflict_threshold: int,
    exact: Sequence[int],
    with_months: bool,
) -> list[Pair]:
    """The pairs found from the exact-day entries ``exact``, and from the month-only ones when ``with_months``."""
    cutoff = max(0, threshold - TYPE_BONUS)
    size, type_key, text = prepared.size, prepared.type_key, prepared.text
    # Agencies as numbers: comparing small ints is the cheapest test in the inner loops.
    agency_number: dict[str, int] = {}
    agency_of = [agency_number.setdefault(e.agency, len(agency_number)) for e in entries]
    start, end = prepared.day, prepared.last_day
    uncertain = [e.date.uncertain for e in entries]
    pairs: list[Pair] = []

    containment = _min_containment(threshold)
    word_sets = prepared.words
    ratio, extract = fuzz.token_set_ratio, process.extract

    def shorter_against(i: int, candidates: Iterable[int]) -> list[int]:
        """The candidates worth scoring with ``i`` as the shorter description (then the lower index)."""
        own_type, own_size, own_words = type_key[i], size[i], word_sets[i]
        own_agency, own_start, own_end = agency_of[i], start[i], end[i]
        # ``i`` is the shorter, so it must share enough of its own words (see _min_containment).
        enough = max(MIN_SHARED_WORDS, containment * own_size)
        return [
            j
            for j in set(candidates)
            if (size[j] > own_size or (size[j] == own_size and j > i))
            and (own_type is None or type_key[j] is None or type_key[j] == own_type)
            # different agencies, or one agency on overlapping dates
            and (agency_of[j] != own_agency or (start[j] <= own_end and own_start <= end[j]))
            and len(own_words & word_sets[j]) >= enough
        ]

    def counted_against(i: int, shared: Counter[int]) -> list[int]:
        """The candidates worth scoring, given how many words each shares with ``i``."""
        own_type, own_size = type_key[i], size[i]
        own_agency, own_start, own_end = agency_of[i], start[i], end[i]
        return [
            j
            for j, count in shared.items()
            if count >= MIN_SHARED_WORDS
            and (own_type is None or type_key[j] is None or type_key[j] == own_type)
            # the shorter description must share enough of its words (see _min_containment)
            and count >= containment * min(own_size, size[j])
            and (agency_of[j] != own_agency or (start[j] <= own_end and own_start <= end[j]))
        ]

    def score_against(i: int, chosen: list[int]) -> None:
        """Keep the pairs of ``i`` and each chosen entry that may record one event.

        Every chosen entry already shares at least MIN_SHARED_WORDS words with ``i``.
        """
        if not chosen:
            return
        own_type = type_key[i]
        # process.extract reads i's words once for all the chosen entries.
        for _, text_score, position in extract(
            text[i], [text[j] for j in chosen], scorer=ratio, score_cutoff=cutoff, limit=None
        ):
            j = chosen[position]
            rounded = round(text_score)
            same_type = own_type is not None and own_type == type_key[j]
            score = min(100, rounded + (TYPE_BONUS if same_type else 0))
            if score < threshold:
                continue
            a, b = (i, j) if i < j else (j, i)
            if (
                (start[a] <= end[b] and start[b] <= end[a])  # dates overlap
                or uncertain[a]
                or uncertain[b]
                or (same_type and rounded >= conflict_threshold)
                # alike, a few days apart, and disagreeing: two accounts of one event to compare
                or _facts_differ(entries[a], entries[b], _text_facts(prepared, a), _text_facts(prepared, b))
            ):
                pairs.append((a, b, score, rounded))
            # else alike, but on different days: most likely two separate events

    # Exact days: each pair is scored once, from the entry with fewer words (then the lower index),
    # because prefix filtering only promises that the shorter description's rare words are shared.
    postings = prepared.postings
    for i in exact:
        first, last = start[i] - window_days, start[i] + window_days
        candidates: list[int] = []
        for word in prepared.probe[i]:
            days, members = postings[word]
            candidates += members[bisect_left(days, first) : bisect_right(days, last)]
        score_against(i, shorter_against(i, candidates))

    # Month-only entries: against every exact day their month may mean (all their words, as
    # the exact-day entry may be the shorter), and against month-only entries of the same
    # and neighbouring months.
    for i in prepared.months if with_months else ():
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
    return pairs


def _group(pairs: list[Pair], prepared: _Prepared, window_days: int) -> list[list[int]]:
    """Join pairs into clusters, the most alike first, keeping each cluster small and local in time.

    A join is refused when the cluster would hold more than ``MAX_ACCOUNTS`` entries or span
    more than ``window_days`` (latest first day to earliest last day), so a crowded stretch of days
    never chains into one giant cluster.
    """
    pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    latest_start: dict[int, int] = {}
    earliest_end: dict[int, int] = {}

    def root(i: int) -> int:
        if i not in parent:
            parent[i] = i
            members[i] = [i]
            latest_start[i] = prepared.day[i]
            earliest_end[i] = prepared.last_day[i]
            return i
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _, _ in pairs:
        ra, rb = root(a), root(b)
        if ra == rb or len(members[ra]) + len(members[rb]) > MAX_ACCOUNTS:
            continue
        start = max(latest_start[ra], latest_start[rb])
        end = min(earliest_end[ra], earliest_end[rb])
        if start - end > window_days:
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] += members.pop(rb)
        latest_start[ra], earliest_end[ra] = start, end
    return sorted(sorted(group) for group in members.values() if len(group) > 1)


def _cluster(
    entries: Sequence[Entry],
    types: Sequence[str | None],
    prepared: _Prepared,
    members: list[int],
    text_scores: dict[tuple[int, int], int],
) -> Cluster:
    """The cluster's accounts compared: each later account with the first, and every pair for differences."""
    first = members[0]
    compared: dict[tuple[int, int], Link] = {}
    for n, a in enumerate(members):
        for b in members[n + 1 :]:
            compared[(a, b)] = _compare(entries, types, prepared, a, b, text_scores.get((a, b)))
    return Cluster(
        members=tuple(members),
        links=tuple(compared[(first, b)] for b in members[1:]),
        conflicts=tuple(link for link in compared.values() if link.kind == "conflict"),
    )


def _compare(
    entries: Sequence[Entry],
    types: Sequence[str | None],
    prepared: _Prepared,
    a: int,
    b: int,
    text_score: int | None = None,
) -> Link:
    """Two accounts of one event side by side: a conflict when they differ, else a duplicate.

    ``text_score`` is the descriptions' rounded token_set_ratio when already worked out.
    """
    first, second = entries[a], entries[b]
    if text_score is None:
        text_score = round(fuzz.token_set_ratio(prepared.text[a], prepared.text[b]))
    same_type = prepared.type_key[a] is not None and prepared.type_key[a] == prepared.type_key[b]
    score = min(100, text_score + (TYPE_BONUS if same_type else 0))
    reasons = [f"descriptions alike (similarity {text_score} of 100)"]
    if same_type:
        reasons.append(f"same event type: {label(types[a])}")
    differences = _fact_differences(first, second, _text_facts(prepared, a), _text_facts(prepared, b))
    dates_overlap = first.date.start <= second.date.end and second.date.start <= first.date.end
    if not dates_overlap and not (first.date.uncertain or second.date.uncertain):
        differences.insert(0, f"recorded on different dates: {_date_words(first, second)}")
    elif (
        dates_overlap
        and first.time is not None
        and second.time is not None
        and abs(_minutes(first.time) - _minutes(second.time)) >= TIME_APART_MINUTES
    ):
        differences.insert(
            0,
            f"recorded at different times: {first.agency} {first.time:%H:%M}, "
            f"{second.agency} {second.time:%H:%M}",
        )
    if differences:
        return Link(a, b, score, "conflict", tuple(reasons + differences))
    if not dates_overlap:
        reasons.append(f"dates differ but one is marked uncertain: {_date_words(first, second)}")
    elif first.date.precision is Precision.DAY and second.date.precision is Precision.DAY:
        reasons.append(f"same date: {first.date.display()}")
    else:
        reasons.append(f"dates compatible: {_date_words(first, second)}")
    return Link(a, b, score, "duplicate", tuple(reasons))


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


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
    """What the two accounts state differently, in words (``_facts_differ`` asks the same without them)."""
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


def _facts_differ(first: Entry, second: Entry, facts_one: TextFacts, facts_two: TextFacts) -> bool:
    """Whether ``_fact_differences`` finds anything, without putting it into words."""
    if (
        first.child_seen is not None
        and second.child_seen is not None
        and first.child_seen != second.child_seen
    ):
        return True
    if (
        first.seen_alone is not None
        and second.seen_alone is not None
        and first.seen_alone != second.seen_alone
    ):
        return True
    for reading_one, reading_two in zip(facts_one[0], facts_two[0], strict=True):
        if reading_one is not None and reading_two is not None and reading_one != reading_two:
            return True
    numbers_one, numbers_two = facts_one[1], facts_two[1]
    if numbers_one and numbers_two and numbers_one != numbers_two:
        return True
    return bool(
        first.outcome.strip()
        and second.outcome.strip()
        and fuzz.token_set_ratio(normalise_description(first.outcome), normalise_description(second.outcome))
        < 50
    )


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
