"""How many links and findings await a person's decision, for many cases at once.

Read from each case's newest stored analysis (the one its composite pages show), counted in the
database in a fixed number of queries whatever the number of cases: a dashboard lists every open
case without working out any analysis itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from chronicle.chronologies.models import ChronologyVersion
from chronicle.composite.models import (
    AnalysedFinding,
    AnalysedLink,
    AnalysisState,
    FindingDecision,
    LinkDecision,
    StoredAnalysis,
)
from chronicle.incidents.models import Incident


@dataclass(frozen=True)
class Awaiting:
    links: int
    findings: int

    @property
    def total(self) -> int:
        return self.links + self.findings


def awaiting_confirmation(incidents: Sequence[Incident]) -> dict[int, Awaiting | None]:
    """Per case (by id): links and findings no one has decided on yet, as the review queue lists them.

    None when the case has chronologies but no analysis is stored yet (the task is making it, or
    opening its composite chronology makes a small case's); a case with no chronology awaits nothing.
    """
    if not incidents:
        return {}
    ids = [incident.pk for incident in incidents]
    with_versions = set(
        ChronologyVersion.objects.filter(request__incident_id__in=ids).values_list(
            "request__incident_id", flat=True
        )
    )
    newest: dict[int, int] = {}  # incident id -> its newest ready analysis
    for incident_id, analysis_id in (
        StoredAnalysis.objects.filter(incident_id__in=with_versions, state=AnalysisState.READY)
        .order_by("incident_id", "-finished_at", "-pk")
        .values_list("incident_id", "pk")
    ):
        newest.setdefault(incident_id, analysis_id)
    analyses = {analysis_id: incident_id for incident_id, analysis_id in newest.items()}
    decided_link = LinkDecision.objects.filter(
        incident_id=OuterRef("analysis__incident_id"),
        first_uid=OuterRef("first_uid"),
        second_uid=OuterRef("second_uid"),
    )
    open_links = dict(
        AnalysedLink.objects.filter(analysis_id__in=analyses)
        .exclude(Exists(decided_link))
        .values("analysis_id")
        .annotate(n=Count("pk"))
        .values_list("analysis_id", "n")
    )
    decided_finding = FindingDecision.objects.filter(
        incident_id=OuterRef("analysis__incident_id"),
        rule_id=OuterRef("rule_id"),
        trigger_uid=OuterRef("trigger_uid"),
    )
    open_findings = dict(
        AnalysedFinding.objects.filter(analysis_id__in=analyses)
        .exclude(status="met")  # as the review queue: a finding proposed as met asks nobody
        .exclude(Exists(decided_finding))
        .values("analysis_id")
        .annotate(n=Count("pk"))
        .values_list("analysis_id", "n")
    )
    result: dict[int, Awaiting | None] = {}
    for incident in incidents:
        if incident.pk not in with_versions:
            result[incident.pk] = Awaiting(0, 0)
        elif incident.pk not in newest:
            result[incident.pk] = None
        else:
            analysis_id = newest[incident.pk]
            result[incident.pk] = Awaiting(open_links.get(analysis_id, 0), open_findings.get(analysis_id, 0))
    return result
