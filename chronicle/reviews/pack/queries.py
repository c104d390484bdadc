"""The Panel pack's data from the database: the composite chronology with what people decided about it."""

from __future__ import annotations

from dataclasses import dataclass

from chronicle.composite import services as composite_services
from chronicle.composite.models import FindingDecision, LinkDecision
from chronicle.core.analysis import Analysis
from chronicle.core.exports import (
    pseudonymise_analysis,
)
from chronicle.core.plain_words import dates_in_words
from chronicle.core.pseudonyms import Person, Pseudonymiser
from chronicle.incidents.models import Incident


@dataclass(frozen=True)
class ComposedCase:
    """The composite chronology as the pack shows it, with what people decided about it."""

    analysis: Analysis
    uids: list[str]
    findings: dict[tuple[str, str], FindingDecision]
    links: dict[tuple[str, str], LinkDecision]

    def number(self, index: int) -> str:
        return f"No. {index + 1}"

    def entry(self, index: int) -> str:
        return f"{self.number(index)}: {dates_in_words(self.analysis.entries[index].reference())}"

    def link_decision(self, a: int, b: int) -> LinkDecision | None:
        first, second = sorted([self.uids[a], self.uids[b]])
        return self.links.get((first, second))


def compose_case(
    incident: Incident, pseudonymiser: Pseudonymiser | None, people: list[Person]
) -> ComposedCase:
    built = composite_services.build(incident)
    analysis = built.analysis
    uids = [built.uid(i) for i in range(len(analysis.entries))]
    if pseudonymiser is not None and people:
        analysis = pseudonymise_analysis(analysis, pseudonymiser, people)
    findings = {
        (f.rule_id, str(f.trigger_uid)): f
        for f in FindingDecision.objects.filter(incident=incident).select_related("decided_by")
    }
    links = {
        (str(k.first_uid), str(k.second_uid)): k
        for k in LinkDecision.objects.filter(incident=incident).select_related("decided_by")
    }
    return ComposedCase(analysis, uids, findings, links)
