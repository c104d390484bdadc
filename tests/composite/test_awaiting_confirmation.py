"""How many links and findings await a person, for many cases at once, from the stored analyses."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chronicle.composite import services
from chronicle.composite.awaiting import awaiting_confirmation
from chronicle.composite.models import FindingDecision, LinkDecision, StoredAnalysis
from chronicle.incidents.models import Incident
from tests.factories import actor_for, make_incident, with_chronology


def test_it_counts_what_no_one_has_decided(world: Any, case: Any) -> None:
    built = services.build(case)
    analysis = built.analysis
    assert analysis.links and analysis.findings
    counted = awaiting_confirmation([case])[case.pk]
    assert counted is not None
    assert (counted.links, counted.findings) == (len(analysis.links), len(analysis.findings))
    link = analysis.links[0]
    services.decide_link(
        actor_for(world.manager),
        case,
        built.uid(link.a_index),
        built.uid(link.b_index),
        str(link.kind),
        "confirmed",
        "",
    )
    finding = analysis.findings[0]
    services.decide_finding(actor_for(world.manager), built, finding, "confirmed", str(finding.status), "")
    after = awaiting_confirmation([case])[case.pk]
    assert after is not None
    assert (after.links, after.findings) == (len(analysis.links) - 1, len(analysis.findings) - 1)
    assert LinkDecision.objects.count() == FindingDecision.objects.count() == 1


def test_it_says_when_no_analysis_is_stored_yet(world: Any, case: Any) -> None:
    StoredAnalysis.objects.filter(incident=case).delete()  # as while the task makes the first one
    assert awaiting_confirmation([case]) == {case.pk: None}


def test_it_finds_nothing_awaiting_in_a_case_without_chronologies(world: Any) -> None:
    incident = make_incident(world, reference="NS-2024-061")
    counted = awaiting_confirmation([incident])[incident.pk]
    assert counted is not None and counted.total == 0


def test_it_takes_the_same_queries_for_one_case_or_many(world: Any, case: Any) -> None:
    services.build(case)
    others = [with_chronology(world, f"NS-2024-07{n}") for n in range(3)]
    cases = Incident.objects.prefetch_related("children")
    one_case = list(cases.filter(pk=case.pk))
    every_case = list(cases.filter(pk__in=[case.pk, *(o.pk for o in others)]))
    with CaptureQueriesContext(connection) as one:
        awaiting_confirmation(one_case)
    with CaptureQueriesContext(connection) as many:
        counted = awaiting_confirmation(every_case)
    assert len(many) == len(one)
    assert all(counted[o.pk] is not None for o in others)
