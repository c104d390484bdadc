"""What a review's evidence can be: the screening record, findings (one per rule, status and
chronology), duplicates and conflicts, and any entry. People choose from these into the review's
evidence pool; reasons and criteria then cite what is in the pool.

A case has thousands of entries, so nothing here is meant to be listed whole: ``search`` gives one
page of what matches a few words, read from the case's stored analysis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Case, QuerySet, Value, When
from django.db.models.fields.json import KT

from chronicle.composite import services as composite
from chronicle.composite.models import AnalysedEntry, AnalysedFinding, AnalysedLink, StoredAnalysis
from chronicle.composite.stored import entry_option_words
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


def link_key(uid_a: str, uid_b: str) -> str:
    first, second = sorted([uid_a, uid_b])
    return f"link|{first}:{second}"


def _stored(incident: Incident) -> StoredAnalysis | None:
    """The analysis the composite pages show (a small case with none is analysed here, once)."""
    return composite.shown(incident).stored


def _references(stored: StoredAnalysis, positions: set[int]) -> dict[int, tuple[str, str]]:
    rows = AnalysedEntry.objects.filter(analysis=stored, position__in=positions)
    return {
        p: (reference, date) for p, reference, date in rows.values_list("position", "reference", "date_words")
    }


def _findings(stored: StoredAnalysis | None, only: tuple[str, str, str] | None = None) -> Iterator[Option]:
    if stored is None:
        return
    rows = AnalysedFinding.objects.filter(analysis=stored).exclude(status="met")
    if only:
        rows = rows.filter(rule_id=only[0], status=only[1], agency=only[2])
    grouped: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    first_of_rule: dict[str, int] = {}
    # The columns only: each rule's title is read from the detail of one of its findings, not of each.
    for rule_id, status, agency, trigger, number in rows.order_by("number").values_list(
        "rule_id", "status", "agency", "trigger_position", "number"
    ):
        grouped[(rule_id, status, agency)].append(trigger)
        first_of_rule.setdefault(rule_id, number)
    titles = dict(
        AnalysedFinding.objects.filter(analysis=stored, number__in=first_of_rule.values())
        .annotate(title=KT("detail__rule_title"))
        .values_list("rule_id", "title")
    )
    shown = _references(stored, {i for triggers in grouped.values() for i in triggers[:5]})
    for (rule_id, status, agency), triggers in grouped.items():
        count = f" ×{len(triggers)}" if len(triggers) > 1 else ""
        dates = ", ".join(shown[i][1] for i in triggers[:5])
        more = f" and {len(triggers) - 5} more" if len(triggers) > 5 else ""
        reference = finding_reference(rule_id, status, agency)
        yield Option(
            f"finding|{reference}",
            "finding",
            reference,
            f"Finding: {titles[rule_id]}: {status_words(status)}{count}, {agency} ({dates}{more})",
        )


def _link_rows(stored: StoredAnalysis | None, wanted: Sequence[str] = ()) -> QuerySet[AnalysedLink]:
    """The links whose words hold every word wanted, as the core's Analysis lists them: the duplicates,
    then the conflicts."""
    if stored is None:
        return AnalysedLink.objects.none()
    rows = AnalysedLink.objects.filter(analysis=stored)
    for word in wanted:
        rows = rows.filter(label__icontains=word)
    conflict = Case(When(kind="duplicate", then=Value(0)), default=Value(1))
    return rows.order_by(conflict, "pk")


def _link_options(rows: Iterable[tuple[Any, Any, str]]) -> Iterator[Option]:
    for first, second, label in rows:
        key = link_key(str(first), str(second))
        yield Option(key, "link", key.partition("|")[2], label)


def _links(stored: StoredAnalysis | None, only: tuple[str, str] | None = None) -> Iterator[Option]:
    rows = _link_rows(stored)
    if only:
        rows = rows.filter(first_uid=only[0], second_uid=only[1])
    yield from _link_options(rows.values_list("first_uid", "second_uid", "label"))


def _entry_options(rows: QuerySet[AnalysedEntry]) -> Iterator[Option]:
    """Each entry as the picker lists it (``entry_option_label``), from its columns and its words alone."""
    described = rows.annotate(description=KT("detail__entry__description")).values_list(
        "uid", "reference", "description"
    )
    for uid, reference, description in described:
        yield Option(f"entry|{uid}", "entry", str(uid), entry_option_words(reference, description))


def _matching_entries(stored: StoredAnalysis | None, wanted: list[str]) -> QuerySet[AnalysedEntry]:
    if stored is None:
        return AnalysedEntry.objects.none()
    rows = AnalysedEntry.objects.filter(analysis=stored)
    for word in wanted:
        rows = rows.filter(picker_text__contains=word)
    return rows.order_by("position")


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
    """Everything that can be evidence, most telling first: screening, findings, links, entries.

    Every entry of the case: for tests and the demo; pages use ``search``, a page at a time.
    """
    stored = _stored(incident)
    return [
        *_screening(incident),
        *_findings(stored),
        *_links(stored),
        *_entry_options(_matching_entries(stored, [])),
    ]


@dataclass(frozen=True)
class SearchPage:
    options: list[Option]
    total: int
    number: int
    pages: int


def search(incident: Incident, words: str, kind: str = "", page: int = 1) -> SearchPage:
    """One page of the options whose words include every word asked for (of one kind, if asked).

    The screening record and findings (a few groups) are matched here; links and entries, thousands
    in a large case, are matched, counted and paged in the database, after them.
    """
    wanted = words.casefold().split()
    stored = _stored(incident)
    few = [
        option
        for option in (*_screening(incident), *_findings(stored))
        if (not kind or option.kind == kind) and all(word in option.label.casefold() for word in wanted)
    ]
    links = _link_rows(stored, wanted) if kind in ("", "link") else AnalysedLink.objects.none()
    entries = _matching_entries(stored, wanted) if kind in ("", "entry") else AnalysedEntry.objects.none()
    sizes = [len(few), links.count(), entries.count()]
    total = sum(sizes)
    pages = max(1, -(-total // PICKER_PAGE))
    number = min(max(1, page), pages)
    skip = (number - 1) * PICKER_PAGE
    chosen: list[Option] = []
    # The page may start in one part (few, links, entries) and end in the next.
    for part, size in enumerate(sizes):
        if skip >= size:
            skip -= size
            continue
        take = slice(skip, skip + PICKER_PAGE - len(chosen))
        if part == 0:
            chosen += few[take]
        elif part == 1:
            chosen += _link_options(links.values_list("first_uid", "second_uid", "label")[take])
        else:
            chosen += _entry_options(entries[take])
        skip = 0
        if len(chosen) >= PICKER_PAGE:
            break
    return SearchPage(chosen, total, number, pages)


def describe(incident: Incident, key: str) -> Option | None:
    """The option a form value names, or None when the case has no such thing (any more)."""
    kind, _, reference = key.partition("|")
    if kind == "screening":
        return next((option for option in _screening(incident) if option.key == key), None)
    stored = _stored(incident)
    source: Iterable[Option] = ()
    if kind == "finding":
        parts = reference.split("|")
        if len(parts) == 3:
            source = _findings(stored, (parts[0], parts[1], parts[2]))
    elif kind == "link":
        first, _, second = reference.partition(":")
        if _is_uuid(first) and _is_uuid(second):
            source = _links(stored, (first, second))
    elif kind == "entry" and _is_uuid(reference) and stored is not None:
        source = _entry_options(AnalysedEntry.objects.filter(analysis=stored, uid=reference))
    return next((option for option in source if option.key == key), None)


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
