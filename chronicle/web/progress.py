"""A case's progress as a task list: one status per stage, from screening to the finalised record.

screened → notified → chronologies n of m → links and findings confirmed → meeting → criteria →
decision → sign-offs → finalised. Each stage links to where it is done, for those who may go there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from chronicle.accounts.access import is_business_manager
from chronicle.chronologies.models import ChronologyRequest, Status
from chronicle.composite import access as composite_access
from chronicle.composite.awaiting import awaiting_confirmation
from chronicle.incidents.models import Incident, ScreeningOutcomeChoice
from chronicle.reviews.models import STATUTORY_PARTNERS, RapidReview

DONE = "done"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
CANNOT_START = "cannot_start"
NOT_NEEDED = "not_needed"
RECEIVED = (Status.SUBMITTED, Status.ACCEPTED)


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    state: str
    status: str  # the words shown: "Completed", "2 of 3 received", "Cannot start yet"
    hint: str = ""
    url: str = ""


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _stage(key: str, name: str, state: str, status: str = "", hint: str = "", url: str = "") -> Stage:
    words = {
        DONE: "Completed",
        NOT_STARTED: "Not yet started",
        CANNOT_START: "Cannot start yet",
        NOT_NEEDED: "Not needed",
        IN_PROGRESS: "In progress",
    }
    return Stage(key, name, state, status or words[state], hint, url if state != CANNOT_START else "")


def case_stages(incident: Incident, user: Any) -> list[Stage]:
    manages = is_business_manager(user, incident.partnership)
    reads_case = composite_access.can_read(user, incident)
    screening = incident.latest_screening()
    not_notifiable = screening is not None and screening.outcome == ScreeningOutcomeChoice.NOT_NOTIFIABLE
    stages: list[Stage] = []

    screen_url = reverse("incident-screen", args=[incident.code]) if manages else ""
    if screening is None:
        stages.append(_stage("screened", "Screen the incident", NOT_STARTED, url=screen_url))
    else:
        stages.append(
            _stage(
                "screened",
                "Screen the incident",
                DONE,
                hint=f"{screening.get_outcome_display()}, {_day(timezone.localdate(screening.decided_at))}",
                url=screen_url,
            )
        )

    notifications = list(incident.notifications.all())
    notify_url = reverse("incident-notification-new", args=[incident.code]) if manages else ""
    if screening is None:
        stages.append(_stage("notified", "Notify the Panel, Ofsted and partners", CANNOT_START))
    elif not_notifiable and not notifications:
        stages.append(
            _stage(
                "notified",
                "Notify the Panel, Ofsted and partners",
                NOT_NEEDED,
                hint="Screened as not notifiable",
            )
        )
    elif notifications:
        recipients = ", ".join(dict.fromkeys(n.recipient for n in notifications))
        stages.append(
            _stage("notified", "Notify the Panel, Ofsted and partners", DONE, hint=recipients, url=notify_url)
        )
    else:
        due = f"Due by {_day(screening.notify_by)}" if screening.notify_by else ""
        stages.append(
            _stage("notified", "Notify the Panel, Ofsted and partners", NOT_STARTED, hint=due, url=notify_url)
        )

    requests = list(ChronologyRequest.objects.filter(incident=incident).values_list("status", flat=True))
    received = sum(1 for status in requests if status in RECEIVED)
    chronologies_url = reverse("case-chronologies", args=[incident.code])
    if not requests:
        stages.append(
            _stage(
                "chronologies", "Agency chronologies", NOT_STARTED, "Not yet requested", url=chronologies_url
            )
        )
    else:
        state = DONE if received == len(requests) else IN_PROGRESS
        accepted = sum(1 for status in requests if status == Status.ACCEPTED)
        stages.append(
            _stage(
                "chronologies",
                "Agency chronologies",
                state,
                f"{received} of {len(requests)} received",
                hint=f"{accepted} accepted",
                url=chronologies_url,
            )
        )

    findings_url = reverse("composite", args=[incident.code]) if reads_case else ""
    if not received:
        stages.append(_stage("confirmed", "Confirm links and findings", CANNOT_START))
    else:
        awaiting = awaiting_confirmation([incident])[incident.pk]
        if awaiting is None:
            stages.append(
                _stage(
                    "confirmed",
                    "Confirm links and findings",
                    IN_PROGRESS,
                    "Not worked out yet",
                    hint="Open the composite chronology to work out the links and findings",
                    url=findings_url,
                )
            )
        elif awaiting.total:
            stages.append(
                _stage(
                    "confirmed",
                    "Confirm links and findings",
                    IN_PROGRESS,
                    f"{awaiting.total} to confirm",
                    hint=f"{awaiting.links} links, {awaiting.findings} findings",
                    url=findings_url,
                )
            )
        else:
            stages.append(_stage("confirmed", "Confirm links and findings", DONE, url=findings_url))

    stages += _review_stages(incident, user, screening is not None, not_notifiable, reads_case, manages)
    return stages


def _review_stages(
    incident: Incident, user: Any, screened: bool, not_notifiable: bool, reads_case: bool, manages: bool
) -> list[Stage]:
    review = RapidReview.objects.filter(incident=incident).first()
    names = [
        ("meeting", "Rapid review meeting"),
        ("criteria", "Consider the criteria"),
        ("decision", "Record the decision"),
        ("sign_offs", "Statutory partners sign off"),
        ("finalised", "Finalise the record"),
    ]
    if review is None:
        if not_notifiable:
            return [_stage(key, name, NOT_NEEDED, hint="Screened as not notifiable") for key, name in names]
        first = _stage(
            "meeting",
            "Rapid review meeting",
            NOT_STARTED if screened else CANNOT_START,
            hint="Start the rapid review first" if screened else "",
        )
        return [first, *(_stage(key, name, CANNOT_START) for key, name in names[1:])]
    today = timezone.localdate()
    review_url = reverse("review", args=[review.code]) if reads_case else ""
    stages: list[Stage] = []

    meetings = list(review.meetings.all())
    if not meetings:
        url = reverse("review-meeting-new", args=[review.code]) if manages else review_url
        stages.append(_stage("meeting", "Rapid review meeting", NOT_STARTED, url=url))
    else:
        last = meetings[-1]
        later = last.held_on > today
        stages.append(
            _stage(
                "meeting",
                "Rapid review meeting",
                IN_PROGRESS if later else DONE,
                f"Planned for {_day(last.held_on)}" if later else "",
                hint="" if later else f"Held on {_day(last.held_on)}",
                url=reverse("review-meeting", args=[review.code, last.code]) if reads_case else "",
            )
        )

    considerations = list(review.considerations.all())
    considered = sum(1 for c in considerations if c.is_considered)
    if considered == len(considerations):
        stages.append(_stage("criteria", "Consider the criteria", DONE, url=review_url))
    else:
        stages.append(
            _stage(
                "criteria",
                "Consider the criteria",
                IN_PROGRESS if considered else NOT_STARTED,
                f"{considered} of {len(considerations)} considered",
                url=review_url,
            )
        )

    decision = review.current_decision()
    decide_url = (
        reverse("review-decide", args=[review.code]) if manages and not review.is_final else review_url
    )
    if decision is None:
        stages.append(_stage("decision", "Record the decision", NOT_STARTED, url=decide_url))
        stages.append(_stage("sign_offs", "Statutory partners sign off", CANNOT_START))
    else:
        stages.append(
            _stage(
                "decision",
                "Record the decision",
                DONE,
                hint=f"{decision.get_outcome_display()}, version {decision.version}",
                url=review_url,
            )
        )
        signed = decision.positions.count()
        stages.append(
            _stage(
                "sign_offs",
                "Statutory partners sign off",
                DONE if signed >= len(STATUTORY_PARTNERS) else IN_PROGRESS,
                ""
                if signed >= len(STATUTORY_PARTNERS)
                else f"{signed} of {len(STATUTORY_PARTNERS)} signed off",
                url=review_url,
            )
        )

    if review.is_final:
        hint = "With things outstanding, for reasons recorded" if review.finalised_despite else ""
        stages.append(_stage("finalised", "Finalise the record", DONE, hint=hint, url=review_url))
    elif decision is None:
        stages.append(_stage("finalised", "Finalise the record", CANNOT_START))
    else:
        url = reverse("review-finalise", args=[review.code]) if manages else review_url
        stages.append(_stage("finalised", "Finalise the record", NOT_STARTED, url=url))
    return stages
