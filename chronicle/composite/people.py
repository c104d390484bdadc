"""The people named in a case with their readable pseudonyms, and the partnership's pseudonymiser."""

from __future__ import annotations

from chronicle.composite.models import CasePeople, PseudonymKey
from chronicle.core.pseudonyms import CaseListError, Person, Pseudonymiser, parse_case_list
from chronicle.incidents.models import Incident


def parse_people(text: str) -> list[Person]:
    """One person a line, other spellings after "|", the pseudonym after "=" (see ``parse_case_list``).

    A list saved before pseudonyms were checked may not parse: its people then get keyed codes
    rather than none, so no name is ever left in an export.
    """
    try:
        return parse_case_list(text)
    except CaseListError:
        people = []
        for line in text.splitlines():
            names = [name.strip() for name in line.partition("=")[0].split("|") if name.strip()]
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
