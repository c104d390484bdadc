"""The composite chronology as a file: the whole of it, or the entries a set of filters keeps, with what
people decided about its links and findings and the six headings they wrote."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.http import QueryDict

from chronicle.composite import services
from chronicle.composite.filtering import filtered_entries
from chronicle.composite.forms import FilterForm
from chronicle.composite.models import EntryAnalysis, FindingDecision, LinkDecision
from chronicle.composite.people import case_people, pseudonymiser_for
from chronicle.core.analysis import Analysis
from chronicle.core.entries import SIX_HEADINGS
from chronicle.core.exports import FORMATS, Decided, Decisions, export_composite
from chronicle.incidents.models import Incident


def decisions_of(built: services.Composite) -> Decisions:
    """People's decisions on the case's links and findings, keyed by position in the composite."""
    position = {built.uid(i): i for i in range(len(built.analysis.entries))}

    def who(user: object) -> str:
        return str(getattr(user, "display_name", "") or "")

    links: dict[tuple[int, int], Decided] = {}
    for d in LinkDecision.objects.filter(incident=built.incident).select_related("decided_by"):
        a, b = position.get(str(d.first_uid)), position.get(str(d.second_uid))
        if a is not None and b is not None:
            links[(min(a, b), max(a, b))] = Decided(d.decision, "", d.reason, who(d.decided_by))
    findings: dict[tuple[str, int], Decided] = {}
    for f in FindingDecision.objects.filter(incident=built.incident).select_related("decided_by"):
        trigger = position.get(str(f.trigger_uid))
        if trigger is not None:
            findings[(f.rule_id, trigger)] = Decided(f.decision, f.status, f.reason, who(f.decided_by))
    return Decisions(links, findings)


def with_six_headings(built: services.Composite) -> Analysis:
    """The analysis with the six headings people wrote for entries (the agency's own text kept first)."""
    written = {str(a.entry_uid): a for a in EntryAnalysis.objects.filter(incident=built.incident)}
    if not written:
        return built.analysis
    entries = list(built.analysis.entries)
    for index, entry in enumerate(entries):
        row = written.get(built.uid(index))
        if row is None:
            continue
        changes: dict[str, Any] = {}
        for name in SIX_HEADINGS:
            theirs = (getattr(row, name, "") or "").strip()
            own = getattr(entry, name)
            if theirs and theirs not in own:
                changes[name] = f"{own}\n{theirs}".strip()
        if changes:
            entries[index] = dataclasses.replace(entry, **changes)
    return dataclasses.replace(built.analysis, entries=entries)


def composite_file(
    incident: Incident,
    fmt: str,
    *,
    pseudonymise: bool,
    filters: QueryDict | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> tuple[bytes, str]:
    """The file's bytes and content type, from the analysis the pages show. Raises ExportError for an
    unknown format."""
    shown = services.shown(incident)
    built = services.shown_composite(incident, shown)
    only = None
    if filters and shown.stored is not None:
        form = FilterForm(filters, agencies=built.analysis.agencies)
        only = list(filtered_entries(shown.stored, form).values_list("position", flat=True))
    if on_progress is not None:
        on_progress(f"Writing the {fmt.upper()} file")
    content = export_composite(
        with_six_headings(built),
        fmt,
        title=f"Multi-agency chronology, case {incident.reference}",
        pseudonymiser=pseudonymiser_for(incident) if pseudonymise else None,
        names=case_people(incident) if pseudonymise else (),
        only=only,
        decisions=decisions_of(built),
    )
    return content, FORMATS[fmt]
