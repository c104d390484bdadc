"""The events an entry records, as read from its words (docs/event-labelling.md).

An entry yields zero or more events. Each event has a type (a code from
``event_types``) and says whether the entry asserts it happened (not negated,
not hypothetical, not historical), whom it is about, and which words support
it. Injuries carry what the text gives about them.

This module only holds the shapes and their JSON form; ``chronicle.core.extract``
reads events from text, and the database stores them as the JSON below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chronicle.core.event_types import EVENT_TYPES, label


class Subject(StrEnum):
    """Whom an event is about (docs/event-labelling.md, "Subject")."""

    CHILD = "child"
    SIBLING = "sibling"
    PARENT_OR_CARER = "parent_or_carer"
    OTHER_ADULT = "other_adult"
    UNKNOWN = "unknown"


class ReferralSaid(StrEnum):
    """What the text says about a referral after an injury."""

    MADE = "made"
    NOT_MADE = "not_made"


INJURY_KINDS: tuple[str, ...] = (
    "bruise",
    "burn",
    "scald",
    "fracture",
    "laceration",
    "head_injury",
    "bite",
    "abrasion",
    "swelling",
    "bleeding",
    "mark",
    "other",
)

INJURY_SITES: tuple[str, ...] = (
    "head",
    "face",
    "eye",
    "ear",
    "mouth",
    "neck",
    "chest",
    "abdomen",
    "back",
    "buttocks",
    "arm",
    "hand",
    "leg",
    "foot",
    "genitals",
    "other",
)


@dataclass(frozen=True, slots=True)
class Injury:
    """What an injury event's text says: kinds, sites, whether an account was given, any referral."""

    kinds: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    explained: bool | None = None  # True: an explanation or account was offered; None: not said
    referral: ReferralSaid | None = None  # what the text says about a referral, if anything

    def to_json(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "sites": list(self.sites),
            "explained": self.explained,
            "referral": self.referral.value if self.referral else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Injury:
        kinds = tuple(str(k) for k in data.get("kinds") or ())
        sites = tuple(str(s) for s in data.get("sites") or ())
        for value, allowed, name in ((kinds, INJURY_KINDS, "kinds"), (sites, INJURY_SITES, "sites")):
            unknown = sorted(set(value) - set(allowed))
            if unknown:
                raise ValueError(f"injury {name}: {', '.join(unknown)} not known")
        explained = data.get("explained")
        if explained is not None and not isinstance(explained, bool):
            raise ValueError("injury explained must be true, false or null")
        referral = data.get("referral")
        return cls(kinds, sites, explained, ReferralSaid(referral) if referral else None)


@dataclass(frozen=True, slots=True)
class Event:
    """One event an entry's words mention."""

    type: str  # a code from chronicle.core.event_types
    negated: bool = False  # did not happen: cancelled, declined, not held, not done
    hypothetical: bool = False  # planned, requested, advised, considered, not yet done
    historical: bool = False  # a time reference or passing mention, not this entry's own event
    subject: Subject = Subject.CHILD
    words: tuple[str, ...] = ()  # the words in the text that support it
    injury: Injury | None = None  # only for injury_observed
    source: str = "text"  # "text": read from the words; "agency": the agency's own code
    extra: Mapping[str, str] = field(default_factory=dict)  # anything else an extractor says

    @property
    def asserted(self) -> bool:
        """True when the entry says this event happened, now: not negated, planned or in passing."""
        return not (self.negated or self.hypothetical or self.historical)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.type,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "historical": self.historical,
            "subject": self.subject.value,
            "words": list(self.words),
        }
        if self.injury is not None:
            data["injury"] = self.injury.to_json()
        if self.source != "text":
            data["source"] = self.source
        if self.extra:
            data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Event:
        code = data.get("type")
        if code not in EVENT_TYPES:
            raise ValueError(f"event type {code!r} is not an event-type code")
        flags = {}
        for name in ("negated", "hypothetical", "historical"):
            value = data.get(name, False)
            if not isinstance(value, bool):
                raise ValueError(f"event {name} must be true or false, not {value!r}")
            flags[name] = value
        try:
            subject = Subject(data.get("subject", Subject.CHILD.value))
        except ValueError:
            raise ValueError(f"event subject {data.get('subject')!r} is not one of {list(Subject)}") from None
        injury = data.get("injury")
        return cls(
            type=str(code),
            subject=subject,
            words=tuple(str(w) for w in data.get("words") or ()),
            injury=Injury.from_json(injury) if injury else None,
            source=str(data.get("source", "text")),
            extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
            **flags,
        )


def events_to_json(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [event.to_json() for event in events]


def events_from_json(data: Sequence[Mapping[str, Any]] | None) -> tuple[Event, ...]:
    return tuple(Event.from_json(item) for item in data or ())


def asserted_types(events: Iterable[Event], subject: Subject | None = Subject.CHILD) -> frozenset[str]:
    """The types an entry asserts happened, about ``subject`` (None: about anyone).

    An event about an unknown person counts as about the child: records usually
    leave the child unnamed ("bruise to left cheek").
    """
    wanted = {subject, Subject.UNKNOWN} if subject is not None else set(Subject)
    return frozenset(e.type for e in events if e.asserted and e.subject in wanted)


_SUBJECT_WORDS = {
    Subject.SIBLING: "about a sibling",
    Subject.PARENT_OR_CARER: "about a parent or carer",
    Subject.OTHER_ADULT: "about another adult",
    Subject.UNKNOWN: "about someone unnamed",
}


def describe_event(event: Event) -> str:
    """One event in plain words: its type, what the entry says of it, whom it is about and the words."""
    said = [
        words
        for flag, words in (
            (event.negated, "did not happen"),
            (event.hypothetical, "planned or not yet done"),
            (event.historical, "mentioned in passing"),
        )
        if flag
    ]
    if event.subject in _SUBJECT_WORDS:
        said.append(_SUBJECT_WORDS[event.subject])
    if event.source == "agency":
        said.append("the agency's own code")
    text = label(event.type) + (f" ({'; '.join(said)})" if said else "")
    if event.words:
        text += " from “" + "”, “".join(event.words) + "”"
    return text


def describe_events(events: Iterable[Event]) -> str:
    """Every event of an entry in plain words, or "" when there is none."""
    return "; ".join(describe_event(e) for e in events)


# Of several types asserted, the one a list shows and the expected-contact checks read: the types that
# start or meet the statutory clocks first, then the rest in the order of EVENT_TYPES.
_PRIMARY_FIRST = (
    "death",
    "birth",
    "cp_plan_start",
    "cp_plan_end",
    "lac_start",
    "placement_start",
    "visit",
    "hv_contact",
    "icpc",
    "rcpc",
    "strategy_discussion",
    "s47_start",
    "s47_outcome",
    "referral",
)
_PRIMARY_RANK = {code: rank for rank, code in enumerate(dict.fromkeys((*_PRIMARY_FIRST, *EVENT_TYPES)))}


def primary_type(events: Sequence[Event], asserted: frozenset[str] | None = None) -> str | None:
    """The agency's own code if given, else the first asserted type about the child by ``_PRIMARY_FIRST``."""
    for event in events:
        if event.source == "agency":
            return event.type
    codes = asserted if asserted is not None else asserted_types(events)
    return min(codes, key=lambda code: _PRIMARY_RANK.get(code, len(_PRIMARY_RANK))) if codes else None
