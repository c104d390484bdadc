"""The people named in a case, and the partnership's pseudonymiser for them."""

from __future__ import annotations

from chronicle.composite.models import CasePeople, PseudonymKey
from chronicle.core.pseudonyms import Person, Pseudonymiser
from chronicle.incidents.models import Incident


def parse_people(text: str) -> list[Person]:
    """One person a line; other spellings after "|" on the same line."""
    people = []
    for line in text.splitlines():
        names = [name.strip() for name in line.split("|") if name.strip()]
        if names:
            people.append(Person(names[0], tuple(names[1:])))
    return people


def case_people(incident: Incident) -> list[Person]:
    listed = CasePeople.objects.filter(incident=incident).first()
    return parse_people(listed.names if listed else "")


def pseudonymiser_for(incident: Incident) -> Pseudonymiser:
    """The partnership's pseudonymiser; its key is made the first time it is needed and never leaves it."""
    key, _ = PseudonymKey.objects.get_or_create(partnership=incident.partnership)
    return Pseudonymiser(bytes.fromhex(key.key))
