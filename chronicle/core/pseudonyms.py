"""Consistent pseudonyms across every agency's chronology, and safe spreadsheet cells.

A person's pseudonym is worked out from their name with a keyed hash
(HMAC-SHA256), so the same person gets the same pseudonym in the police,
health and school chronologies, and in next month's export, without any
stored list. Without the key nobody can work out who a pseudonym stands for,
or even check a guess. Only the key holder can build the table that turns
pseudonyms back into names (``PseudonymTable``).

Names are replaced as whole words, ignoring case, and a person's aliases
(a nickname, "Mum", a previous surname) get the same pseudonym as their name.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Crockford's base 32: no I, L, O or U, so codes are easy to read aloud and type.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6  # 30 bits: a clash inside one case is very unlikely, and is checked for
MIN_KEY_BYTES = 16


@dataclass(frozen=True, slots=True)
class Person:
    """A person named in the chronologies, with the other names they appear under."""

    name: str
    aliases: tuple[str, ...] = ()
    # The readable pseudonym the case's list gives ("Child A", "Adult 1", "GP 1"); empty: a keyed code.
    pseudonym: str = ""

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def normalise_name(name: str) -> str:
    """The form a name is hashed in: case and spacing do not matter."""
    return " ".join(name.replace("\u2019", "'").casefold().split())


@dataclass(frozen=True, slots=True)
class PseudonymTable:
    """Names to pseudonyms and back. Only the key holder can build one."""

    by_name: Mapping[str, str]  # normalised name or alias -> pseudonym
    by_pseudonym: Mapping[str, str]  # pseudonym -> the person's main name
    pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once: an export replaces names in every cell of every entry.
        object.__setattr__(self, "pattern", _names_pattern(self.by_name))

    def reverse(self, text: str) -> str:
        """Put the main names back in place of pseudonyms."""
        if not self.by_pseudonym:
            return text
        pattern = re.compile("|".join(re.escape(p) for p in sorted(self.by_pseudonym, key=len, reverse=True)))
        return pattern.sub(lambda m: self.by_pseudonym[m.group()], text)


class Pseudonymiser:
    """Pseudonyms from a secret key held by the partnership."""

    def __init__(self, key: bytes, prefix: str = "Person") -> None:
        if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the key must be at least {MIN_KEY_BYTES} random bytes")
        if not prefix.strip():
            raise ValueError("the prefix must not be empty")
        self._key = key
        self.prefix = prefix.strip()

    def __repr__(self) -> str:  # never show the key
        return f"Pseudonymiser(prefix={self.prefix!r})"

    def pseudonym(self, name: str) -> str:
        """The same pseudonym for the same name (ignoring case and spacing), e.g. "Person 7K3QM2"."""
        normal = normalise_name(name)
        if not normal:
            raise ValueError("cannot make a pseudonym for an empty name")
        digest = hmac.new(self._key, normal.encode("utf-8"), hashlib.sha256).digest()
        number = int.from_bytes(digest[:8], "big")
        code = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))
        return f"{self.prefix} {code}"

    def table(self, people: Iterable[Person]) -> PseudonymTable:
        """Pseudonyms for everyone named, aliases included; the key holder's way back to names.

        Raises ValueError if one name is given for two people, or if two people's
        pseudonyms clash (then use a different key).
        """
        by_name: dict[str, str] = {}
        by_pseudonym: dict[str, str] = {}
        owner: dict[str, str] = {}
        for person in people:
            pseudonym = person.pseudonym or self.pseudonym(person.name)
            main = normalise_name(person.name)
            if pseudonym in by_pseudonym and normalise_name(by_pseudonym[pseudonym]) != main:
                raise ValueError(
                    f"{person.name!r} and {by_pseudonym[pseudonym]!r} share the pseudonym {pseudonym}"
                )
            by_pseudonym[pseudonym] = person.name
            for name in person.all_names():
                normal = normalise_name(name)
                if not normal:
                    raise ValueError(f"an alias of {person.name!r} is empty")
                if normal in owner and normalise_name(owner[normal]) != main:
                    raise ValueError(
                        f"the name {name!r} is given for both {owner[normal]!r} and {person.name!r}"
                    )
                owner[normal] = person.name
                by_name[normal] = pseudonym
        return PseudonymTable(by_name, by_pseudonym)

    def apply(self, text: str, people: Sequence[Person] | PseudonymTable) -> str:
        """Replace every name and alias in the text by its pseudonym (whole words, any case)."""
        table = people if isinstance(people, PseudonymTable) else self.table(people)
        return replace_names(text, table)


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Any of the (normalised) names as whole words, longest first, ignoring case.

    Spaces inside a name match any run of spaces, and an apostrophe matches a curly one.
    """
    alternatives = sorted(names, key=len, reverse=True)
    if not alternatives:
        return None
    body = "|".join(
        r"\s+".join(re.escape(part).replace("'", "['\u2019]") for part in name.split(" "))
        for name in alternatives
    )
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def replace_names(text: str, table: PseudonymTable) -> str:
    """Whole-word, case-insensitive replacement; the longest name wins where names overlap."""
    if table.pattern is None or not text:
        return text
    return table.pattern.sub(lambda m: table.by_name[normalise_name(m.group())], text)


# --- A case's list of people and their readable pseudonyms ------------------------------------------

# "Parent M", "Child A", "GP 1", "Adult 12": already a pseudonym, so kept as written.
_PSEUDONYMOUS = re.compile(r"^[A-Za-z][A-Za-z' -]*\s(?:[A-Z]|\d{1,3})$")
DEFAULT_PREFIX = "Adult"


def looks_pseudonymous(name: str) -> bool:
    return bool(_PSEUDONYMOUS.match(" ".join(name.split())))


class CaseListError(ValueError):
    """A line of a case's list of people that cannot be used; ``line`` counts from 1."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"Line {line}: {message}")
        self.line = line


def parse_case_list(text: str) -> list[Person]:
    """One person a line: ``Name | other spelling | ... = Pseudonym``.

    Without "= Pseudonym" a name that is already a pseudonym ("Parent M") stays as written, and
    anyone else gets the next free "Adult n", so every pseudonym is readable and stays the same
    from one export to the next once the list is saved. Raises CaseListError naming the line.
    """
    listed: list[tuple[int, list[str], str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        names_part, _, pseudonym = line.partition("=")
        names = [" ".join(name.split()) for name in names_part.split("|") if name.strip()]
        pseudonym = " ".join(pseudonym.split())
        if not names:
            raise CaseListError(number, "give the person's name before the “=”")
        if "=" in line and not pseudonym:
            raise CaseListError(number, f"give a pseudonym for {names[0]} after the “=”, or remove the “=”")
        if not pseudonym and looks_pseudonymous(names[0]):
            pseudonym = names[0]
        listed.append((number, names, pseudonym))
    owners: dict[str, tuple[int, str]] = {}  # normalised name or pseudonym -> (line, person)
    for number, names, _pseudonym in listed:
        for name in names:
            normal = normalise_name(name)
            if normal in owners and owners[normal][1] != names[0]:
                where, other = owners[normal]
                raise CaseListError(number, f"“{name}” is already given for {other} on line {where}")
            owners[normal] = (number, names[0])
    taken: dict[str, tuple[int, str]] = {}
    for number, names, pseudonym in listed:
        if not pseudonym:
            continue
        normal = normalise_name(pseudonym)
        if normal in taken:
            where, other = taken[normal]
            raise CaseListError(number, f"the pseudonym “{pseudonym}” is already {other}'s, on line {where}")
        if normal in owners and owners[normal][1] != names[0]:
            where, other = owners[normal]
            raise CaseListError(number, f"the pseudonym “{pseudonym}” is a name of {other}, on line {where}")
        taken[normal] = (number, names[0])
    people: list[Person] = []
    next_number = 1
    for _number, names, pseudonym in listed:
        if not pseudonym:
            while (
                normalise_name(f"{DEFAULT_PREFIX} {next_number}") in taken
                or normalise_name(f"{DEFAULT_PREFIX} {next_number}") in owners
            ):
                next_number += 1
            pseudonym = f"{DEFAULT_PREFIX} {next_number}"
            taken[normalise_name(pseudonym)] = (_number, names[0])
        people.append(Person(names[0], tuple(names[1:]), pseudonym))
    return people


def format_case_list(people: Iterable[Person]) -> str:
    """The list as the manager edits it, with every pseudonym written out."""
    return "\n".join(" | ".join(person.all_names()) + f" = {person.pseudonym}" for person in people)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(cell: str) -> str:
    """Stop a spreadsheet treating text as a formula: prefix ' to = + - @ tab or CR at the start.

    OWASP's advice for CSV injection. Ordinary text is returned unchanged.
    """
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def neutralise_row(cells: Iterable[str]) -> list[str]:
    return [neutralise_formula(cell) for cell in cells]


def pseudonymise_fields(
    values: Mapping[str, str], table: PseudonymTable, fields: Iterable[str] | None = None
) -> dict[str, str]:
    """A copy of a record with names replaced in the chosen text fields (all of them by default)."""
    chosen = set(values) if fields is None else set(fields)
    return {k: replace_names(v, table) if k in chosen else v for k, v in values.items()}
