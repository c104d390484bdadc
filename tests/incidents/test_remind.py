from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from chronicle.incidents.models import Notification, ReminderSent


def remind(on: str) -> str:
    out = StringIO()
    call_command("remind", date=on, stdout=out)
    return out.getvalue()


def test_it_reminds_two_working_days_before_on_the_day_and_once_overdue(incident: Any, world: Any) -> None:
    # Notification due Tue 12 March 2024 (5 working days after Tue 5 March).
    assert "0 reminders" in remind("2024-03-07")
    assert "sent before" in remind("2024-03-08")  # Friday: 2 working days before
    assert "sent on the day" in remind("2024-03-12")
    assert "sent overdue" in remind("2024-03-13")
    assert "0 reminders" in remind("2024-03-14")
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Due in 2 working days: Notification for incident NS-2024-017",
        "Due today: Notification for incident NS-2024-017",
        "Overdue: Notification for incident NS-2024-017",
    ]
    assert all(m.to == ["manager@northshire.example"] for m in mail.outbox)
    assert f"/incidents/{incident.code}/" in mail.outbox[0].body


def test_it_never_sends_the_same_reminder_twice(incident: Any) -> None:
    remind("2024-03-12")
    remind("2024-03-12")
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_it_stops_once_the_notification_is_recorded(incident: Any, world: Any) -> None:
    Notification.objects.create(
        incident=incident,
        recipient="Child Safeguarding Practice Review Panel",
        sent_on=dt.date(2024, 3, 11),
        recorded_by=world.manager,
    )
    remind("2024-03-12")
    assert not [m for m in mail.outbox if "Notification" in m.subject]


def test_it_emails_only_the_incidents_own_partnership(incident: Any, world: Any) -> None:
    remind("2024-03-12")
    assert "manager@southvale.example" not in {address for m in mail.outbox for address in m.to}


def test_it_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="not a date"):
        call_command("remind", date="12/03/2024")
