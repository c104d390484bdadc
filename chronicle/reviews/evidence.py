"""What a review's evidence can be: the screening record, findings (one per rule, status and
chronology), duplicates and conflicts, and any entry. People choose from these into the review's
evidence pool; reasons and criteria then cite what is in the pool.

A case has thousands of entries, so nothing here is meant to be listed whole: ``search`` gives one
page of what matches a few words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from chronicle.composite import services as composite
from chronicle.core.plain_words import status_words
from chronicle.incidents.models import Incident

PICKER_PAGE = 20
KIND_WORDS = {
    "finding": "Findings",
    "link": "Duplicates and conflicts",
    "entry": "Entries",
    "screening": "Screening record",
}


@dataclass(frozen=True)
class Option:
    key: str  # "kind|reference", the form value
    kind: str
    reference: str
    label: str


def finding_reference(rule_id: str, status: str, agency: str) -> str:
    """One piece of evidence per rule, status and chronology: four "not met" from the police are one."""
    return f"{rule_id}|{status}|{agency}"[:200]


def finding_key_of(built: composite.Composite, number: int) -> str:
    finding = built.analysis.findings[number]
    agency = built.analysis.entries[finding.trigger_index].agency
    return f"finding|{finding_reference(finding.rule_id, str(finding.status), agency)}"


def link_key_of(built: composite.Composite, a_index: int, b_index: int) -> str:
    first, second = sorted([built.uid(a_index), built.uid(b_index)])
    return f"link|{first}:{second}"


def _findings(built: composite.Composite) -> Iterator[Option]:
    analysis = built.analysis
    grouped: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    titles: dict[str, str] = {}
    for finding in analysis.findings:
        if str(finding.status) == "met":
            continue
        agency = analysis.entries[finding.trigger_index].agency
        grouped[(finding.rule_id, str(finding.status), agency)].append(finding.trigger_index)
        titles[finding.rule_id] = finding.rule_title
    for (rule_id, status, agency), triggers in grouped.items():
        count = f" ×{len(triggers)}" if len(triggers) > 1 else ""
        dates = ", ".join(analysis.entries[i].date.display() for i in triggers[:5])
        more = f" and {len(triggers) - 5} more" if len(triggers) > 5 else ""
        reference = finding_reference(rule_id, status, agency)
        yield Option(
            f"finding|{reference}",
            "finding",
            reference,
            f"Finding: {titles[rule_id]}: {status_words(status)}{count}, {agency} ({dates}{more})",
        )


def _links(built: composite.Composite) -> Iterator[Option]:
    analysis = built.analysis
    for link in analysis.links:
        a, b = analysis.entries[link.a_index], analysis.entries[link.b_index]
        key = link_key_of(built, link.a_index, link.b_index)
        yield Option(
            key,
            "link",
            key.partition("|")[2],
            f"{link.kind.capitalize()}: {a.reference()} and {b.reference()}: {'; '.join(link.reasons)}",
        )


def _entries(built: composite.Composite) -> Iterator[Option]:
    for index, entry in enumerate(built.analysis.entries):
        uid = built.uid(index)
        yield Option(f"entry|{uid}", "entry", uid, f"Entry: {entry.reference()}: {entry.description[:200]}")


def _screening(incident: Incident) -> Iterator[Option]:
    screening = incident.latest_screening()
    if screening:
        yield Option(
            f"screening|{screening.code}",
            "screening",
            str(screening.code),
            f"Screening decision version {screening.version}: {screening.get_outcome_display()} ({screening.regime})",
        )


def options(incident: Incident) -> list[Option]:
    """Everything that can be evidence, most telling first: screening, findings, links, entries."""
    built = composite.build(incident)
    return [*_screening(incident), *_findings(built), *_links(built), *_entries(built)]


@dataclass(frozen=True)
class SearchPage:
    options: list[Option]
    total: int
    number: int
    pages: int


def search(incident: Incident, words: str, kind: str = "", page: int = 1) -> SearchPage:
    """One page of the options whose words include every word asked for (of one kind, if asked)."""
    wanted = words.casefold().split()
    matching = [
        option
        for option in options(incident)
        if (not kind or option.kind == kind) and all(word in option.label.casefold() for word in wanted)
    ]
    pages = max(1, -(-len(matching) // PICKER_PAGE))
    number = min(max(1, page), pages)
    start = (number - 1) * PICKER_PAGE
    return SearchPage(matching[start : start + PICKER_PAGE], len(matching), number, pages)


def describe(incident: Incident, key: str) -> Option | None:
    """The option a form value names, or None when the case has no such thing (any more)."""
    kind = key.partition("|")[0]
    built = composite.build(incident)
    source = {
        "screening": _screening(incident),
        "finding": _findings(built),
        "link": _links(built),
        "entry": _entries(built),
    }.get(kind)
    return next((option for option in source if option.key == key), None) if source else None
