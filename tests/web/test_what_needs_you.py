"""Each role's dashboard leads with what needs them, each item linked to where it is done."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chronicle.chronologies.models import ChronologyRequest
from chronicle.composite import services as composite
from chronicle.composite.awaiting import awaiting_confirmation
from chronicle.composite.models import StoredAnalysis
from chronicle.incidents.services import calendar_for
from chronicle.reviews.models import RapidReview
from tests.factories import FULL_REQUEST, make_incident, make_request, signed_in, with_chronology
from tests.support.forms import decide


def needs(client: Any) -> str:
    page = client.get("/dashboard/").content.decode()
    if 'id="what-needs-you"' not in page:
        return ""
    start = page.index('id="what-needs-you"')
    return page[start : page.index('<div class="govuk-button-group">', start)]


def section(text: str, key: str) -> str:
    found = re.search(rf'id="need-{key}".*?</ul>', text, re.S)
    return found.group(0) if found else ""


def gp_request(case: Any, world: Any, due_on: dt.date) -> ChronologyRequest:
    return make_request(world, case, world.gp, **{**FULL_REQUEST, "due_on": due_on})


def test_it_shows_the_manager_chronologies_to_accept_and_requests_overdue(
    as_: Any, world: Any, case: Any
) -> None:
    gp_request(case, world, dt.date(2024, 3, 19))
    text = needs(as_("manager"))
    accept = section(text, "to_accept")
    assert "Chronologies to accept or return (2)" in accept
    assert "NS-2024-060: Northshire Police" in accept and f"/chronologies/cases/{case.code}/" in accept
    overdue = section(text, "overdue_requests")
    assert "NS-2024-060: Riverside GP Practice, due 19 March 2024" in overdue


def test_it_shows_the_manager_links_and_findings_to_confirm(as_: Any, case: Any) -> None:
    client = as_("manager")
    StoredAnalysis.objects.filter(incident=case).delete()  # as while the task makes the first one
    assert "open the composite chronology to work out its links and findings" in section(
        needs(client), "to_confirm"
    )
    composite.build(case)
    counted = awaiting_confirmation([case])[case.pk]
    assert counted is not None and counted.total
    confirm = section(needs(client), "to_confirm")
    assert f"NS-2024-060: {counted.links} links and {counted.findings} findings to confirm" in confirm
    assert f'href="/composite/{case.code}/"' in confirm


def test_it_shows_the_manager_clocks_near_their_deadline(as_: Any, world: Any) -> None:
    today = timezone.localdate()
    calendar = calendar_for(world.northshire)
    # Aware four working days ago: the five working days to notify end on the next working day.
    aware = next(
        today - dt.timedelta(days=n)
        for n in range(20)
        if calendar.working_days_between(today - dt.timedelta(days=n), today) == 4
    )
    make_incident(
        world, reference="NS-2026-150", occurred_on=aware, aware_on=aware, born_on=dt.date(2026, 1, 1)
    )
    make_incident(
        world, reference="NS-2026-151", occurred_on=today, aware_on=today, born_on=dt.date(2026, 1, 1)
    )
    clocks = section(needs(as_("manager")), "clocks")
    assert "NS-2026-150: Notification, due in 1 working day" in clocks
    assert "NS-2026-151" not in clocks  # five working days away: not yet near


def test_it_keeps_retrospective_lateness_out_of_the_alarms(as_: Any, world: Any) -> None:
    make_incident(
        world,
        reference="NS-2012-001",
        occurred_on=dt.date(2012, 5, 1),
        aware_on=dt.date(2012, 5, 2),
        born_on=dt.date(2012, 1, 1),
        retrospective=True,
    )
    assert "NS-2012-001" not in section(needs(as_("manager")), "clocks")


def test_it_shows_a_statutory_partner_the_decision_awaiting_their_sign_off(
    as_: Any, case: Any, partners: dict[str, Any]
) -> None:
    manager = as_("manager")
    manager.post(f"/reviews/cases/{case.code}/start/")
    review = RapidReview.objects.get(incident=case)
    police = signed_in(partners["police"])
    assert "NS-2024-060" not in needs(police)
    decide(manager, review)
    awaiting = section(needs(police), "sign_offs")
    assert "NS-2024-060: decision version 1, for the chief officer of police" in awaiting
    assert f"/reviews/{review.code}/position/" in awaiting
    police.post(f"/reviews/{review.code}/position/", {"partner": "police", "agrees": "agree"})
    assert "NS-2024-060" not in needs(police)
    assert "NS-2024-060" in section(needs(signed_in(partners["icb"])), "sign_offs")


def test_it_shows_agency_staff_their_own_requests_to_answer(as_: Any, world: Any, case: Any) -> None:
    gp_request(case, world, dt.date(2024, 3, 19))
    ChronologyRequest.objects.filter(agency=world.police).update(status="returned")
    owner = section(needs(as_("owner")), "to_answer")
    assert "NS-2024-060: Northshire Police, returned for revision, due 19 March 2024 (overdue)" in owner
    assert "Riverside GP Practice" not in owner
    assert "Northshire Police" not in needs(as_("other_agency"))  # social care: its request is submitted


@pytest.mark.parametrize("persona", ["reviewer", "auditor", "outsider"])
def test_it_shows_others_no_manager_tasks(as_: Any, world: Any, case: Any, persona: str) -> None:
    gp_request(case, world, dt.date(2024, 3, 19))
    text = needs(as_(persona))
    assert "NS-2024-060" not in text
    assert "Chronologies to accept or return" not in text


def test_it_asks_the_same_queries_for_one_case_or_many(as_: Any, world: Any, case: Any) -> None:
    composite.build(case)
    client = as_("manager")
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as one:
        client.get("/dashboard/")
    for n in range(3):
        incident = with_chronology(world, f"NS-2024-08{n}")
        client.post(f"/reviews/cases/{incident.code}/start/")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/dashboard/").status_code == 200
    assert len(many) == len(one)
