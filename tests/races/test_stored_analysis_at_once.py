"""The stored analysis when two tasks make it at once, and a page read while one is being written."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from chronicle.composite import stored as stored_analysis
from chronicle.composite.models import AnalysedEntry, AnalysisState, StoredAnalysis
from tests.factories import signed_in
from tests.support.races import after_save, at_once, slowed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_stores_one_analysis_when_two_tasks_make_it_at_once(case: Any, monkeypatch: Any) -> None:
    StoredAnalysis.objects.filter(incident=case).delete()
    monkeypatch.setattr(stored_analysis, "analyse_inputs", slowed(stored_analysis.analyse_inputs))

    first, second = at_once(lambda: stored_analysis.store(case), lambda: stored_analysis.store(case))

    assert first.pk == second.pk
    [stored] = StoredAnalysis.objects.filter(incident=case)
    assert stored.state == AnalysisState.READY
    assert AnalysedEntry.objects.filter(analysis=stored).count() == 5  # written once, not twice


def test_it_shows_the_previous_analysis_whole_while_a_new_one_is_written(case: Any, world: Any) -> None:
    [before] = StoredAnalysis.objects.filter(incident=case, state=AnalysisState.READY)
    StoredAnalysis.objects.filter(pk=before.pk).update(fingerprint="an older set of versions")
    written, read = threading.Event(), threading.Event()

    def hold(_: StoredAnalysis) -> None:
        written.set()
        read.wait(60)  # the new rows are written and not yet committed

    # The analysis is saved as ready after its rows, in the same transaction.
    ready = after_save(StoredAnalysis, hold, when=lambda stored: stored.state == AnalysisState.READY)
    client = signed_in(world.manager)

    def look_while_writing() -> str:
        assert written.wait(60)
        try:
            return client.get(f"/composite/{case.code}/").content.decode()
        finally:
            read.set()

    with ready:
        made, page = at_once(lambda: stored_analysis.store(case), look_while_writing)

    assert "Newer chronologies are being analysed" in page
    assert "5 of 5 entries shown" in page  # the previous analysis, whole
    assert made.state == AnalysisState.READY
    assert list(StoredAnalysis.objects.filter(incident=case).values_list("pk", flat=True)) == [made.pk]
    assert AnalysedEntry.objects.filter(analysis=made).count() == 5
