"""Honest alarms: a retrospective case's lateness is history, not a live red alarm; the threshold audit
tells "never screened" apart from "not yet screened, still in time"."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from chronicle.incidents import services
from chronicle.incidents.models import Incident, Notification
from chronicle.oversight import threshold
from tests.factories import make_incident

PANEL = "Child Safeguarding Practice Review Panel"


@pytest.fixture
def retrospective(world: Any) -> Incident:
    """A 2012 case found and recorded in Chronicle years later (the record is made today)."""
    return make_incident(
        world,
        reference="NS-2012-004",
        occurred_on=dt.date(2012, 5, 31),
        aware_on=dt.date(2012, 6, 1),
        born_on=dt.date(2012, 2, 27),
        retrospective=True,
    )


@pytest.fixture
def live_overdue(world: Any) -> Incident:
    """A live case whose notification is overdue now: a real alarm."""
    aware = timezone.localdate() - dt.timedelta(days=30)
    return make_incident(
        world, reference="NS-LIVE-1", occurred_on=aware, aware_on=aware, born_on=aware - dt.timedelta(days=90)
    )


def _row(page: str, reference: str) -> str:
    [row] = [
        r for r in re.findall(r"<tr class=\"govuk-table__row\">.*?</tr>", page, flags=re.S) if reference in r
    ]
    return row


def _notify(incident: Incident, world: Any, sent_on: dt.date) -> None:
    Notification.objects.create(
        incident=incident, recipient=PANEL, sent_on=sent_on, recorded_by=world.manager
    )


def test_it_records_a_late_notification_of_a_retrospective_case_as_history(
    as_: Any, world: Any, retrospective: Incident
) -> None:
    sent_on = timezone.localdate() - dt.timedelta(days=2)
    _notify(retrospective, world, sent_on)
    days = services.calendar_for(world.northshire).working_days_between(dt.date(2012, 6, 1), sent_on)
    expected = f"Notified {days:,} working days after the local authority became aware — recorded as late"
    assert days > 3000 and "," in f"{days:,}"
    [notify] = [c for c in services.clocks(retrospective) if c.name == "notify"]
    assert notify.late_on_record and notify.state == "done"
    for persona in ("manager", "owner"):  # the business manager and the reporting agency
        for url in ("/dashboard/", f"/incidents/{retrospective.code}/"):
            page = as_(persona).get(url).content.decode()
            assert expected in page, (persona, url)
            assert "Overdue" not in page and "app-clock--overdue" not in page, (persona, url)


def test_it_shows_an_unnotified_retrospective_case_as_late_on_record_not_overdue(
    as_: Any, retrospective: Incident, live_overdue: Incident
) -> None:
    [notify] = [c for c in services.clocks(retrospective) if c.name == "notify"]
    assert notify.state == "late_on_record"
    page = as_("manager").get("/dashboard/").content.decode()
    assert "The deadline had passed before the case was recorded — recorded as late, not yet done" in page
    assert "app-clock--history" in page
    # Only the live case raises the alarm, and it comes first.
    rows = {ref: _row(page, ref) for ref in ("NS-LIVE-1", "NS-2012-004")}
    assert "app-clock--overdue" in rows["NS-LIVE-1"] and "app-clock--overdue" not in rows["NS-2012-004"]
    assert page.index("NS-LIVE-1") < page.index("NS-2012-004")
    detail = as_("manager").get(f"/incidents/{retrospective.code}/").content.decode()
    assert "Overdue" not in detail and "recorded as late, not yet done" in detail


def test_it_still_raises_the_alarm_for_a_live_case_overdue(as_: Any, live_overdue: Incident) -> None:
    page = as_("manager").get(f"/incidents/{live_overdue.code}/").content.decode()
    assert "app-clock--overdue" in page and "Overdue by" in page


def test_it_keeps_a_case_not_flagged_retrospective_as_a_live_alarm(world: Any) -> None:
    incident = make_incident(world, occurred_on=dt.date(2012, 5, 31), aware_on=dt.date(2012, 6, 1))
    [notify] = [c for c in services.clocks(incident) if c.name == "notify"]
    assert notify.state == "overdue" and not notify.late_on_record


def test_it_sends_no_overdue_reminder_for_a_retrospective_case(retrospective: Incident) -> None:
    call_command("remind", date=timezone.localdate().isoformat(), stdout=StringIO())
    assert not [m for m in mail.outbox if "NS-2012-004" in m.subject]


@pytest.mark.parametrize("persona", ["other_agency", "reviewer", "outsider"])
def test_it_does_not_show_the_case_to_people_it_is_not_shared_with(
    as_: Any, retrospective: Incident, persona: str
) -> None:
    assert b"NS-2012-004" not in as_(persona).get("/dashboard/").content
    assert as_(persona).get(f"/incidents/{retrospective.code}/").status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, retrospective: Incident) -> None:
    assert client.get(f"/incidents/{retrospective.code}/")["Location"].startswith("/sign-in/")


# --- Threshold audit -----------------------------------------------------------------------------


@pytest.fixture
def reported_yesterday(world: Any) -> Incident:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return make_incident(
        world,
        reference="NS-NEW-1",
        occurred_on=yesterday,
        aware_on=yesterday,
        born_on=yesterday - dt.timedelta(days=100),
    )


def test_it_lists_an_incident_reported_yesterday_as_still_in_time_not_never_screened(
    as_: Any, world: Any, reported_yesterday: Incident, retrospective: Incident
) -> None:
    report = threshold.audit(world.northshire)
    assert [m.reference for m in report.in_time] == ["NS-NEW-1"]
    assert [m.reference for m in report.unscreened] == ["NS-2012-004"]
    notify_by = services.calendar_for(world.northshire).add_working_days(reported_yesterday.aware_on, 5)
    assert report.in_time[0].screen_by == notify_by
    page = as_("manager").get("/incidents/threshold-audit/").content.decode()
    never, in_time = page.index("Never screened (1)"), page.index("Not yet screened, still in time (1)")
    assert never < page.index("NS-2012-004") < in_time < page.index("NS-NEW-1")
    assert f"screen and notify by {notify_by.day} {notify_by:%B %Y}" in page


def test_it_moves_an_incident_to_never_screened_once_its_window_has_passed(
    world: Any, reported_yesterday: Incident
) -> None:
    notify_by = services.calendar_for(world.northshire).add_working_days(reported_yesterday.aware_on, 5)
    assert [m.reference for m in threshold.audit(world.northshire, today=notify_by).in_time] == ["NS-NEW-1"]
    later = threshold.audit(world.northshire, today=notify_by + dt.timedelta(days=1))
    assert later.in_time == [] and [m.reference for m in later.unscreened] == ["NS-NEW-1"]


def test_it_offers_no_dismissal_for_an_incident_still_in_time(as_: Any, reported_yesterday: Incident) -> None:
    page = as_("manager").get("/incidents/threshold-audit/").content.decode()
    assert f"/incidents/threshold-audit/incident/{reported_yesterday.code}/dismiss/" not in page
    url = f"/incidents/threshold-audit/incident/{reported_yesterday.code}/dismiss/"
    assert as_("manager").post(url, {"reason": "Too early to tell"}).status_code == 404


def test_it_separates_the_lists_in_the_command_line_report(
    world: Any, reported_yesterday: Incident, retrospective: Incident
) -> None:
    out = StringIO()
    call_command("threshold-audit", "--json", stdout=out)
    report = json.loads(out.getvalue())[world.northshire.name]
    assert [m["reference"] for m in report["unscreened_incidents"]] == ["NS-2012-004"]
    assert [m["reference"] for m in report["not_yet_screened_still_in_time"]] == ["NS-NEW-1"]


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "outsider"])
def test_it_shows_the_audit_to_the_manager_only(as_: Any, reported_yesterday: Incident, persona: str) -> None:
    response = as_(persona).get("/incidents/threshold-audit/")
    assert response.status_code == 404 or b"NS-NEW-1" not in response.content
