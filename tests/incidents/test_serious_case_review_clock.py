"""The Serious Case Review decision clock stops on the review's first decision, found without
incidents importing reviews (the date is handed to chronicle.core.clocks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chronicle.incidents import services
from chronicle.incidents.models import Notification
from chronicle.reviews.models import Decision, RapidReview
from tests.factories import make_incident


def test_it_stops_the_serious_case_review_clock_on_the_first_decision(world: Any) -> None:
    old = make_incident(
        world,
        reference="NS-2016-004",
        occurred_on=dt.date(2016, 3, 1),
        aware_on=dt.date(2016, 3, 2),
        born_on=dt.date(2015, 12, 1),
    )
    Notification.objects.create(
        incident=old, recipient="Ofsted", sent_on=dt.date(2016, 3, 4), recorded_by=world.manager
    )
    review = RapidReview.objects.create(
        incident=old,
        regime="LSCB2006/WT2013",
        started_on=dt.date(2016, 3, 4),
        due_on=dt.date(2016, 3, 25),
        created_by=world.manager,
    )
    for version, decided_on in [(2, dt.date(2016, 4, 20)), (1, dt.date(2016, 3, 30))]:
        Decision.objects.create(
            review=review,
            version=version,
            outcome="scr",
            rationale="Serious harm and concerns about how agencies worked together.",
            decided_on=decided_on,
            created_by=world.manager,
        )

    [scr] = [c for c in services.clocks(old, dt.date(2016, 5, 10)) if c.name == "scr_decision"]
    assert (scr.state, scr.done_on) == ("done", dt.date(2016, 3, 30))
    assert services.first_decisions([old.pk]) == {old.pk: dt.date(2016, 3, 30)}
