"""Reading events from words: spaCy's sentence splitter, medspaCy's target matcher and ConText.

One pipeline is built per process from the data files (``rules.py``): the
target matcher finds the words that name an event type, ConText finds the
modifiers (negation, plans, time references, whom it is about) and which
targets each reaches within its sentence. What follows is small and plain:
who made a visit (and who made it with them), injury details from the
sentence, one event per type and attributes, the types another stands in for
("no access" for the visit), and a visit or meeting booked again ("rebooked").
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import Any

from medspacy.common.util import prune_overlapping_matches
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from chronicle.core.events import Event, Injury, ReferralSaid, Subject
from chronicle.core.extract.rules import (
    DATA,
    HISTORICAL,
    HYPOTHETICAL,
    NEGATED,
    SUBJECT_PREFIX,
    ModifierRule,
    Pattern,
    RuleError,
    Rules,
    TargetRule,
    load_rules,
    phrase_pattern,
    variants,
)

TARGET_RULE = "chronicle_rule"  # the medspaCy rule's metadata key holding our TargetRules
TARGETS = "chronicle_targets"  # the span group medspaCy's own target matcher fills (kept for comparing)
TARGET_MATCHER = "medspacy_target_matcher"
CONTEXT = "medspacy_context"


def _expand(nlp: Language, pattern: Pattern, where: str) -> Pattern:
    """Split a pattern's plain words the way the tokenizer splits text ("children's" is two tokens)."""
    expanded: Pattern = []
    for token in pattern:
        lower = token.get("LOWER")
        if isinstance(lower, str):
            pieces = [t.lower_ for t in nlp.tokenizer(lower)]
            if len(pieces) > 1:
                if "OP" in token:
                    raise RuleError(f"{where}: {lower!r} is several words to spaCy and cannot be optional")
                expanded.extend({"LOWER": piece} for piece in pieces)
                continue
        elif isinstance(lower, dict) and "IN" in lower:
            for choice in lower["IN"]:
                if len(nlp.tokenizer(choice)) > 1:
                    raise RuleError(
                        f"{where}: the choice {choice!r} is several words to spaCy; write it as a phrase"
                    )
        expanded.append(token)
    return expanded


def _forms(
    nlp: Language, phrase: str, pattern: Pattern | None, kind: str
) -> list[tuple[str, Pattern | None]]:
    """A rule's plain phrases (for the fast phrase matcher), or its token pattern when it needs one."""
    plain = variants(phrase)
    if plain is not None:
        return [(literal, None) for literal in plain]
    assert pattern is not None
    return [(phrase, _expand(nlp, pattern, f"{kind} {phrase!r}"))]


@dataclass(frozen=True, slots=True)
class _Reach:
    """How far a modifier's words reach, joined over the groups that list them."""

    pattern: Pattern | None
    direction: str
    max_scope: int | None
    types: tuple[str, ...]  # () for every type

    def join(self, rule: ModifierRule) -> _Reach:
        reaching = ("FORWARD", "BACKWARD", "BIDIRECTIONAL")
        direction = self.direction
        if rule.direction != direction and {direction, rule.direction} <= set(reaching):
            direction = "BIDIRECTIONAL"
        scope = (
            None
            if None in (self.max_scope, rule.max_scope)
            else max(self.max_scope or 0, rule.max_scope or 0)
        )
        types = () if not (self.types and rule.types) else tuple(dict.fromkeys((*self.types, *rule.types)))
        return _Reach(self.pattern, direction, scope, types)


@cache
def pipeline() -> Language:
    """The pipeline, built once per process (worker processes share it when forked)."""
    import medspacy
    from medspacy.context import ConTextRule
    from medspacy.target_matcher import TargetRule as MedTargetRule

    rules = load_rules()
    nlp: Language = medspacy.load(
        medspacy_enable=["medspacy_target_matcher", "medspacy_context"], load_rules=False
    )
    nlp.add_pipe("sentencizer", first=True)
    matcher: Any = nlp.get_pipe(TARGET_MATCHER)
    # Targets go to a span group, not doc.ents: setting entities one by one is most of the matcher's cost.
    matcher.result_type = "group"
    matcher.span_group_name = TARGETS
    # medspaCy keys its rules by their words: rules with the same words (a generic phrase and an
    # agency's own) share one target, and each is weighed when the target is read.
    by_literal: dict[str, tuple[Pattern | None, list[TargetRule]]] = {}
    for rule in rules.targets:
        for literal, pattern in _forms(nlp, rule.phrase, rule.pattern, "target"):
            by_literal.setdefault(literal, (pattern, []))[1].append(rule)
    categories = {literal: _category(same) for literal, (_, same) in by_literal.items()}
    matcher.add(
        [
            MedTargetRule(
                literal=literal,
                category=categories[literal],
                pattern=pattern,
                metadata={TARGET_RULE: tuple(same)},
            )
            for literal, (pattern, same) in by_literal.items()
        ]
    )
    context: Any = nlp.get_pipe(CONTEXT)
    context.input_span_type = "group"
    context.span_group_name = TARGETS
    context.prune_on_target_overlap = True  # words inside a target ("no further action") modify nothing
    context.context_attributes_mapping = None  # events read the modifiers themselves
    labels = set(categories.values())
    # The same words in the same category both before and after an event ("father", "declined",
    # "planned") reach both ways: one rule, not two that hide each other (medspaCy keeps one of two
    # modifiers on the same words).
    merged: dict[tuple[str, str], _Reach] = {}
    for modifier in rules.modifiers:
        for literal, pattern in _forms(nlp, modifier.phrase, modifier.pattern, "modifier"):
            key = (literal, modifier.category)
            reach = merged.get(key)
            merged[key] = (
                _Reach(pattern, modifier.direction, modifier.max_scope, modifier.types)
                if reach is None
                else reach.join(modifier)
            )
    # medspaCy keys its rules by their words: a phrase in two categories gets a token pattern and a
    # distinct name the second time.
    used: set[str] = set()

    def distinct(literal: str, pattern: Pattern | None, category: str) -> tuple[str, Pattern | None]:
        if literal not in used:
            used.add(literal)
            return literal, pattern
        return f"{literal} ({category.lower()})", pattern or [
            {"LOWER": t.lower_} for t in nlp.tokenizer(literal)
        ]

    context.add(
        [
            ConTextRule(
                literal=name,
                category=category,
                pattern=pattern,
                direction=reach.direction,
                max_scope=reach.max_scope,
                allowed_types=(
                    {label for label in labels if set(label.split("+")) & set(reach.types)}
                    if reach.types
                    else None
                ),
            )
            for (literal, category), reach in merged.items()
            for name, pattern in [distinct(literal, reach.pattern, category)]
        ]
    )
    # ``read_doc`` runs both matchers and ConText's scope rules itself (``_context``), on plain tuples:
    # the components' own calls make a Span, extension values and a graph object for every match,
    # most of the reading's cost. They stay in the pipeline, disabled, for comparing the two.
    nlp.disable_pipe(TARGET_MATCHER)
    nlp.disable_pipe(CONTEXT)
    return nlp


@cache
def _matchers() -> tuple[PhraseMatcher, Matcher]:
    """Matchers for the words read around an event: actors, injury sites, explanations, referrals."""
    nlp, rules = pipeline(), load_rules()
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    patterns = Matcher(nlp.vocab)

    def add(key: str, items: Iterable[str]) -> None:
        for item in items:
            plain = variants(item)
            if plain is not None:
                phrases.add(key, [nlp.make_doc(text) for text in plain])
            else:
                pattern = phrase_pattern(item, DATA, key)
                assert pattern is not None
                patterns.add(key, [_expand(nlp, pattern, key)])

    for generic, by_code in rules.actors.items():
        for code, items in by_code.items():
            add(f"actor:{generic}:{code}", items)
    for generic, items in rules.actor_joined_by.items():
        add(f"joined:{generic}", items)
    add("again", rules.again)
    add("phone", rules.by_phone)
    add("said", rules.said)
    add("harm", rules.harm)
    add("speaker:parent", rules.parent_speakers)
    add("not_between", rules.not_between)
    for kind, items in rules.own_roles.items():
        add(f"own:{kind}", items)
    for site, items in rules.sites.items():
        add(f"site:{site}", items)
    for explained, items in rules.explained.items():
        add(f"explained:{explained}", items)
    for said, items in rules.referral.items():
        add(f"referral:{said}", items)
    for subject, items in rules.entry_subject.items():
        add(f"entry:{subject.name}", items)
    return phrases, patterns


@cache
def _people_matcher() -> PhraseMatcher:
    """People and pronouns (plain phrases), matched only in entries with an event about one person."""
    nlp, rules = pipeline(), load_rules()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for key, items in rules.people.items():
        if key not in ("types", "household", "first_named") and not key.startswith("follows:"):
            matcher.add(key, [nlp.make_doc(text) for item in items for text in variants(item) or (item,)])
    return matcher


def _people(doc: Doc) -> list[_Person]:
    """The people and pronouns in an entry, in order."""
    people: list[_Person] = []
    for match_id, start, end in _people_matcher()(doc):
        who, gender = doc.vocab.strings[match_id].split(":")
        if who == "pronoun":
            people.append(_Person(start, end, None, gender, doc[start].lower_ in ("her", "him")))
        elif who == "none":
            people.append(_Person(start, end, None, ""))  # "child protection": words, not a person
        else:
            people.append(_Person(start, end, Subject(who), gender))
    return _named(sorted(people, key=lambda p: (p.start, -p.end)), doc)


@dataclass(slots=True)
class _Found:
    """An event while it is being read."""

    type: str
    negated: bool
    hypothetical: bool
    historical: bool
    subject: Subject
    words: list[str]
    sentence: int  # the sentence's start token, to read the words around it
    kinds: list[str]
    start: int = 0  # the first token of its words
    said: bool = True  # whether the entry's words say whom it is about (not only the entry's default)

    def key(self) -> tuple[str, bool, bool, bool]:
        # Mentions of one type that the entry says the same of are one event, about whom the first
        # mention says ("disclosed that dad hits her": one allegation).
        return (self.type, self.negated, self.hypothetical, self.historical)


def read_docs(docs: Iterable[tuple[Doc, str, str]]) -> Iterator[tuple[Event, ...]]:
    """Events for each (doc, agency type, suggested code) in order."""
    for doc, agency_type, suggested in docs:
        yield read_doc(doc, agency_type, suggested)


@dataclass(frozen=True, slots=True)
class Target:
    """Words that name an event, and the modifiers ConText found reaching them (category, start, end)."""

    start: int
    end: int
    text: str
    label: str
    rules: tuple[TargetRule, ...]
    modifiers: tuple[tuple[str, int, int], ...]
    # Plans in another event's words that reach this one ("invitation to the ICPC": the invitation is an
    # event, and medspaCy drops a modifier that overlaps one).
    plans: tuple[tuple[str, int, int], ...] = ()


@dataclass(slots=True)
class _Modifier:
    """A ConText modifier found in a doc, with its scope (medspaCy's ConTextModifier, as plain values)."""

    start: int
    end: int
    rule: Any  # medspaCy's ConTextRule
    direction: str
    category: str
    scope_start: int
    scope_end: int


@cache
def _matchers_of_pipeline() -> tuple[Any, Any]:
    """medspaCy's own matchers for targets and modifiers, holding the rules ``pipeline`` added."""
    nlp = pipeline()
    # Both components keep their MedspacyMatcher (phrase and token matchers, then the longest of
    # overlapping matches) in a private attribute; it is the only way to run them without their call.
    targets: Any = nlp.get_pipe(TARGET_MATCHER)
    modifiers: Any = nlp.get_pipe(CONTEXT)
    return targets._TargetMatcher__matcher, modifiers._ConText__matcher


Match = tuple[int, int, int]  # a spaCy match: rule id, start, end


def _targets_for(matcher: Any, doc: Doc, agency_type: str | None) -> tuple[list[Match], list[Match]]:
    """The target matcher's matches, the longest of overlapping ones kept: all, and those the agency's words name."""
    if agency_type is None:
        every = list(matcher(doc))
        return every, every
    # MedspacyMatcher.__call__'s steps (its three matchers, then pruning), with the agency's filter between.
    matches = [
        *matcher._MedspacyMatcher__matcher(doc),
        *matcher._MedspacyMatcher__phrase_matcher(doc),
        *matcher._MedspacyMatcher__regex_matcher(doc),
    ]
    if not matches:
        return [], []
    strings = doc.vocab.strings
    kept = [m for m in matches if _named_in(matcher.rule_map[strings[m[0]]], agency_type)]
    every = prune_overlapping_matches(matches)
    return every, (every if len(kept) == len(matches) else prune_overlapping_matches(kept) if kept else [])


def _named_in(rule: Any, agency_type: str) -> bool:
    return any(not r.types or not r.agencies or agency_type in r.agencies for r in rule.metadata[TARGET_RULE])


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[0] < a[1] or a[0] < b[1] <= a[1]  # medspaCy's tuple_overlaps, as it is


def _context(
    doc: Doc, sentence_of: list[int], sentence_end: list[int], agency_type: str | None = None
) -> list[Target]:
    """The targets in a doc and the modifiers reaching each: medspaCy's ConText, step for step.

    The steps of ``ConText.__call__`` (``ConTextModifier`` scopes within the sentence and
    ``max_scope``, ``ConTextGraph.update_scopes`` and ``apply_modifiers`` with targets
    pruning the modifiers they overlap), on plain values instead of spaCy spans and
    extension attributes. ``tests/core/test_extract_context.py`` checks the results
    are medspaCy's own.

    With ``agency_type``, words that name an event only in other agencies' records are set
    aside before the longest of overlapping targets is kept: a school's "not brought for"
    (absence) does not hide a hospital's "not brought" (a missed appointment). They still
    name an event, so they still take the modifiers they overlap out of play, as before.
    """
    target_matcher, modifier_matcher = _matchers_of_pipeline()
    strings = doc.vocab.strings
    every, named = _targets_for(target_matcher, doc, agency_type)
    found = [(start, end, target_matcher.rule_map[strings[rule_id]]) for rule_id, start, end in named]
    if not found:
        return []
    modifiers: list[_Modifier] = []
    for rule_id, start, end in modifier_matcher(doc):
        rule = modifier_matcher.rule_map[strings[rule_id]]
        first, last = sentence_of[start], sentence_end[start]
        direction, scope = rule.direction, rule.max_scope
        if direction == "FORWARD":
            scope_start, scope_end = end, last
            if scope is not None and scope_end - scope_start > scope:
                scope_end = end + scope
        elif direction == "BACKWARD":
            scope_start, scope_end = first, start
            if scope is not None and scope_end - scope_start > scope:
                scope_start = start - scope
        else:
            scope_start, scope_end = first, last
            if scope is not None and start - scope_start > scope:
                scope_start = start - scope
            if scope is not None and scope_end - end > scope:
                scope_end = end + scope
        modifiers.append(_Modifier(start, end, rule, direction, rule.category, scope_start, scope_end))
    for i, one in enumerate(modifiers):
        for other in modifiers[i + 1 :]:
            _limit_scope(one, other)
            _limit_scope(other, one)
    kept: list[_Modifier] = []
    dropped: list[_Modifier] = []  # plans only: medspaCy drops a modifier that overlaps an event's words
    for m in modifiers:
        if not any(_overlaps((start, end), (m.start, m.end)) for _, start, end in every):
            kept.append(m)
        elif m.category == HYPOTHETICAL and any(
            _overlaps((start, end), (m.start, m.end)) for start, end, _ in found
        ):
            dropped.append(
                m
            )  # (words only other agencies' records name still take their modifiers out of play)
    reaching: list[list[tuple[str, int, int]]] = [[] for _ in found]
    _reach(kept, found, reaching)
    planned: list[list[tuple[str, int, int]]] = [[] for _ in found]
    if dropped:
        _reach_planned(dropped, found, planned)
    return [
        Target(
            start,
            end,
            doc[start:end].text,
            rule.category,
            rule.metadata[TARGET_RULE],
            tuple(mods),
            tuple(more),
        )
        for (start, end, rule), mods, more in zip(found, reaching, planned, strict=True)
    ]


def _reach_planned(
    dropped: list[_Modifier], found: list[tuple[int, int, Any]], planned: list[list[tuple[str, int, int]]]
) -> None:
    """Plans in an event's words that still say something of events: their own or others'."""
    others: list[_Modifier] = []
    for m in dropped:
        overlapped = [(start, end) for start, end, _ in found if _overlaps((start, end), (m.start, m.end))]
        # words that begin with an event's and run on ("invitation to") reach the other events
        if all(m.start <= start and end < m.end for start, end in overlapped):
            others.append(m)
        # words that run into an event's own ("to visit", "to call round") make it planned
        for index, (start, _end, _rule) in enumerate(found):
            if m.start < start < m.end:
                planned[index].append((m.category, m.start, m.end))
    _reach(others, found, planned)


def _reach(
    modifiers: list[_Modifier], found: list[tuple[int, int, Any]], reaching: list[list[tuple[str, int, int]]]
) -> None:
    """Add each modifier to the targets in its scope (medspaCy's ``apply_modifiers``)."""
    for modifier in modifiers:
        if modifier.direction in ("TERMINATE", "PSEUDO"):
            continue
        allowed, excluded = modifier.rule.allowed_types, modifier.rule.excluded_types
        span, scope = (modifier.start, modifier.end), (modifier.scope_start, modifier.scope_end)
        for index, (start, end, rule) in enumerate(found):
            if _overlaps(span, (start, end)):
                continue
            label = rule.category.upper()
            if allowed is not None and label not in allowed:
                continue
            if allowed is None and excluded is not None and label in excluded:
                continue
            if _overlaps(scope, (start, end)):
                reaching[index].append((modifier.category, modifier.start, modifier.end))


def _limit_scope(one: _Modifier, other: _Modifier) -> None:
    """medspaCy's ``ConTextModifier.limit_scope``: a modifier's reach ends where another of its kind starts."""
    if not _overlaps((one.scope_start, one.scope_end), (other.scope_start, other.scope_end)):
        return
    if one.direction == "TERMINATE":
        return
    if (
        other.direction != "TERMINATE"
        and other.category not in one.rule.terminated_by
        and other.category != one.category
    ):
        return
    if one.category == other.category and (
        one.rule.allowed_types != other.rule.allowed_types
        or one.rule.excluded_types != other.rule.excluded_types
    ):
        return
    if one.direction in ("FORWARD", "BIDIRECTIONAL") and other.start > one.start:
        one.scope_end = min(one.scope_end, other.start)
    if one.direction in ("BACKWARD", "BIDIRECTIONAL") and other.end < one.end:
        one.scope_start = max(one.scope_start, other.end)


def read_doc(doc: Doc, agency_type: str = "", suggested: str = "") -> tuple[Event, ...]:
    sentence_of, sentence_end = _sentences(doc)
    targets = _listed(_context(doc, sentence_of, sentence_end, agency_type), doc)
    if not targets:
        return ()
    rules = load_rules()
    phrases, patterns = _matchers()
    around: dict[int, list[tuple[str, int, int]]] = {}  # sentence start -> (key, start, end)
    entry_subject = Subject.CHILD
    in_targets = {i for target in targets for i in range(target.start, target.end)}
    again: list[tuple[int, int]] = []
    harmed = False  # words of harm somewhere ("kicked"): reported speech may make an allegation
    for match_id, start, end in [*phrases(doc), *patterns(doc)]:
        key = doc.vocab.strings[match_id]
        if key.startswith("site:") and in_targets.intersection(range(start, end)):
            continue  # "finger-mark bruising" says nothing about the hand
        if key.startswith("entry:"):
            if start <= 1:  # only the entry's opening words say whom it is about
                entry_subject = Subject[key.removeprefix("entry:")]
            continue
        if key == "again":
            again.append((start, end))
            continue
        harmed = harmed or key == "harm"
        around.setdefault(sentence_of[start], []).append((key, start, end))
    personal = set(rules.people.get("types", ()))
    people = _people(doc) if any(personal.intersection(r.types) for t in targets for r in t.rules) else []
    found: list[_Found] = []
    for target in targets:
        for rule in target.rules:
            if not rule.types or (rule.agencies and agency_type not in rule.agencies):
                continue
            _read_target(
                target, rule, sentence_of, around, agency_type, suggested, entry_subject, rules, found, people
            )
    found, dropped = _suppress(found, rules)
    types = {f.type for f in found}
    if "no_access" in types:
        found = _not_by_phone(found, dropped, around, rules)
    if types & rules.meetings:
        found = _not_at_a_meeting(found, rules)
    if harmed:
        found = _told_of_harm(found, around, doc, sentence_of, rules)
    if again:
        found = _booked_again(found, dropped, sorted(again), in_targets, doc, sentence_of, agency_type, rules)
    found = _follow(found, rules)
    return tuple(_merge(found, doc, around))


LISTED = frozenset({"and", "or", ",", "&", "/"})
SHARED = frozenset({NEGATED, HYPOTHETICAL})


def _listed(targets: list[Target], doc: Doc) -> list[Target]:
    """Events listed together share what is said of the list ("skeletal survey and CT head planned").

    ConText ends a modifier's reach at "and"; when only "and", "or" or a comma stand between two
    events, a plan or negation after the last reaches back to the others, and one before the first
    reaches on.
    """
    if len(targets) < 2:
        return targets
    joined = [
        0 < b.start - a.end <= 2 and all(t.lower_ in LISTED for t in doc[a.end : b.start])
        for a, b in pairwise(targets)
    ]
    if not any(joined):
        return targets
    extra: list[list[tuple[str, int, int]]] = [[] for _ in targets]
    for i in range(1, len(targets)):  # a modifier before the list reaches on
        if joined[i - 1]:
            head = targets[i - 1]
            extra[i] += [m for m in (*head.modifiers, *extra[i - 1]) if m[0] in SHARED and m[2] <= head.start]
    for i in range(len(targets) - 2, -1, -1):  # a modifier after the list reaches back
        if joined[i]:
            tail = targets[i + 1]
            extra[i] += [m for m in (*tail.modifiers, *extra[i + 1]) if m[0] in SHARED and m[1] >= tail.end]
    return [
        replace(target, plans=(*target.plans, *more)) if more else target
        for target, more in zip(targets, extra, strict=True)
    ]


def _category(rules: Sequence[TargetRule]) -> str:
    return "+".join(dict.fromkeys(code for rule in rules for code in rule.types)) or "IGNORE"


def _read_target(
    span: Target,
    rule: TargetRule,
    sentence_of: list[int],
    around: dict[int, list[tuple[str, int, int]]],
    agency_type: str,
    suggested: str,
    entry_subject: Subject,
    rules: Rules,
    found: list[_Found],
    people: Sequence[_Person] = (),
) -> None:
    """The events one target's rule gives, added to ``found``."""
    negated, hypothetical, historical, subject, nearest = _attributes(span, rule, sentence_of)
    sentence = sentence_of[span.start]
    personal = rules.people.get("types", ())
    for code in rule.types:
        if code in rule.only_in and agency_type not in rule.only_in[code]:
            continue
        if code in rules.within_agency and _own_role(span, around.get(sentence, ()), agency_type):
            continue  # "passed to DSL" in a school's record stays inside the school
        for made in _who_did_it(code, rules, around.get(sentence, ()), agency_type, suggested, span):
            who = subject
            if rule.subject is None and made in personal:
                who = _pronoun_subject(span, people, sentence_of, nearest) or who
                if who is None and made in rules.people.get("first_named", ()):
                    who = _first_named(span, people, sentence_of)
            found.append(
                _Found(
                    made,
                    negated,
                    hypothetical,
                    historical,
                    who or _entry_subject(entry_subject, made, rules),
                    words=[span.text],
                    sentence=sentence,
                    kinds=[rule.injury_kind] if rule.injury_kind else [],
                    start=span.start,
                    said=who is not None,
                )
            )


def _own_role(span: Target, around: Sequence[tuple[str, int, int]], agency_type: str) -> bool:
    """Whether the target's words name a role inside the agency as the one told (not as their first word).

    "passed to DSL" and "discussed with the named nurse" stay inside the agency; "DSL informed
    police" does not: there the role is the one telling.
    """
    key = f"own:{agency_type}"
    return any(k == key and span.start < start <= span.end for k, start, _end in around)


def _entry_subject(subject: Subject, code: str, rules: Rules) -> Subject:
    """An entry that opens on the mother is hers, except for the child's events ("advised to contact HV")."""
    if subject is Subject.PARENT_OR_CARER and code in rules.people.get("household", ()):
        return Subject.CHILD
    return subject


def _sentences(doc: Doc) -> tuple[list[int], list[int]]:
    """For each token, where its sentence starts and ends (spaCy works out ``token.sent`` afresh each time)."""
    breaks = [i for i, token in enumerate(doc) if i and token.is_sent_start]
    starts: list[int] = []
    ends: list[int] = []
    first = 0
    for end in [*breaks, len(doc)]:
        starts += [first] * (end - first)
        ends += [end] * (end - first)
        first = end
    return starts, ends


def _attributes(
    span: Target, rule: TargetRule, sentence_of: list[int]
) -> tuple[bool, bool, bool, Subject | None, int]:
    negated = rule.fixed.get("negated", False)
    hypothetical = rule.fixed.get("hypothetical", False)
    historical = rule.fixed.get("historical", False)
    subject = rule.subject
    nearest = len(sentence_of) + 1
    sentence = sentence_of[span.start]
    for category, start, end in (*span.modifiers, *span.plans):
        if sentence_of[start] != sentence:
            continue  # a modifier's words may run past a full stop; its reach stops there
        if category == NEGATED:
            negated = True
        elif category == HYPOTHETICAL:
            hypothetical = True
        elif category == HISTORICAL:
            historical = True
        elif category.startswith(SUBJECT_PREFIX) and rule.subject is None:
            distance = span.start - end if end <= span.start else start - span.end
            if distance < nearest:
                nearest = distance
                subject = Subject[category.removeprefix(SUBJECT_PREFIX)]
    if negated:
        hypothetical = False  # "the planned visit was called off": it did not happen
    # subject None: nothing says whom it is about; nearest: how far the words that say so are
    return negated, hypothetical, historical, subject, nearest


@dataclass(frozen=True, slots=True)
class _Person:
    """A person named in an entry ("mother", "Child A"), or a pronoun (subject None)."""

    start: int
    end: int
    subject: Subject | None
    gender: str  # female, male or either
    object: bool = False  # "her", "him": a pronoun that can be the object of a verb


def _named(people: list[_Person], doc: Doc) -> list[_Person]:
    """The people in an entry, without those named only as another's ("mum's boyfriend" is the boyfriend)."""
    kept: list[_Person] = []
    starts = {p.start for p in people if p.subject is not None}
    for person in people:
        if kept and person.start < kept[-1].end:
            continue  # "maternal grandmother" is one person, not also "grandmother"
        owner = (
            person.subject is not None
            and person.end + 1 < len(doc)
            and doc[person.end].lower_ in ("'s", "’s", "'")
            and person.end + 1 in starts
        )
        if not owner:
            kept.append(person)
    return [p for p in kept if p.gender]


PRONOUN_REACH = 2  # words either side of an event's own words where a pronoun says whose it is


def _pronoun_subject(
    span: Target, people: Sequence[_Person], sentence_of: list[int], nearest: int
) -> Subject | None:
    """Whom a pronoun at an event means ("says partner hit her", "withdraw her allegation"), if one is nearest.

    The pronoun closest to the event's words in its sentence, when no word that says whom it is about
    lies closer, stands for the nearest person named before the event whom it can mean: "her" is not
    the father, and not someone the event's own words name ("partner" in "partner hit her") or who did
    it ("partner" in "partner pushed her").
    """
    sentence = sentence_of[span.start]
    pronoun: tuple[int, _Person] | None = None
    for person in people:
        if person.subject is not None or sentence_of[person.start] != sentence:
            continue
        if person.end <= span.start:
            distance = span.start - person.end
        elif person.start >= span.end:
            distance = person.start - span.end
        else:
            distance = 0
        if distance <= PRONOUN_REACH and (pronoun is None or distance < pronoun[0]):
            pronoun = (distance, person)
    if pronoun is None or pronoun[0] > nearest:
        return None
    gender = pronoun[1].gender
    before = min(span.start, pronoun[1].start)
    # "her" after the event's verb is its object: the person just before the verb did it ("partner pushed her")
    agent = span.start if pronoun[1].object and pronoun[1].start >= span.start else -1
    for person in reversed(people):
        if person.subject is None or person.end > before or person.end == agent or person.end > span.start:
            continue
        if "either" in (gender, person.gender) or person.gender == gender:
            return person.subject
    return None


def _first_named(span: Target, people: Sequence[_Person], sentence_of: list[int]) -> Subject | None:
    """The person the event's sentence names first, or else the sentence before ("Father's car stopped. Arrested.")."""
    sentence = sentence_of[span.start]
    before = sentence_of[sentence - 1] if sentence else None
    named = [p for p in people if p.subject is not None and not span.start <= p.start < span.end]
    for wanted in (sentence, before):
        for person in named:
            if sentence_of[person.start] == wanted:
                return person.subject
    return None


# How near the event's words an actor joined by "with" must be to have made it too ("home visit with HV").
JOINED_REACH = 4


def _who_did_it(
    code: str,
    rules: Rules,
    around: Sequence[tuple[str, int, int]],
    agency_type: str,
    suggested: str,
    span: Target,
) -> tuple[str, ...]:
    """A generic type ("visit") made specific by who did it: the sentence's words, then the agency.

    An actor joined to the event by "with", "accompanied by"… made it too: "home visit with
    the HV" in a social worker's record is the social worker's visit and the health visitor's.
    """
    # A generic type ("visit"), or a specific one its actors name ("professional_visit").
    generic = next((g for g, by in rules.actors.items() if code == g or code in by), None)
    if generic is None:
        return (code,)
    by_code = rules.actors[generic]
    prefix = f"actor:{generic}:"
    joins = [end for key, _start, end in around if key == f"joined:{generic}"]
    nearest: tuple[int, str] | None = None
    joined: list[str] = []
    for key, start, end in around:
        if key.startswith(prefix) and not (span.start <= start and end <= span.end):
            # (an actor's words inside the event's own are not who made it: "unannounced HV", a home visit)
            distance = span.start - end if end <= span.start else max(start - span.end, 0)
            # "with the police": the joining words may be followed by one word before the actor.
            if distance <= JOINED_REACH and any(0 <= start - join <= 1 for join in joins):
                joined.append(key.removeprefix(prefix))
            elif nearest is None or distance < nearest[0]:
                nearest = (distance, key.removeprefix(prefix))
    if generic != code:
        main = code  # the words said who ("midwife home visit"); only a joined actor adds to it
    elif nearest is not None:
        main = nearest[1]
    elif suggested and suggested in by_code:
        main = suggested
    else:
        main = rules.actor_by_agency.get(code, {}).get(agency_type, code)
    return tuple(dict.fromkeys((main, *joined)))


def _suppress(found: list[_Found], rules: Rules) -> tuple[list[_Found], list[_Found]]:
    """Drop the types another stands in for in the same sentence ("no access" is not also a visit).

    Returns what is kept and what was dropped (a visit that "no access" stands in for can still be
    booked again).
    """
    present = {(f.type, f.sentence) for f in found}
    dropped = {(other, sentence) for code, sentence in present for other in rules.suppresses.get(code, ())}
    in_entry = {other for code, _ in present for other in rules.suppresses_in_entry.get(code, ())}
    kept = [f for f in found if (f.type, f.sentence) not in dropped and f.type not in in_entry]
    return kept, [f for f in found if (f.type, f.sentence) in dropped]


SPEAKER_REACH = 6  # how many words before "says" the one saying it is named


def _told_of_harm(
    found: list[_Found],
    around: dict[int, list[tuple[str, int, int]]],
    doc: Doc,
    sentence_of: list[int],
    rules: Rules,
) -> list[_Found]:
    """Someone saying that a person was harmed, however far apart the words: an allegation.

    Only where the sentence has no allegation already, and not past a denial or a child named as
    the one who did it ("said his brother hit him"). About a parent or carer when one says it
    ("Mum says partner threw a mug at her"), else about the child.
    """
    alleged = {f.sentence for f in found if f.type == "allegation"}
    parents = [end for matches in around.values() for key, _start, end in matches if key == "speaker:parent"]
    added: list[_Found] = []
    for sentence, matches in around.items():
        if sentence in alleged:
            continue
        said = [(start, end) for key, start, end in matches if key == "said"]
        harm = [(start, end) for key, start, end in matches if key == "harm"]
        undo = [start for key, start, _end in matches if key == "not_between"]
        pair = next(
            (
                (s, h)
                for s in said
                for h in harm
                if 0 <= h[0] - s[1] <= rules.said_within and not any(s[1] <= u < h[0] for u in undo)
            ),
            None,
        )
        if pair is None:
            continue
        (start, _), (_, end) = pair
        # The speaker is named just before ("Mum rang duty HV upset, says", "Tel call from M. Says").
        parent = any(0 <= start - e <= SPEAKER_REACH for e in parents)
        subject = Subject.PARENT_OR_CARER if parent else Subject.CHILD
        added.append(
            _Found("allegation", False, False, False, subject, [doc[start:end].text], sentence, [], start)
        )
    return [*found, *added]


def _not_at_a_meeting(found: list[_Found], rules: Rules) -> list[_Found]:
    """Drop events read from words that, in a meeting's sentence, name who attended or where it was."""
    meetings = {f.sentence for f in found if f.type in rules.meetings}
    return [
        f
        for f in found
        if f.sentence not in meetings
        or f.type in rules.meetings
        or f.words[0].lower() not in rules.at_a_meeting
    ]


def _not_by_phone(
    found: list[_Found], dropped: list[_Found], around: dict[int, list[tuple[str, int, int]]], rules: Rules
) -> list[_Found]:
    """Drop "no answer" and the like in a sentence about a phone call that names no visit or appointment."""
    visits = {f.sentence for f in (*found, *dropped) if f.type in rules.renewable}
    return [
        f
        for f in found
        if f.type != "no_access"
        or any(w.lower() not in rules.unanswered for w in f.words)
        or f.sentence in visits
        or not any(key == "phone" for key, _start, _end in around.get(f.sentence, ()))
    ]


def _booked_again(
    found: list[_Found],
    dropped: list[_Found],
    again: list[tuple[int, int]],
    in_targets: set[int],
    doc: Doc,
    sentence_of: list[int],
    agency_type: str,
    rules: Rules,
) -> list[_Found]:
    """A visit, appointment or meeting booked again is a second event of its type, to come.

    "Visit cancelled by SW, rebooked for Friday": the negated visit and a planned one. The words
    ("rebooked", "will return") book again the entry's first such event before them that did
    not happen, was missed ("no access" stands in for it) or was held in an earlier sentence (an
    entry opens with its main event: "6 wk check: not brought. Mum rang later. Rebooked."); with
    only "no access" read, the visit the agency makes. Nothing is added when the entry already
    has one of that type to come, nor for words inside an event's own ("not rebooked") or
    after "not" ("not seen again").
    """
    added: list[_Found] = []
    for start, end in again:
        if start in in_targets or (start and doc[start - 1].lower_ in ("not", "never", "no")):
            continue
        earlier = [
            f
            for f in (*found, *dropped)
            if f.type in rules.renewable
            and f.start < start
            and not f.hypothetical
            and (f.negated or f in dropped or f.sentence < sentence_of[start])
        ]
        if earlier:
            before = min(earlier, key=lambda f: f.start)
            code, subject = before.type, before.subject
        else:
            missed = [f for f in found if f.type == "no_access" and f.start < start]
            code = rules.actor_by_agency.get("visit", {}).get(agency_type, "")
            if not missed or code not in rules.renewable:
                continue
            subject = missed[-1].subject
        if any(f.type == code and f.hypothetical for f in (*found, *added)):
            continue
        added.append(
            _Found(code, False, True, False, subject, [doc[start:end].text], sentence_of[start], [], start)
        )
    return [*found, *added]


def _follow(found: list[_Found], rules: Rules) -> list[_Found]:
    """Events about whom another of the entry's events is about ("charged … bailed to appear at court")."""
    for item in found:
        if item.said:
            continue
        leaders = rules.people.get(f"follows:{item.type}", ())
        leader = next((f for f in found if f.type in leaders and f.said), None)
        if leader is not None:
            item.subject = leader.subject
    return found


def _merge(found: list[_Found], doc: Doc, around: dict[int, list[tuple[str, int, int]]]) -> Iterator[Event]:
    """One event per type and attributes, with every supporting word; injuries with their details."""
    merged: dict[tuple[str, bool, bool, bool], _Found] = {}
    sentences: dict[tuple[str, bool, bool, bool], list[int]] = {}
    for item in found:
        key = item.key()
        existing = merged.get(key)
        if existing is None:
            merged[key] = _Found(*_fields(item))
            sentences[key] = [item.sentence]
        else:
            existing.words += [w for w in item.words if w not in existing.words]
            existing.kinds += [k for k in item.kinds if k not in existing.kinds]
            if item.sentence not in sentences[key]:
                sentences[key].append(item.sentence)
    for key, item in merged.items():
        injury = _injury(item, sentences[key], around) if item.type == "injury_observed" else None
        yield Event(
            type=item.type,
            negated=item.negated,
            hypothetical=item.hypothetical,
            historical=item.historical,
            subject=item.subject,
            words=tuple(item.words),
            injury=injury,
        )


def _fields(item: _Found) -> tuple[Any, ...]:
    return (
        item.type,
        item.negated,
        item.hypothetical,
        item.historical,
        item.subject,
        list(item.words),
        item.sentence,
        list(item.kinds),
        item.start,
    )


def _injury(item: _Found, sentences: list[int], around: dict[int, list[tuple[str, int, int]]]) -> Injury:
    sites: list[str] = []
    explained: bool | None = None
    referral: ReferralSaid | None = None
    for sentence in sentences:
        for key, _start, _end in around.get(sentence, ()):
            kind, _, value = key.partition(":")
            if kind == "site" and value not in sites:
                sites.append(value)
            elif kind == "explained":
                # "no explanation" wins over words that merely look like one
                explained = False if value == "False" else (explained if explained is False else True)
            elif kind == "referral":
                said = ReferralSaid(value)
                referral = ReferralSaid.NOT_MADE if ReferralSaid.NOT_MADE in (said, referral) else said
    kinds = [k for k in item.kinds if k != "other"] or item.kinds
    return Injury(tuple(kinds), tuple(sites), explained, referral)


def quiet_pipe(nlp: Language, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
    """``nlp.pipe`` without medspaCy's warning for each target that overlaps another."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.filterwarnings("ignore", message=r"\[W036\]")  # medspaCy's unused matchers have no patterns
        yield from nlp.pipe(texts, batch_size=batch_size)
