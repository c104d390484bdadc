"""The composite's analysis stored in tables by a task, and the pages that read it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.models import ChronologyRequest, Status
from chronicle.composite import services
from chronicle.composite import stored as stored_analysis
from chronicle.composite.models import (
    AnalysedEntry,
    AnalysedFinding,
    AnalysedLink,
    AnalysedScorecard,
    AnalysedSilence,
    AnalysisState,
    FindingDecision,
    LinkDecision,
    StoredAnalysis,
)
from chronicle.incidents.models import ClosureDay
from tests.factories import FULL_REQUEST, actor_for, add_entries, make_request, submit

PAGES = ("", "findings/", "quality/", "timeline/")
BANNER = "Newer chronologies are being analysed"


@pytest.fixture
def queued(settings: Any) -> None:
    """Tasks wait in the database queue until ``run_queue`` plays the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_queue() -> None:
    """Run the queued tasks in order, as the worker would (in this test's own connection and transaction)."""
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at", "pk").first()) is not None:
        result.claim("test-worker")
        result.set_successful(result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"]))


def add_gp_chronology(case: Any, world: Any) -> ChronologyRequest:
    """A third agency submits: the composite changes."""
    gp = make_request(world, case, world.gp, **FULL_REQUEST)
    add_entries(gp, world.manager, [("2024-02-21", "", "GP saw baby with bruise to left cheek.", "GP notes")])
    submit(world.manager, gp)
    return gp


def ready(case: Any) -> list[StoredAnalysis]:
    return list(StoredAnalysis.objects.filter(incident=case, state=AnalysisState.READY))


def test_it_stores_the_analysis_when_a_version_is_submitted(case: Any) -> None:
    [stored] = ready(case)
    assert stored.fingerprint == stored_analysis.inputs_of(case).fingerprint()
    analysis = stored_analysis.analyse_inputs(stored_analysis.inputs_of(case))
    assert stored.entry_count == len(analysis.entries) == 5
    assert AnalysedEntry.objects.filter(analysis=stored).count() == 5
    assert AnalysedLink.objects.filter(analysis=stored).count() == len(analysis.links) > 0
    assert AnalysedFinding.objects.filter(analysis=stored).count() == len(analysis.findings) > 0
    assert AnalysedScorecard.objects.filter(analysis=stored).count() == 2
    silences = len(analysis.silent_periods) + len(analysis.expected_contact_gaps)
    assert AnalysedSilence.objects.filter(analysis=stored).count() == silences
    positions = list(
        AnalysedEntry.objects.filter(analysis=stored).order_by("position").values_list("uid", flat=True)
    )
    assert [str(uid) for uid in positions] == [e.extra[services.UID] for e in analysis.entries]


def test_it_reads_back_exactly_the_analysis_it_stored(case: Any) -> None:
    [stored] = ready(case)
    made = stored_analysis.analyse_inputs(stored_analysis.inputs_of(case))
    loaded = stored_analysis.load(stored)
    for field in dataclasses.fields(made):
        if field.name != "timings":
            assert getattr(loaded, field.name) == getattr(made, field.name), field.name


def test_it_shows_every_page_from_the_stored_rows_without_analysing(as_: Any, case: Any) -> None:
    with mock.patch.object(stored_analysis, "analyse", side_effect=AssertionError("analysed in a page view")):
        for page in PAGES:
            response = as_("manager").get(f"/composite/{case.code}/{page}")
            assert response.status_code == 200, page
            assert BANNER not in response.content.decode()
        text = as_("manager").get(f"/composite/{case.code}/").content.decode()
        assert "5 of 5 entries shown" in text
        assert "Neighbour reported shouting" in text
        uid = AnalysedEntry.objects.filter(analysis=ready(case)[0]).values_list("uid", flat=True).first()
        assert as_("manager").get(f"/composite/{case.code}/entries/{uid}/").status_code == 200


def test_it_filters_and_pages_the_stored_entries_by_sql(as_: Any, case: Any) -> None:
    base = f"/composite/{case.code}/"
    duplicates = as_("manager").get(base, {"flags": "duplicate"}).content.decode()
    assert "2 of 5 entries shown" in duplicates
    words = as_("manager").get(base, {"text": "NEIGHBOUR shouting"}).content.decode()
    assert "1 of 5 entries shown" in words
    police = as_("manager").get(base, {"agencies": "Northshire Police"}).content.decode()
    assert "3 of 5 entries shown" in police
    # "February 2024" may mean any day of the month, so it is kept for a range starting on the 25th.
    late = (
        as_("manager")
        .get(base, {"date_from_day": "25", "date_from_month": "2", "date_from_year": "2024"})
        .content.decode()
    )
    assert "1 of 5 entries shown" in late and "Neighbour reported shouting" in late


def test_it_shows_the_previous_analysis_with_a_notice_while_a_new_one_is_made(
    as_: Any, case: Any, world: Any, queued: None
) -> None:
    [before] = ready(case)
    add_gp_chronology(case, world)
    assert DBTaskResult.objects.ready().filter(task_path__endswith="analyse_case").exists()
    for page in PAGES:
        text = as_("manager").get(f"/composite/{case.code}/{page}").content.decode()
        assert BANNER in text, page
        assert 'class="govuk-notification-banner"' in text
    text = as_("manager").get(f"/composite/{case.code}/").content.decode()
    assert "5 of 5 entries shown" in text and "bruise to left cheek" not in text
    run_queue()
    text = as_("manager").get(f"/composite/{case.code}/").content.decode()
    assert BANNER not in text
    assert "6 of 6 entries shown" in text and "bruise to left cheek" in text
    [after] = ready(case)
    assert after.pk != before.pk
    assert not StoredAnalysis.objects.filter(pk=before.pk).exists()  # the old one and its rows are gone
    assert not AnalysedEntry.objects.filter(analysis_id=before.pk).exists()


def test_it_asks_once_for_a_new_analysis_however_often_the_page_is_refreshed(
    as_: Any, case: Any, world: Any, queued: None
) -> None:
    add_gp_chronology(case, world)
    for _ in range(3):
        as_("manager").get(f"/composite/{case.code}/")
    assert DBTaskResult.objects.ready().filter(task_path__endswith="analyse_case").count() == 1


def test_it_analyses_again_when_a_version_is_accepted(case: Any, world: Any, queued: None) -> None:
    StoredAnalysis.objects.filter(incident=case).delete()  # as if the submit's task had been lost
    police = ChronologyRequest.objects.get(incident=case, agency=world.police)
    chronology_services.accept(actor_for(world.manager), police)
    run_queue()
    [stored] = ready(case)
    assert stored.fingerprint == stored_analysis.inputs_of(case).fingerprint()


def test_it_analyses_again_when_closure_days_change(case: Any, world: Any) -> None:
    [before] = ready(case)
    closure = ClosureDay.objects.create(
        partnership=world.northshire, day=dt.date(2024, 2, 5), reason="Training"
    )
    [after] = ready(case)
    assert after.fingerprint != before.fingerprint
    assert after.fingerprint == stored_analysis.inputs_of(case).fingerprint()
    closure.delete()
    [again] = ready(case)
    assert again.fingerprint == before.fingerprint


def test_it_keeps_people_s_decisions_across_a_new_analysis(as_: Any, case: Any, world: Any) -> None:
    stored = ready(case)[0]
    finding = AnalysedFinding.objects.filter(analysis=stored).order_by("number").first()
    link = AnalysedLink.objects.filter(analysis=stored, kind="duplicate").first()
    assert finding is not None and link is not None
    as_("manager").post(
        f"/composite/{case.code}/findings/{finding.number}/",
        {"decision": "confirmed", "analysis": stored.pk},
    )
    as_("manager").post(
        f"/composite/{case.code}/links/{link.first_uid}/{link.second_uid}/",
        {"decision": "confirmed", "reason": "Same call-out"},
    )
    decided = FindingDecision.objects.get(incident=case)
    assert (decided.rule_id, decided.trigger_uid) == (finding.rule_id, finding.trigger_uid)
    assert LinkDecision.objects.filter(incident=case, decision="confirmed").count() == 1
    add_gp_chronology(case, world)  # a new analysis, with new rows and positions
    [after] = ready(case)
    assert after.pk != stored.pk
    text = as_("manager").get(f"/composite/{case.code}/findings/").content.decode()
    assert "Confirmed" in text and "by Manager" in text
    moved = AnalysedEntry.objects.get(analysis=after, uid=link.first_uid)
    text = as_("manager").get(f"/composite/{case.code}/entries/{moved.uid}/").content.decode()
    assert "Confirmed as the same event by Manager" in text


def test_it_refuses_a_finding_decision_made_on_a_replaced_analysis(as_: Any, case: Any, world: Any) -> None:
    stored = ready(case)[0]
    add_gp_chronology(case, world)
    response = as_("manager").post(
        f"/composite/{case.code}/findings/0/", {"decision": "confirmed", "analysis": stored.pk}, follow=True
    )
    assert "analysed again since you opened the page" in response.content.decode()
    assert not FindingDecision.objects.filter(incident=case).exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager", 200),
        ("reviewer", 200),
        ("owner", 404),
        ("other_agency", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_it_says_a_large_case_is_being_analysed_to_those_who_may_read_it(
    as_: Any, case: Any, queued: None, monkeypatch: Any, persona: str | None, expected: int
) -> None:
    StoredAnalysis.objects.filter(incident=case).delete()
    monkeypatch.setattr(services, "SMALL_CASE", 2)  # five entries count as a large case here
    client = as_(persona) if persona else Client()
    response = client.get(f"/composite/{case.code}/findings/")
    assert response.status_code == expected
    if expected == 200:
        assert "The chronologies are being analysed" in response.content.decode()
        assert StoredAnalysis.objects.get(incident=case).state == AnalysisState.QUEUED
        run_queue()
        text = client.get(f"/composite/{case.code}/findings/").content.decode()
        assert "being analysed" not in text and "Compliance findings" in text
    else:
        assert not StoredAnalysis.objects.filter(incident=case).exists()


def test_it_analyses_a_small_case_with_nothing_stored_in_the_request(
    as_: Any, case: Any, queued: None
) -> None:
    StoredAnalysis.objects.filter(incident=case).delete()
    text = as_("manager").get(f"/composite/{case.code}/").content.decode()
    assert "5 of 5 entries shown" in text
    assert len(ready(case)) == 1


def test_it_is_the_submitted_request_s_status_the_quality_page_offers_a_return_by(
    as_: Any, case: Any
) -> None:
    text = as_("manager").get(f"/composite/{case.code}/quality/").content.decode()
    assert text.count("Return for revision with this feedback") == 2
    assert ChronologyRequest.objects.filter(incident=case, status=Status.SUBMITTED).count() == 2
