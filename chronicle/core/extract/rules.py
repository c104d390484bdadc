"""The extractor's trigger words, read from the data files and checked.

Four JSON files under ``chronicle/core/data/`` hold everything the extractor
knows about words (docs/event-types.md says how to change them):

- ``event_targets.json``: the words that name each event type (ConText's
  *targets*), phrases that look like one but are not ("cardiac arrest"), the
  words that say who made a visit and who made it with them ("home visit with
  the HV"), which types a type stands in for ("no access" instead of a visit),
  the words that book a visit or meeting again ("rebooked": a second one, to
  come), and how an agency's own event-type column is weighed with the words
  (a police "Home visit" that the words read as a call-out is a police visit),
  the roles inside each kind of agency (a school's "passed to DSL" shares
  nothing between agencies), and the words that name who attended a meeting or
  where it was held rather than an event ("strategy meeting on PICU").
- ``event_context.json``: the words that change what a target means (ConText's
  *modifiers*): negation, plans, time references and whom it is about.
- ``injury_terms.json``: injury kinds, body sites and what is said about an
  explanation or a referral.
- ``agency_event_types.json``: common values of agencies' own event-type
  columns, per kind of agency, and the code each means.

A phrase is words separated by spaces, matched without regard to case. In a
word, ``a|b`` means either word, a trailing ``*`` means any word starting so
("referr*": referral, referrals, referred), a trailing ``?`` makes the word
optional, and ``_`` alone is any one word, optional. Anything wrong in a file
is a ``RuleError`` naming the file and the rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from chronicle.core.event_types import EVENT_TYPES
from chronicle.core.events import INJURY_KINDS, INJURY_SITES, Subject
from chronicle.core.labelled import AGENCY_TYPES

DATA = Path(__file__).resolve().parent.parent / "data"
TARGETS_FILE = DATA / "event_targets.json"
CONTEXT_FILE = DATA / "event_context.json"
INJURY_FILE = DATA / "injury_terms.json"
AGENCY_FILE = DATA / "agency_event_types.json"
DATA_FILES: tuple[Path, ...] = (TARGETS_FILE, CONTEXT_FILE, INJURY_FILE, AGENCY_FILE)

IGNORE = "IGNORE"  # a target category for phrases that look like an event but are not one
NEGATED = "NEGATED_EXISTENCE"
HYPOTHETICAL = "HYPOTHETICAL"
HISTORICAL = "HISTORICAL"
SUBJECT_PREFIX = "SUBJECT_"
MODIFIER_CATEGORIES: dict[str, str] = {
    NEGATED: "did not happen",
    HYPOTHETICAL: "planned or not yet done",
    HISTORICAL: "a time reference or passing mention",
    **{f"{SUBJECT_PREFIX}{s.name}": f"about the {s.value.replace('_', ' ')}" for s in Subject},
    "TERMINATE": "ends the reach of the words before it",
    "PSEUDO": "a phrase that contains a modifier's words but is not one",
}
DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO")
ATTRIBUTE_FLAGS = ("negated", "hypothetical", "historical")


class RuleError(ValueError):
    """A data file's rule is wrong; the message names the file and the rule."""


Pattern = list[dict[str, Any]]  # a spaCy token pattern


@dataclass(frozen=True, slots=True)
class TargetRule:
    """Words that name one or more event types (or nothing, for IGNORE)."""

    phrase: str
    types: tuple[str, ...]  # () for phrases that name no event
    pattern: Pattern | None  # None: matched as a plain phrase
    fixed: Mapping[str, bool]  # attributes the words themselves give ("officers did not attend": negated)
    subject: Subject | None  # whom the words themselves name ("younger brother born": sibling)
    injury_kind: str | None = None
    agencies: frozenset[str] = frozenset()  # only in these agencies' records ("Seen." in a GP's); empty: all
    # Types this rule gives only in some agencies' records ("NFA" is a referral decision in social care's).
    only_in: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ModifierRule:
    phrase: str
    category: str
    direction: str
    pattern: Pattern | None
    max_scope: int | None
    types: tuple[str, ...]  # the event types it can change; () for all


@dataclass(frozen=True, slots=True)
class Rules:
    targets: tuple[TargetRule, ...]
    modifiers: tuple[ModifierRule, ...]
    # A generic type and who did it: "visit" by a police officer is police_visit.
    actors: Mapping[str, Mapping[str, tuple[str, ...]]]  # generic code -> code -> phrases
    actor_by_agency: Mapping[str, Mapping[str, str]]  # generic code -> agency type -> code
    # Words that join a second actor to the same event ("with", "accompanied by"): generic code -> phrases.
    actor_joined_by: Mapping[str, tuple[str, ...]]
    # Words that book an event again ("rebooked", "will return"): a second one, to come.
    again: tuple[str, ...]
    renewable: frozenset[str]  # the types such words can book again (visits, appointments, meetings)
    # An agency's own event-type column weighed with the words: the types its code replaces when
    # the words read them, and the types it gives alone when the words name no event.
    column_overrides: Mapping[str, frozenset[str]]
    column_alone: frozenset[str]
    # Roles inside an agency of each kind; the types that do not happen between a role and its agency.
    own_roles: Mapping[str, tuple[str, ...]]
    # Words naming a professional or place as well as an event: in a meeting's sentence, who or where.
    meetings: frozenset[str]
    # Reported speech: "said" words, then "harm" words within so many words in the sentence: an allegation.
    said: tuple[str, ...]
    harm: tuple[str, ...]
    said_within: int
    parent_speakers: tuple[str, ...]
    not_between: tuple[str, ...]  # words between that undo it: a denial, or a child as the one who did it
    at_a_meeting: frozenset[str]  # the plain phrases, lower case
    within_agency: frozenset[str]
    suppresses: Mapping[str, tuple[str, ...]]  # code -> codes it stands in for in the same sentence
    suppresses_in_entry: Mapping[str, tuple[str, ...]]  # code -> codes it stands in for in the same entry
    by_phone: tuple[str, ...]  # words that say a contact was a call or message, not a visit
    unanswered: frozenset[str]  # no-access words not read in a sentence about a call ("no answer")
    sites: Mapping[str, tuple[str, ...]]
    explained: Mapping[bool, tuple[str, ...]]
    referral: Mapping[str, tuple[str, ...]]
    entry_subject: Mapping[Subject, tuple[str, ...]]  # openings that say whom the whole entry is about
    agency_values: Mapping[str, Mapping[str, str]]  # agency type ("*" any) -> normalised value -> code
    fingerprint: str  # changes whenever a data file does
    # People and pronouns, for whom "she", "her" or "him" refers to: "subject:gender" or "pronoun:gender" ->
    # phrases; "types": the events about one person (an injury, an arrest); "household": events about the child;
    # "first_named": events about the person a sentence names first ("Father's car stopped. Arrested.");
    # "follows:CODE": the types whose subject an event of CODE takes when nothing nearer says whom.
    people: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _fail(path: Path, where: str, message: str) -> RuleError:
    return RuleError(f"{path.name}, {where}: {message}")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleError(f"{path.name}: the file is missing ({path})") from None
    except json.JSONDecodeError as error:
        raise RuleError(f"{path.name}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise RuleError(f"{path.name}: must hold a JSON object")
    return data


def phrase_pattern(phrase: str, path: Path, where: str) -> Pattern | None:
    """The spaCy token pattern for a phrase, or None when it is plain words (matched as a phrase)."""
    words = phrase.split()
    if not words:
        raise _fail(path, where, "the phrase is empty")
    if not any(w == "_" or "|" in w or w.endswith(("*", "?")) for w in words):
        return None
    pattern: Pattern = []
    for word in words:
        if word == "_":
            pattern.append({"OP": "?"})
            continue
        token: dict[str, Any] = {}
        if word.endswith("?") and len(word) > 1:
            token["OP"] = "?"
            word = word[:-1]
        if word.endswith("*") and len(word) > 1:
            if "|" in word:
                raise _fail(path, where, f"{word!r}: use either | or a trailing *, not both")
            token["LOWER"] = {"REGEX": "^" + _escape(word[:-1].lower())}
        elif "|" in word:
            choices = [w.lower() for w in word.split("|")]
            if "" in choices:
                raise _fail(path, where, f"{word!r} has an empty choice")
            token["LOWER"] = {"IN": choices}
        elif word in ("*", "?"):
            raise _fail(path, where, f"{word!r} alone is not a word: use _ for any word")
        else:
            token["LOWER"] = word.lower()
        pattern.append(token)
    return pattern


def _escape(text: str) -> str:
    return "".join("\\" + c if not c.isalnum() else c for c in text)


def _phrase_of(item: Any, path: Path, where: str) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("phrase"), str):
        return str(item["phrase"])
    raise _fail(path, where, 'each rule is a phrase or an object with a "phrase"')


def _codes(value: Any, path: Path, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, where, "expected a list of event-type codes")
    unknown = [v for v in value if v not in EVENT_TYPES]
    if unknown:
        raise _fail(path, where, f"{', '.join(unknown)} is not an event-type code")
    return tuple(value)


def _subject(value: Any, path: Path, where: str) -> Subject | None:
    if value is None:
        return None
    try:
        return Subject(value)
    except ValueError:
        raise _fail(path, where, f"subject {value!r} is not one of {', '.join(Subject)}") from None


def _patterns(items: Any, path: Path, where: str) -> tuple[str, ...]:
    """Phrases, each checked."""
    if not isinstance(items, list):
        raise _fail(path, where, "expected a list of phrases")
    found: list[str] = []
    for number, item in enumerate(items, start=1):
        phrase = _phrase_of(item, path, f"{where} #{number}")
        phrase_pattern(phrase, path, f"{where} {phrase!r}")
        found.append(phrase)
    return tuple(found)


def variants(phrase: str) -> tuple[str, ...] | None:
    """Every plain phrase a phrase stands for ("home|house visit?": four), or None if it needs a pattern.

    Plain phrases go to spaCy's PhraseMatcher, many times faster than token patterns; only
    phrases with a trailing ``*`` or ``_`` need the token matcher.
    """
    options: list[list[str]] = [[]]
    for word in phrase.split():
        if word == "_" or (word.endswith("*") and len(word) > 1):
            return None
        optional = word.endswith("?") and len(word) > 1
        choices = (word[:-1] if optional else word).split("|")
        grown = [[*done, choice] for done in options for choice in choices]
        options = grown + (options if optional else [])
    return tuple(dict.fromkeys(" ".join(words) for words in options if words))


def _targets(path: Path) -> tuple[tuple[TargetRule, ...], dict[str, Any]]:
    data = _read(path)
    for key in ("types", "ignore", "actors", "suppresses"):
        if key not in data:
            raise _fail(path, key, "this section is missing")
    rules: list[TargetRule] = []
    types = data["types"]
    if not isinstance(types, dict):
        raise _fail(path, "types", "expected an object of event-type code to phrases")
    for code, items in types.items():
        if code not in EVENT_TYPES:
            raise _fail(path, f"types.{code}", "not an event-type code")
        if not isinstance(items, list) or not items:
            raise _fail(path, f"types.{code}", "expected a non-empty list of phrases")
        for number, item in enumerate(items, start=1):
            where = f"types.{code} #{number}"
            phrase = _phrase_of(item, path, where)
            where = f"types.{code} {phrase!r}"
            extra: dict[str, Any] = item if isinstance(item, dict) else {}
            allowed = {"phrase", "also", "subject", "agencies", "only_in", *ATTRIBUTE_FLAGS}
            if set(extra) - allowed:
                raise _fail(path, where, f"unknown keys {sorted(set(extra) - allowed)}")
            fixed = {}
            for flag in ATTRIBUTE_FLAGS:
                if flag in extra:
                    if not isinstance(extra[flag], bool):
                        raise _fail(path, where, f"{flag} must be true or false")
                    fixed[flag] = extra[flag]
            also = _codes(extra.get("also", []), path, where)
            agencies = extra.get("agencies", [])
            if not isinstance(agencies, list) or set(agencies) - set(AGENCY_TYPES):
                raise _fail(
                    path, where, f"agencies must be a list of agency types ({', '.join(AGENCY_TYPES)})"
                )
            only_in = extra.get("only_in", {})
            if not isinstance(only_in, dict) or any(
                not isinstance(v, list) or set(v) - set(AGENCY_TYPES) for v in only_in.values()
            ):
                raise _fail(path, where, "only_in must map event-type codes to lists of agency types")
            _codes(list(only_in), path, f"{where} only_in")
            rules.append(
                TargetRule(
                    phrase=phrase,
                    types=(code, *also),
                    pattern=phrase_pattern(phrase, path, where),
                    fixed=fixed,
                    subject=_subject(extra.get("subject"), path, where),
                    agencies=frozenset(agencies),
                    only_in={name: frozenset(kinds) for name, kinds in only_in.items()},
                )
            )
    groups = data.get("agency_phrases", {})
    if not isinstance(groups, dict):
        raise _fail(path, "agency_phrases", "expected an object of agency type to {code: phrases}")
    for agency_type, by_code in groups.items():
        if agency_type not in AGENCY_TYPES or not isinstance(by_code, dict):
            raise _fail(
                path,
                f"agency_phrases.{agency_type}",
                "expected an agency type and an object of code to phrases",
            )
        for code, items in by_code.items():
            where = f"agency_phrases.{agency_type}.{code}"
            _codes([code], path, where)
            if not isinstance(items, list):
                raise _fail(path, where, "expected a list of phrases")
            for item in items:
                phrase = _phrase_of(item, path, where)
                pattern = phrase_pattern(phrase, path, f"{where} {phrase!r}")
                rules.append(
                    TargetRule(phrase, (code,), pattern, {}, None, agencies=frozenset({agency_type}))
                )
    ignore = data["ignore"]
    if not isinstance(ignore, list):
        raise _fail(path, "ignore", "expected a list of phrases")
    for number, item in enumerate(ignore, start=1):
        phrase = _phrase_of(item, path, f"ignore #{number}")
        rules.append(TargetRule(phrase, (), phrase_pattern(phrase, path, f"ignore {phrase!r}"), {}, None))
    return tuple(rules), data


def _entry_subject(path: Path) -> dict[Subject, tuple[str, ...]]:
    data = _read(path).get("entry_subject", {})
    if not isinstance(data, dict):
        raise _fail(path, "entry_subject", "expected an object of subject to phrases")
    return {
        subject: _patterns(items, path, f"entry_subject.{name}")
        for name, items in data.items()
        if name != "about" and (subject := _subject(name, path, "entry_subject")) is not None
    }


GENDERS = ("female", "male", "either")


def _people(path: Path) -> dict[str, tuple[str, ...]]:
    data = _read(path).get("people", {})
    if not isinstance(data, dict):
        raise _fail(path, "people", "expected an object of subject (or pronouns) to {gender: phrases}")
    people: dict[str, tuple[str, ...]] = {}
    for name, by_gender in data.items():
        if name == "about":
            continue
        if name in ("types", "household", "first_named"):
            people[name] = _codes(by_gender, path, f"people.{name}")
            continue
        if name == "follows":
            if not isinstance(by_gender, dict):
                raise _fail(path, "people.follows", "expected an object of event-type code to codes")
            for code, others in by_gender.items():
                _codes([code], path, "people.follows")
                people[f"follows:{code}"] = _codes(others, path, f"people.follows.{code}")
            continue
        if name == "not_people":
            people["none:"] = _patterns(by_gender, path, "people.not_people")
            continue
        if name != "pronouns":
            _subject(name, path, "people")
        if not isinstance(by_gender, dict) or not set(by_gender) <= set(GENDERS):
            raise _fail(path, f"people.{name}", f"expected an object of {', '.join(GENDERS)} to phrases")
        for gender, items in by_gender.items():
            key = f"{'pronoun' if name == 'pronouns' else name}:{gender}"
            people[key] = _patterns(items, path, f"people.{name}.{gender}")
    return people


def _modifiers(path: Path) -> tuple[ModifierRule, ...]:
    data = _read(path)
    groups = data.get("modifiers")
    if not isinstance(groups, list):
        raise _fail(path, "modifiers", "expected a list of modifier groups")
    rules: list[ModifierRule] = []
    for number, group in enumerate(groups, start=1):
        where = f"modifiers #{number}"
        if not isinstance(group, dict):
            raise _fail(path, where, "expected an object")
        allowed = {"category", "direction", "max_scope", "types", "phrases", "note"}
        if set(group) - allowed:
            raise _fail(path, where, f"unknown keys {sorted(set(group) - allowed)}")
        category, direction = group.get("category"), group.get("direction")
        where = f"modifiers #{number} ({category} {direction})"
        if category not in MODIFIER_CATEGORIES:
            raise _fail(path, where, f"category must be one of {', '.join(MODIFIER_CATEGORIES)}")
        if direction not in DIRECTIONS:
            raise _fail(path, where, f"direction must be one of {', '.join(DIRECTIONS)}")
        if category in ("TERMINATE", "PSEUDO") and direction != category:
            raise _fail(path, where, f"a {category} group has direction {category}")
        scope = group.get("max_scope")
        if scope is not None and (not isinstance(scope, int) or isinstance(scope, bool) or scope < 1):
            raise _fail(path, where, "max_scope must be a whole number of words, 1 or more")
        codes = _codes(group.get("types", []), path, where)
        phrases = group.get("phrases")
        if not isinstance(phrases, list) or not phrases:
            raise _fail(path, where, "expected a non-empty list of phrases")
        for item in phrases:
            if not isinstance(item, str):
                raise _fail(path, where, f"{item!r} is not a phrase")
            rules.append(
                ModifierRule(
                    item,
                    category,
                    direction,
                    phrase_pattern(item, path, f"{where} {item!r}"),
                    scope,
                    codes,
                )
            )
    return tuple(rules)


def _injury(
    path: Path,
) -> tuple[
    list[TargetRule],
    dict[str, tuple[str, ...]],
    dict[bool, tuple[str, ...]],
    dict[str, tuple[str, ...]],
]:
    data = _read(path)
    for key in ("kinds", "sites", "explained", "unexplained", "referral_made", "referral_not_made"):
        if key not in data:
            raise _fail(path, key, "this section is missing")
    kinds = data["kinds"]
    if not isinstance(kinds, dict):
        raise _fail(path, "kinds", "expected an object of kind to phrases")
    targets: list[TargetRule] = []
    for kind, items in kinds.items():
        if kind not in INJURY_KINDS:
            raise _fail(path, f"kinds.{kind}", f"not one of {', '.join(INJURY_KINDS)}")
        if not isinstance(items, list) or not items:
            raise _fail(path, f"kinds.{kind}", "expected a non-empty list of phrases")
        for item in items:
            phrase = _phrase_of(item, path, f"kinds.{kind}")
            pattern = phrase_pattern(phrase, path, f"kinds.{kind} {phrase!r}")
            targets.append(TargetRule(phrase, ("injury_observed",), pattern, {}, None, kind))
    sites_data = data["sites"]
    if not isinstance(sites_data, dict):
        raise _fail(path, "sites", "expected an object of site to phrases")
    sites: dict[str, tuple[str, ...]] = {}
    for site, items in sites_data.items():
        if site not in INJURY_SITES:
            raise _fail(path, f"sites.{site}", f"not one of {', '.join(INJURY_SITES)}")
        sites[site] = _patterns(items, path, f"sites.{site}")
    explained = {
        True: _patterns(data["explained"], path, "explained"),
        False: _patterns(data["unexplained"], path, "unexplained"),
    }
    referral = {
        "made": _patterns(data["referral_made"], path, "referral_made"),
        "not_made": _patterns(data["referral_not_made"], path, "referral_not_made"),
    }
    return targets, sites, explained, referral


def _agency_values(path: Path) -> dict[str, dict[str, str]]:
    data = _read(path)
    values = data.get("values")
    if not isinstance(values, dict):
        raise _fail(path, "values", "expected an object of agency type to {value: code}")
    result: dict[str, dict[str, str]] = {}
    for agency_type, mapping in values.items():
        if agency_type != "*" and agency_type not in AGENCY_TYPES:
            raise _fail(path, f"values.{agency_type}", f"not an agency type ({', '.join(AGENCY_TYPES)}) or *")
        if not isinstance(mapping, dict):
            raise _fail(path, f"values.{agency_type}", "expected an object of value to code")
        for value, code in mapping.items():
            if code not in EVENT_TYPES:
                raise _fail(path, f"values.{agency_type} {value!r}", f"{code!r} is not an event-type code")
            result.setdefault(agency_type, {})[normalise_value(value)] = code
    return result


def normalise_value(value: str) -> str:
    """An agency's written value compared without case, punctuation or extra spaces."""
    return " ".join("".join(c if c.isalnum() else " " for c in value.lower()).split())


def fingerprint(paths: Sequence[Path] = DATA_FILES) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def load_rules() -> Rules:
    """Every data file read and checked once per process; a ``RuleError`` names the file and rule."""
    targets, target_data = _targets(TARGETS_FILE)
    kind_targets, sites, explained, referral = _injury(INJURY_FILE)
    actors: dict[str, dict[str, tuple[str, ...]]] = {}
    actor_by_agency: dict[str, dict[str, str]] = {}
    joined_by: dict[str, tuple[str, ...]] = {}
    if not isinstance(target_data["actors"], dict):
        raise _fail(TARGETS_FILE, "actors", "expected an object of generic code to {code: phrases}")
    for generic, spec in target_data["actors"].items():
        where = f"actors.{generic}"
        if generic not in EVENT_TYPES:
            raise _fail(TARGETS_FILE, where, "not an event-type code")
        if not isinstance(spec, dict) or not isinstance(spec.get("words"), dict):
            raise _fail(TARGETS_FILE, where, 'expected {"words": {code: phrases}, "by_agency": {...}}')
        for code, items in spec["words"].items():
            _codes([code], TARGETS_FILE, f"{where}.words")
            actors.setdefault(generic, {})[code] = _patterns(items, TARGETS_FILE, f"{where}.words.{code}")
        by_agency = spec.get("by_agency", {})
        if not isinstance(by_agency, dict):
            raise _fail(TARGETS_FILE, f"{where}.by_agency", "expected an object of agency type to code")
        for agency_type, code in by_agency.items():
            _codes([code], TARGETS_FILE, f"{where}.by_agency.{agency_type}")
            actor_by_agency.setdefault(generic, {})[agency_type] = code
        joined_by[generic] = _patterns(spec.get("joined_by", []), TARGETS_FILE, f"{where}.joined_by")
    suppresses: dict[str, tuple[str, ...]] = {}
    if not isinstance(target_data["suppresses"], dict):
        raise _fail(TARGETS_FILE, "suppresses", "expected an object of code to codes")
    for code, codes in target_data["suppresses"].items():
        _codes([code], TARGETS_FILE, f"suppresses.{code}")
        suppresses[code] = _codes(codes, TARGETS_FILE, f"suppresses.{code}")
    again = target_data.get("again", {"phrases": [], "types": []})
    if not isinstance(again, dict):
        raise _fail(TARGETS_FILE, "again", 'expected {"phrases": [...], "types": [...]}')
    in_entry: dict[str, tuple[str, ...]] = {}
    for code, codes in target_data.get("suppresses_in_entry", {}).items():
        if code != "about":
            _codes([code], TARGETS_FILE, f"suppresses_in_entry.{code}")
            in_entry[code] = _codes(codes, TARGETS_FILE, f"suppresses_in_entry.{code}")
    by_phone = target_data.get("by_phone", {"phrases": [], "answers": []})
    if not isinstance(by_phone, dict):
        raise _fail(TARGETS_FILE, "by_phone", 'expected {"phrases": [...], "answers": [...]}')
    meeting = target_data.get("at_a_meeting", {"meetings": [], "phrases": []})
    if not isinstance(meeting, dict):
        raise _fail(TARGETS_FILE, "at_a_meeting", 'expected {"meetings": [...], "phrases": [...]}')
    at_a_meeting: set[str] = set()
    for phrase in _patterns(meeting.get("phrases"), TARGETS_FILE, "at_a_meeting.phrases"):
        plain = variants(phrase)
        if plain is None:
            raise _fail(TARGETS_FILE, f"at_a_meeting {phrase!r}", "write plain words: no * or _")
        at_a_meeting.update(p.lower() for p in plain)
    told = target_data.get("told_of_harm", {})
    if not isinstance(told, dict) or not isinstance(told.get("within", 1), int):
        raise _fail(TARGETS_FILE, "told_of_harm", 'expected {"said": [...], "harm": [...], "within": N}')
    column = target_data.get("column", {})
    overrides = column.get("overrides", {}) if isinstance(column, dict) else None
    if not isinstance(overrides, dict):
        raise _fail(TARGETS_FILE, "column.overrides", "expected an object of code to the codes it replaces")
    _codes(list(overrides), TARGETS_FILE, "column.overrides")
    within = target_data.get("within_agency", {})
    roles = within.get("roles", {}) if isinstance(within, dict) else None
    if not isinstance(roles, dict) or set(roles) - set(AGENCY_TYPES):
        raise _fail(TARGETS_FILE, "within_agency.roles", "expected an object of agency type to phrases")
    return Rules(
        targets=(*targets, *kind_targets),
        modifiers=_modifiers(CONTEXT_FILE),
        actors=actors,
        actor_by_agency=actor_by_agency,
        actor_joined_by=joined_by,
        again=_patterns(again.get("phrases"), TARGETS_FILE, "again.phrases"),
        renewable=frozenset(_codes(again.get("types"), TARGETS_FILE, "again.types")),
        column_overrides={
            code: frozenset(_codes(codes, TARGETS_FILE, f"column.overrides.{code}"))
            for code, codes in overrides.items()
        },
        column_alone=frozenset(_codes(column.get("alone", []), TARGETS_FILE, "column.alone")),
        said=_patterns(told.get("said", []), TARGETS_FILE, "told_of_harm.said"),
        harm=_patterns(told.get("harm", []), TARGETS_FILE, "told_of_harm.harm"),
        said_within=told.get("within", 1),
        parent_speakers=_patterns(
            told.get("parent_speakers", []), TARGETS_FILE, "told_of_harm.parent_speakers"
        ),
        not_between=_patterns(told.get("not_between", []), TARGETS_FILE, "told_of_harm.not_between"),
        meetings=frozenset(_codes(meeting.get("meetings"), TARGETS_FILE, "at_a_meeting.meetings")),
        at_a_meeting=frozenset(at_a_meeting),
        own_roles={
            kind: _patterns(items, TARGETS_FILE, f"within_agency.roles.{kind}")
            for kind, items in roles.items()
        },
        within_agency=frozenset(_codes(within.get("types", []), TARGETS_FILE, "within_agency.types")),
        suppresses=suppresses,
        suppresses_in_entry=in_entry,
        by_phone=_patterns(by_phone.get("phrases"), TARGETS_FILE, "by_phone.phrases"),
        unanswered=frozenset(
            phrase.lower()
            for phrase in _patterns(by_phone.get("answers", []), TARGETS_FILE, "by_phone.answers")
        ),
        sites=sites,
        explained=explained,
        referral=referral,
        entry_subject=_entry_subject(CONTEXT_FILE),
        agency_values=_agency_values(AGENCY_FILE),
        fingerprint=fingerprint(),
        people=_people(CONTEXT_FILE),
    )
