"""Reporting, screening and notifying serious incidents, and their clocks. Each change is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from chronicle.accounts.models import Partnership
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as
from chronicle.core import clocks as clocks_core
from chronicle.core import references
from chronicle.core import screening as engine
from chronicle.core.calendar import WorkingCalendar
from chronicle.core.clocks import Clock
from chronicle.core.harm import AbuseOrNeglect, Outcome
from chronicle.incidents.models import (
    Child,
    ClosureDay,
    Incident,
    Notification,
    Screening,
    ScreeningOutcomeChoice,
)
from chronicle.ui.concurrency import claim, claim_number


def calendar_for(partnership: Partnership) -> WorkingCalendar:
    """England and Wales working days, less the partnership's own closure days."""
    return WorkingCalendar(ClosureDay.objects.filter(partnership=partnership).values_list("day", flat=True))


def screening_input(incident: Incident) -> engine.ScreeningInput:
    children = list(incident.children.all())
    youngest = incident.youngest_child
    return engine.ScreeningInput(
        occurred_on=incident.occurred_on,
        aware_on=incident.aware_on,
        child_born_on=youngest.born_on if youngest else None,
        looked_after=any(c.looked_after for c in children),
        care_leaver=any(c.care_leaver for c in children),
        outcome=Outcome(incident.outcome),
        harm=incident.description,
        harm_categories=tuple(incident.harm_categories),
        abuse_or_neglect=AbuseOrNeglect(incident.abuse_or_neglect),
        in_england=incident.in_england,
        concern_about_working_together=incident.concern_about_working_together,
    )


def first_panel_notification(incident: Incident) -> dt.date | None:
    sent = [n.sent_on for n in incident.notifications.all() if n.recipient == engine.PANEL]
    return min(sent) if sent else None


def propose(incident: Incident, today: dt.date | None = None) -> engine.ScreeningResult:
    """What the engine proposes for this incident, with the partnership's own calendar and settings."""
    return engine.screen(
        screening_input(incident),
        calendar=calendar_for(incident.partnership),
        rapid_review_start=incident.partnership.rapid_review_clock_start,
        notified_on=first_panel_notification(incident),
        decided_on=today or timezone.localdate(),
    )


def outcome_choice(notifiable: bool | None) -> str:
    if notifiable is None:
        return ScreeningOutcomeChoice.MORE_INFORMATION
    return ScreeningOutcomeChoice.NOTIFIABLE if notifiable else ScreeningOutcomeChoice.NOT_NOTIFIABLE


def next_reference(partnership: Partnership, aware_on: dt.date) -> str:
    """The reference the next case reported in this partnership gets, from its pattern."""
    existing = list(Incident.objects.filter(partnership=partnership).values_list("reference", flat=True))
    return references.next_reference(partnership.case_reference_pattern, aware_on.year, existing)


@transaction.atomic
def report(
    actor: Actor, partnership: Partnership, data: dict[str, Any], children: list[dict[str, Any]]
) -> Incident:
    # The partnership locked: two reports at once are numbered one after the other.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).values_list("pk").get()
    reference = data.get("reference") or next_reference(partnership, data["aware_on"])
    incident = Incident.objects.create(
        partnership=partnership,
        reference=reference,
        occurred_on=data["occurred_on"],
        aware_on=data["aware_on"],
        in_england=data["in_england"],
        outcome=data["outcome"],
        harm_categories=list(data["harm_categories"]),
        description=data["description"],
        abuse_or_neglect=data["abuse_or_neglect"],
        concern_about_working_together=data.get("concern_about_working_together"),
        reporting_agency=data["reporting_agency"],
        reporter_name=data["reporter_name"],
        reported_by=actor.user,
        retrospective=data.get("retrospective", False),
    )
    for index, child in enumerate(children):
        Child.objects.create(
            incident=incident,
            label=child.get("label") or f"Child {'ABCD'[index]}",
            **{
                key: child.get(key)
                for key in ("born_on", "age_years", "looked_after", "care_leaver", "disability")
            },
        )
    record_as(actor, Action.CREATE, obj=incident, partnership=partnership, detail="serious incident reported")
    return incident


@transaction.atomic
def record_screening(
    actor: Actor,
    incident: Incident,
    answers: dict[str, dict[str, str]],
    outcome: str,
    rationale: str,
    read_version: int | None = None,
) -> Screening:
    """Save a new version of the screening decision; earlier versions stay as they were.

    The version number is taken with the incident locked; ``read_version`` is the screening
    version the form was read at (0: none), and a newer one recorded since raises EditConflict.
    """
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").get()
    latest = incident.latest_screening()
    by = latest.decided_by if latest else None
    claim_number(
        latest.version if latest else 0,
        read_version,
        noun="screening decision",
        by=(by.get_full_name() or by.email) if by else "",
    )
    proposal = propose(incident)
    confirmed = {criterion_id: item["answer"] for criterion_id, item in answers.items()}
    engine_outcome = engine.outcome_from_answers(proposal.regime, confirmed)
    clocks = engine.deadlines(
        proposal.regime,
        incident.aware_on,
        notifiable=engine_outcome.notifiable if outcome != ScreeningOutcomeChoice.NOT_NOTIFIABLE else False,
        rapid_review=engine_outcome.rapid_review,
        calendar=calendar_for(incident.partnership),
        rapid_review_start=incident.partnership.rapid_review_clock_start,
        notified_on=first_panel_notification(incident),
    )
    proposed = {answer.id: answer for answer in proposal.criteria}
    stored = {
        criterion_id: {
            "answer": item["answer"],
            "evidence": item.get("evidence", ""),
            "proposed": proposed[criterion_id].answer,
            "reason": proposed[criterion_id].reason,
            "question": proposed[criterion_id].question,
            "source": proposed[criterion_id].source,
            "verified": proposed[criterion_id].verified,
        }
        for criterion_id, item in answers.items()
    }
    version = (latest.version if latest else 0) + 1
    screening = Screening.objects.create(
        incident=incident,
        version=version,
        regime=proposal.regime,
        answers=stored,
        outcome=outcome,
        engine_outcome=outcome_choice(engine_outcome.notifiable),
        review_duty=engine_outcome.review,
        scr=engine_outcome.scr or "",
        rationale=rationale,
        notify_to=list(engine_outcome.notify_to),
        notify_by=clocks.notify_by,
        rapid_review_by=clocks.rapid_review_by,
        warnings=list(dict.fromkeys([*proposal.warnings, *clocks.warnings])),
        decided_by=actor.user,
    )
    record_as(
        actor,
        Action.CREATE,
        obj=screening,
        partnership=incident.partnership,
        detail=f"screening v{version}: {screening.get_outcome_display()}",
    )
    return screening


@transaction.atomic
def record_notification(actor: Actor, incident: Incident, data: dict[str, Any]) -> Notification:
    notification = Notification.objects.create(
        incident=incident,
        recipient=data["recipient"],
        sent_on=data["sent_on"],
        reference=data.get("reference", ""),
        recorded_by=actor.user,
    )
    record_as(
        actor,
        Action.CREATE,
        obj=notification,
        partnership=incident.partnership,
        detail=f"for {incident.reference}",
    )
    return notification


@transaction.atomic
def record_notifications(
    actor: Actor, incident: Incident, notifications: list[dict[str, Any]]
) -> list[Notification]:
    """Several recipients notified on one date, recorded together (one form, one transaction)."""
    return [record_notification(actor, incident, data) for data in notifications]


@transaction.atomic
def record_rapid_review_sent(
    actor: Actor, incident: Incident, sent_on: dt.date, read_version: int | None = None
) -> None:
    claim(incident, read_version, noun="incident")
    incident.rapid_review_sent_on = sent_on
    incident.save(update_fields=["rapid_review_sent_on"])
    record_as(
        actor,
        Action.UPDATE,
        obj=incident,
        detail=f"rapid review sent to the Panel on {sent_on.isoformat()}",
    )


# --- Clocks ---------------------------------------------------------------------------------------
# Worked out in the core (chronicle.core.clocks) from the incident's dates, handed in from here.


def clock_dates(incident: Incident) -> clocks_core.ClockDates:
    """The dates an incident's clocks are worked out from (the Serious Case Review decision apart)."""
    screening = incident.latest_screening()
    return clocks_core.ClockDates(
        regime=screening.regime if screening else engine.regime_for(incident.occurred_on).id,
        aware_on=incident.aware_on,
        first_notified_on=min((n.sent_on for n in incident.notifications.all()), default=None),
        panel_notified_on=first_panel_notification(incident),
        rapid_review_sent_on=incident.rapid_review_sent_on,
        rapid_review_start=incident.partnership.rapid_review_clock_start,
        retrospective=incident.retrospective,
        recorded_on=timezone.localdate(incident.reported_at) if incident.reported_at else None,
    )


def clocks(
    incident: Incident,
    today: dt.date | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    scr_decided_on: dict[int, dt.date] | None = None,
) -> list[Clock]:
    """The statutory clocks of an open incident: notification, then (Panel era) the rapid review.

    A list of many cases passes the partnership's ``calendar`` and each case's first decision date
    (``scr_decided_on``, by incident id), so no case costs a query of its own.
    """
    screening = incident.latest_screening()
    if screening is not None and screening.outcome == ScreeningOutcomeChoice.NOT_NOTIFIABLE:
        return []
    dates = clock_dates(incident)
    if clocks_core.has_scr_decision_clock(dates.regime):
        decided = scr_decided_on.get(incident.pk) if scr_decided_on is not None else _scr_decided_on(incident)
        dates = replace(dates, scr_decided_on=decided)
    return clocks_core.statutory_clocks(
        dates, today or timezone.localdate(), calendar or calendar_for(incident.partnership)
    )


def first_decisions(incident_ids: list[int]) -> dict[int, dt.date]:
    """Each case's first decision date (the Serious Case Review decision, pre-2018), in one query."""
    # Through the reverse relation the review's decisions hang from: reviews sits above incidents,
    # so incidents asks by relation name rather than importing its models.
    first: dict[int, dt.date] = {}
    for incident_id, decided_on in (
        Incident.objects.filter(pk__in=incident_ids, rapid_review__decisions__isnull=False)
        .order_by("-rapid_review__decisions__version")
        .values_list("pk", "rapid_review__decisions__decided_on")
    ):
        first[incident_id] = decided_on  # lower versions come later and win
    return first


def _scr_decided_on(incident: Incident) -> dt.date | None:
    return first_decisions([incident.pk]).get(incident.pk)
