"""How many links and findings await a person's decision, for many cases at once.

Read from analyses already worked out (kept by the versions they are made from, see
``services.build``), in a fixed number of queries whatever the number of cases: a dashboard
lists every open case without working out any analysis itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.core.cache import cache
from django.db.models import Count

from chronicle.chronologies.models import ChronologyVersion, VersionEntry
from chronicle.composite.models import FindingDecision, LinkDecision
from chronicle.composite.services import UID, analysis_key
from chronicle.core.analysis import Analysis
from chronicle.incidents.models import Incident


@dataclass(frozen=True)
class Awaiting:
    links: int
    findings: int

    @property
    def total(self) -> int:
        return self.links + self.findings


def awaiting_confirmation(incidents: Sequence[Incident]) -> dict[int, Awaiting | None]:
    """Per case (by id): links and findings no one has decided on yet.

    None when the case's analysis has not been worked out since its chronologies last changed
    (opening its composite chronology works it out); a case with no chronology awaits nothing.
    Prefetch the incidents' ``children`` to keep to a fixed number of queries.
    """
    if not incidents:
        return {}
    ids = [incident.pk for incident in incidents]
    # For each case and agency, the newest submitted version (later rounds and numbers win).
    newest: dict[int, dict[int, tuple[int, int, int, UUID, str]]] = defaultdict(dict)
    for version_id, code, number, round_, agency_id, agency, incident_id in ChronologyVersion.objects.filter(
        request__incident_id__in=ids
    ).values_list(
        "pk",
        "code",
        "number",
        "request__round",
        "request__agency_id",
        "request__agency__name",
        "request__incident_id",
    ):
        held = newest[incident_id].get(agency_id)
        if held is None or (round_, number) > (held[0], held[1]):
            newest[incident_id][agency_id] = (round_, number, version_id, code, agency)
    chosen = [v[2] for versions in newest.values() for v in versions.values()]
    unread = dict(
        VersionEntry.objects.filter(version_id__in=chosen, events__isnull=True)
        .values("version__request__incident_id")
        .annotate(n=Count("pk"))
        .values_list("version__request__incident_id", "n")
    )
    keys: dict[int, str] = {}
    for incident in incidents:
        versions = newest.get(incident.pk, {})
        if versions:
            # In the order services.build takes them (by agency name), so the keys agree.
            codes = [v[3] for v in sorted(versions.values(), key=lambda v: v[4])]
            keys[incident.pk] = analysis_key(incident, codes, unread.get(incident.pk, 0))
    analyses: dict[str, Analysis] = cache.get_many(list(keys.values()))
    decided_findings: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for incident_id, rule_id, trigger in FindingDecision.objects.filter(incident_id__in=ids).values_list(
        "incident_id", "rule_id", "trigger_uid"
    ):
        decided_findings[incident_id].add((rule_id, str(trigger)))
    decided_links: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for incident_id, first, second in LinkDecision.objects.filter(incident_id__in=ids).values_list(
        "incident_id", "first_uid", "second_uid"
    ):
        decided_links[incident_id].add((str(first), str(second)))
    result: dict[int, Awaiting | None] = {}
    for incident in incidents:
        if incident.pk not in keys:
            result[incident.pk] = Awaiting(0, 0)
            continue
        analysis = analyses.get(keys[incident.pk])
        if analysis is None:
            result[incident.pk] = None
            continue
        result[incident.pk] = _count(analysis, decided_findings[incident.pk], decided_links[incident.pk])
    return result


def _count(analysis: Analysis, findings: set[tuple[str, str]], links: set[tuple[str, str]]) -> Awaiting:
    def uid(index: int) -> str:
        return str(analysis.entries[index].extra[UID])

    open_links = sum(
        1 for link in analysis.links if tuple(sorted([uid(link.a_index), uid(link.b_index)])) not in links
    )
    # As the review queue: a finding proposed as met asks nobody to confirm it.
    open_findings = sum(
        1
        for f in analysis.findings
        if str(f.status) != "met" and (f.rule_id, uid(f.trigger_index)) not in findings
    )
    return Awaiting(open_links, open_findings)
