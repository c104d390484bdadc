"""Deadline reminders for business managers: 2 working days before, on the day, and once when overdue.

`chronicle remind` runs this daily (cron or a systemd timer). It is idempotent: each
reminder is recorded, so running it twice on one day, or every hour, sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from chronicle.accounts.models import Membership, Partnership, Role
from chronicle.chronologies.models import OPEN_STATUSES, ChronologyRequest
from chronicle.core.calendar import WorkingCalendar
from chronicle.incidents import services
from chronicle.incidents.models import Incident, ReminderSent

BEFORE = "before"
ON_THE_DAY = "on_the_day"
OVERDUE = "overdue"


@dataclass(frozen=True)
class Due:
    """Something with a deadline that a reminder may be sent about."""

    partnership: Partnership
    subject_code: UUID
    incident: Incident | None
    clock: str
    what: str  # e.g. "Notification to the Panel for NS-2024-017"
    deadline: dt.date
    url: str
    also_to: tuple[str, ...] = ()  # e.g. the agency safeguarding leads a chronology is chased from


def stage_for(deadline: dt.date, today: dt.date, calendar: WorkingCalendar) -> str | None:
    """Which reminder, if any, is due today for this deadline."""
    if today > deadline:
        return OVERDUE
    if today == deadline:
        return ON_THE_DAY
    if calendar.is_working_day(today) and calendar.working_days_between(today, deadline) == 2:
        return BEFORE
    return None


def incident_dues(today: dt.date) -> Iterable[Due]:
    for incident in (
        Incident.objects.filter(closed_on__isnull=True)
        .select_related("partnership")
        .prefetch_related("notifications", "screenings", "children")
    ):
        for clock in services.clocks(incident, today):
            if clock.state == "done" or clock.late_on_record:  # history, not a deadline to chase
                continue
            yield Due(
                incident.partnership,
                incident.code,
                incident,
                clock.name,
                f"{clock.label} for incident {incident.reference}",
                clock.due,
                reverse("incident", args=[incident.code]),
            )


def chronology_dues(today: dt.date) -> Iterable[Due]:
    requests = ChronologyRequest.objects.filter(status__in=OPEN_STATUSES).select_related(
        "incident__partnership", "agency"
    )
    for chronology_request in requests:
        leads = Membership.objects.filter(
            agency=chronology_request.agency, role=Role.AGENCY_LEAD, user__is_active=True
        )
        yield Due(
            chronology_request.incident.partnership,
            chronology_request.code,
            chronology_request.incident,
            f"chronology_round_{chronology_request.round}",
            f"{chronology_request.agency.name}'s chronology for case {chronology_request.incident.reference}",
            chronology_request.due_on,
            reverse("chronology", args=[chronology_request.code]),
            tuple(leads.values_list("user__email", flat=True)),
        )


DUE_SOURCES: list[Callable[[dt.date], Iterable[Due]]] = [incident_dues, chronology_dues]


def _message(due: Due, stage: str) -> tuple[str, str]:
    when = due.deadline.strftime("%A %d %B %Y")
    subject = {
        BEFORE: f"Due in 2 working days: {due.what}",
        ON_THE_DAY: f"Due today: {due.what}",
        OVERDUE: f"Overdue: {due.what}",
    }[stage]
    body = (
        f"{due.what} {'was' if stage == OVERDUE else 'is'} due on {when}.\n\n"
        f"Open it in Chronicle: {settings.SITE_URL.rstrip('/')}{due.url}\n\n"
        f"Sent to the business managers of {due.partnership.name}"
        + (" and the agency safeguarding leads concerned." if due.also_to else ".")
    )
    return subject, body


def send_reminders(today: dt.date | None = None) -> list[tuple[Due, str]]:
    """Send every reminder due today that has not been sent before; return what was sent."""
    today = today or timezone.localdate()
    sent: list[tuple[Due, str]] = []
    for source in DUE_SOURCES:
        for due in source(today):
            calendar = services.calendar_for(due.partnership)
            stage = stage_for(due.deadline, today, calendar)
            if stage is None:
                continue
            managers = Membership.objects.filter(
                partnership=due.partnership, role=Role.BUSINESS_MANAGER, user__is_active=True
            ).values_list("user__email", flat=True)
            recipients = list(dict.fromkeys([*due.also_to, *managers]))
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        incident=due.incident,
                        subject_code=due.subject_code,
                        clock=due.clock,
                        stage=stage,
                        deadline=due.deadline,
                    )
                    subject, body = _message(due, stage)
                    send_mail(subject, body, None, recipients)
            except IntegrityError:
                continue  # already sent
            sent.append((due, stage))
    return sent
