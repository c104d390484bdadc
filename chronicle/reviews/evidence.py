"""What a criterion or a reason can be linked to: the case's findings, links, entries and screening."""

from __future__ import annotations

from dataclasses import dataclass

from chronicle.composite import services as composite
from chronicle.composite.models import Annotation
from chronicle.core.plain_words import finding_message, status_words
from chronicle.incidents.models import Incident


@dataclass(frozen=True)
class Option:
    key: str  # "kind|reference", the form value
    kind: str
    reference: str
    label: str


def options(incident: Incident) -> list[Option]:
    """Findings, conflicts and duplicates, starred or noted entries, and the screening record."""
    built = composite.build(incident)
    analysis = built.analysis
    found: list[Option] = []
    screening = incident.latest_screening()
    if screening:
        found.append(
            Option(
                f"screening|{screening.code}",
                "screening",
                str(screening.code),
                f"Screening decision version {screening.version}: {screening.get_outcome_display()} ({screening.regime})",
            )
        )
    for finding in analysis.findings:
        if str(finding.status) == "met":
            continue
        trigger = analysis.entries[finding.trigger_index]
        reference = f"{finding.rule_id}:{built.uid(finding.trigger_index)}"
        found.append(
            Option(
                f"finding|{reference}",
                "finding",
                reference,
                f"Finding: {finding.rule_title} ({status_words(finding.status)}): {trigger.reference()}: "
                f"{finding_message(finding.message, finding.rule_id)}",
            )
        )
    for link in analysis.links:
        a, b = analysis.entries[link.a_index], analysis.entries[link.b_index]
        reference = f"{built.uid(link.a_index)}:{built.uid(link.b_index)}"
        found.append(
            Option(
                f"link|{reference}",
                "link",
                reference,
                f"{link.kind.capitalize()}: {a.reference()} and {b.reference()}: {'; '.join(link.reasons)}",
            )
        )
    noted = set(Annotation.objects.filter(incident=incident).values_list("entry_uid", flat=True))
    in_findings = {f.trigger_index for f in analysis.findings} | {
        f.evidence_index for f in analysis.findings if f.evidence_index is not None
    }
    for index, entry in enumerate(analysis.entries):
        uid = built.uid(index)
        if index in in_findings or any(str(n) == uid for n in noted):
            found.append(
                Option(f"entry|{uid}", "entry", uid, f"Entry: {entry.reference()}: {entry.description[:200]}")
            )
    return found


def resolve(incident: Incident, keys: list[str]) -> list[tuple[str, str, str]]:
    by_key = {o.key: o for o in options(incident)}
    return [(by_key[k].kind, by_key[k].reference, by_key[k].label) for k in keys if k in by_key]
