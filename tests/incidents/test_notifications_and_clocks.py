from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chronicle.incidents import services
from chronicle.incidents.models import ClosureDay, Notification
from tests.factories import make_incident
from tests.support.forms import answers_form


def screen(client: Any, incident: Any, outcome: str = "notifiable", **extra: str) -> None:
    response = client.post(
        f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": outcome, **extra}
    )
    assert response.status_code == 302


def test_it_records_a_notification_and_stops_the_clock(as_: Any, incident: Any) -> None:
    client = as_("manager")
    screen(client, incident)
    response = client.post(
        f"/incidents/{incident.code}/notifications/new/",
        {
            "recipients": ["Child Safeguarding Practice Review Panel"],
            "sent_on_day": "8",
            "sent_on_month": "3",
            "sent_on_year": "2024",
            "reference_1": "SIN-1",
        },
    )
    assert response.status_code == 302
    assert Notification.objects.get(incident=incident).reference == "SIN-1"
    notify = next(c for c in services.clocks(incident, dt.date(2024, 3, 20)) if c.name == "notify")
    assert notify.state == "done" and notify.done_on == dt.date(2024, 3, 8)


def test_it_counts_the_rapid_review_from_the_notification(as_: Any, incident: Any, world: Any) -> None:
    Notification.objects.create(
        incident=incident,
        recipient="Child Safeguarding Practice Review Panel",
        sent_on=dt.date(2024, 3, 8),
        recorded_by=world.manager,
    )
    rapid = next(c for c in services.clocks(incident, dt.date(2024, 3, 20)) if c.name == "rapid_review")
    assert rapid.due == dt.date(
        2024, 4, 2
    )  # 15 working days after Fri 8 March, skipping Good Friday and Easter Monday
    assert not rapid.provisional


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        (dt.date(2024, 3, 6), "open", 4),
        (dt.date(2024, 3, 8), "due_soon", 2),
        (dt.date(2024, 3, 12), "due_today", 0),
        (dt.date(2024, 3, 14), "overdue", -2),
    ],
)
def test_it_shows_due_soon_and_overdue(incident: Any, today: dt.date, state: str, left: int) -> None:
    notify = services.clocks(incident, today)[0]
    assert (notify.due, notify.state, notify.working_days_left) == (dt.date(2024, 3, 12), state, left)


def test_it_counts_the_partnerships_closure_days(incident: Any, world: Any) -> None:
    ClosureDay.objects.create(
        partnership=world.northshire, day=dt.date(2024, 3, 11), reason="Partnership training day"
    )
    assert services.clocks(incident, dt.date(2024, 3, 6))[0].due == dt.date(2024, 3, 13)


def test_it_has_no_clock_once_screened_not_notifiable(as_: Any, incident: Any) -> None:
    as_("manager").post(
        f"/incidents/{incident.code}/screen/",
        {**answers_form(incident), "outcome": "not_notifiable", "rationale": "No abuse."},
    )
    assert services.clocks(incident) == []


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "outsider"])
def test_it_lets_only_the_manager_record_notifications(as_: Any, incident: Any, persona: str) -> None:
    data = {"recipients": ["Ofsted"], "sent_on_day": "8", "sent_on_month": "3", "sent_on_year": "2024"}
    assert as_(persona).post(f"/incidents/{incident.code}/notifications/new/", data).status_code == 404
    assert (
        as_(persona)
        .post(
            f"/incidents/{incident.code}/rapid-review-sent/",
            {"sent_on_day": "1", "sent_on_month": "4", "sent_on_year": "2024"},
        )
        .status_code
        == 404
    )
    assert not Notification.objects.exists()


def test_it_records_the_rapid_review_sent(as_: Any, incident: Any) -> None:
    as_("manager").post(
        f"/incidents/{incident.code}/rapid-review-sent/",
        {"sent_on_day": "1", "sent_on_month": "4", "sent_on_year": "2024"},
    )
    incident.refresh_from_db()
    assert incident.rapid_review_sent_on == dt.date(2024, 4, 1)


def test_it_sorts_the_dashboard_by_urgency(as_: Any, world: Any) -> None:
    today = dt.date.today()
    make_incident(
        world, reference="CALM-1", occurred_on=today, aware_on=today, born_on=today - dt.timedelta(days=90)
    )
    make_incident(
        world,
        reference="LATE-1",
        occurred_on=today - dt.timedelta(days=30),
        aware_on=today - dt.timedelta(days=30),
        born_on=today - dt.timedelta(days=120),
    )

    def table(query: str) -> bytes:
        page = as_("manager").get(f"/dashboard/{query}").content
        return page[page.index(b"Open serious incidents") :]  # after what needs the manager

    assert table("").index(b"LATE-1") < table("").index(b"CALM-1")
    assert table("?sort=reference").index(b"CALM-1") < table("?sort=reference").index(b"LATE-1")


def test_it_keeps_the_serious_case_review_decision_clock_for_2013_to_2018_cases(world: Any) -> None:
    old = make_incident(
        world,
        reference="NS-2016-003",
        occurred_on=dt.date(2016, 3, 1),
        aware_on=dt.date(2016, 3, 2),
        born_on=dt.date(2015, 12, 1),
    )
    Notification.objects.create(
        incident=old, recipient="Ofsted", sent_on=dt.date(2016, 3, 4), recorded_by=world.manager
    )
    scr = next(c for c in services.clocks(old, dt.date(2016, 3, 10)) if c.name == "scr_decision")
    assert (scr.label, scr.due, scr.state) == ("Serious Case Review decision", dt.date(2016, 4, 4), "open")
    assert "scr_decision" not in [
        c.name for c in services.clocks(make_incident(world, reference="NS-2024-900"), dt.date(2024, 3, 6))
    ]


def test_it_records_every_recipient_in_one_form(as_: Any, incident: Any) -> None:
    client = as_("manager")
    screen(client, incident)
    page = client.get(f"/incidents/{incident.code}/notifications/new/").content.decode()
    for recipient in ("Child Safeguarding Practice Review Panel", "Ofsted", "Safeguarding partners"):
        assert f'value="{recipient}"' in page
    response = client.post(
        f"/incidents/{incident.code}/notifications/new/",
        {
            "recipients": ["Child Safeguarding Practice Review Panel", "Ofsted", "Safeguarding partners"],
            "sent_on_day": "8",
            "sent_on_month": "3",
            "sent_on_year": "2024",
            "reference_1": "SIN-1",
            "reference_2": "OF-77",
        },
    )
    assert response.status_code == 302
    recorded = dict(Notification.objects.filter(incident=incident).values_list("recipient", "reference"))
    assert recorded == {
        "Child Safeguarding Practice Review Panel": "SIN-1",
        "Ofsted": "OF-77",
        "Safeguarding partners": "",
    }


def test_it_offers_the_recipients_of_the_regime_in_force(as_: Any, world: Any) -> None:
    client = as_("manager")
    today_case = make_incident(world, reference="NS-2024-200")
    old_case = make_incident(
        world,
        reference="NS-2016-001",
        occurred_on=dt.date(2016, 5, 3),
        aware_on=dt.date(2016, 5, 4),
        born_on=dt.date(2016, 1, 1),
    )
    screen(client, today_case)
    screen(client, old_case)
    now = client.get(f"/incidents/{today_case.code}/notifications/new/").content.decode()
    assert 'value="LSCB"' not in now and 'value="Secretary of State"' not in now
    before = client.get(f"/incidents/{old_case.code}/notifications/new/").content.decode()
    assert 'value="LSCB"' in before and 'value="Child Safeguarding Practice Review Panel"' not in before


def test_it_offers_notification_only_after_screening(as_: Any, incident: Any) -> None:
    client = as_("manager")
    page = client.get(f"/incidents/{incident.code}/").content.decode()
    assert "Record a notification" not in page and "Start the rapid review" not in page
    response = client.post(
        f"/incidents/{incident.code}/notifications/new/",
        {"recipients": ["Ofsted"], "sent_on_day": "8", "sent_on_month": "3", "sent_on_year": "2024"},
    )
    assert response["Location"] == f"/incidents/{incident.code}/"
    assert not Notification.objects.exists()
    screen(client, incident)
    page = client.get(f"/incidents/{incident.code}/").content.decode()
    assert "Record a notification" in page and "Start the rapid review" in page


def test_it_needs_someone_chosen_and_a_date(as_: Any, incident: Any) -> None:
    client = as_("manager")
    screen(client, incident)
    page = client.post(f"/incidents/{incident.code}/notifications/new/", {}).content.decode()
    assert "Select who was notified" in page and "Enter the date the notification was sent" in page
    assert not Notification.objects.exists()
