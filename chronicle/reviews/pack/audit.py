"""Appendix B of the Panel pack: who contributed what and when, from the record and from the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies.models import ChronologyRequest, ChronologyVersion
from chronicle.composite.models import EntryAnalysis, FindingDecision, LinkDecision
from chronicle.core.documents import (
    Block,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from chronicle.core.plain_words import plain
from chronicle.reviews.models import (
    LearningPoint,
    RapidReview,
)
from chronicle.reviews.pack.common import (
    COMPACT_FROM,
    SECTIONS,
    _day,
    _moment,
    _person,
    _plural,
    _rule_title,
    _status_words,
)


@dataclass(frozen=True)
class Contribution:
    """One line of the audit extract."""

    at: dt.datetime
    who: str
    what: str
    source: str  # "record" (the record's own timestamp) or "audit log"
    date_only: bool = False  # the record holds a day, not a time (a request, a meeting)

    @property
    def when(self) -> str:
        return _day(timezone.localtime(self.at).date()) if self.date_only else _moment(self.at)


def recorded_contributions(review: RapidReview) -> list[Contribution]:
    """Who contributed what and when, from the case's records' own timestamps."""
    incident = review.incident
    found: list[Contribution] = []

    def add(at: dt.date | None, who: object, what: str) -> None:
        if at is None:
            return
        name = who if isinstance(who, str) else _person(who)
        if isinstance(at, dt.datetime):
            found.append(Contribution(at, name, what, "record"))
        else:  # a day only: sorted as the start of that day
            start = timezone.make_aware(dt.datetime.combine(at, dt.time()))
            found.append(Contribution(start, name, what, "record", date_only=True))

    add(
        incident.reported_at,
        incident.reported_by,
        f"Reported the serious incident (reporter: {incident.reporter_name})",
    )
    for screening in incident.screenings.select_related("decided_by").order_by("version"):
        add(
            screening.decided_at,
            screening.decided_by,
            f"Screening decision version {screening.version}: {screening.get_outcome_display()}",
        )
    for notification in incident.notifications.select_related("recorded_by"):
        add(
            notification.recorded_at,
            notification.recorded_by,
            f"Recorded the notification to {notification.recipient}, sent {_day(notification.sent_on)}",
        )
    for request in ChronologyRequest.objects.filter(incident=incident).select_related(
        "agency", "requested_by"
    ):
        add(
            request.requested_on,
            request.requested_by,
            f"Requested a chronology from {request.agency.name} (round {request.round})",
        )
    for version in ChronologyVersion.objects.filter(request__incident=incident).select_related(
        "request__agency", "submitted_by"
    ):
        add(
            version.submitted_at,
            version.submitted_by,
            f"Submitted {version.request.agency.name} chronology version {version.number} ({_plural(version.entry_count, 'entry', 'entries')})",
        )
    for finding in FindingDecision.objects.filter(incident=incident).select_related("decided_by"):
        add(
            finding.decided_at,
            finding.decided_by,
            f"{finding.get_decision_display()} the finding “{_rule_title(finding.rule_id)}” as "
            f"{_status_words(finding.status)}",
        )
    for link in LinkDecision.objects.filter(incident=incident).select_related("decided_by"):
        add(
            link.decided_at,
            link.decided_by,
            f"{link.get_decision_display()} a proposed {link.kind} between two entries",
        )
    add(review.created_at, review.created_by, "Started the rapid review")
    for meeting in review.meetings.all():
        add(
            meeting.held_on,
            "Statutory partners",
            f"Held {meeting.title} ({meeting.attendance.count()} attending)",
        )
    for decision in review.decisions.select_related("created_by"):
        add(
            decision.created_at,
            decision.created_by,
            f"Recorded decision version {decision.version}: {decision.get_outcome_display()}",
        )
        for position in decision.positions.select_related("representative"):
            add(
                position.signed_off_at,
                position.representative,
                f"Signed off for the {position.get_partner_display().lower()}: "
                f"{'agrees' if position.agrees else 'disagrees'} with decision version {decision.version}",
            )
    for point in LearningPoint.objects.filter(incident=incident).select_related("created_by"):
        add(point.created_at, point.created_by, f"Recorded a learning point: {point.get_theme_display()}")
    add(review.finalised_at, review.finalised_by, "Finalised the rapid review record")
    return sorted(found, key=lambda c: c.at)


OBJECT_WORDS = {
    "chronologyrequest": "chronology request",
    "chronologyversion": "chronology version",
    "importbatch": "imported file",
    "rapidreview": "rapid review",
    "partnerposition": "partner's position",
    "entryanalysis": "entry analysis",
    "entry_link": "link between entries",
    "learningpoint": "learning point",
    "learningaction": "learning action",
    "reviewer_assignment": "reviewer assignment",
    "casepeople": "list of people to pseudonymise",
}


def audited_contributions(review: RapidReview) -> list[Contribution]:
    """The audit log's events for this case's records (reads and sign-ins left out)."""
    incident = review.incident
    codes = [str(incident.code), str(review.code)]
    codes += [str(c) for c in incident.screenings.values_list("code", flat=True)]
    codes += [str(c) for c in incident.notifications.values_list("code", flat=True)]
    codes += [
        str(c) for c in ChronologyRequest.objects.filter(incident=incident).values_list("code", flat=True)
    ]
    codes += [
        str(c)
        for c in ChronologyVersion.objects.filter(request__incident=incident).values_list("code", flat=True)
    ]
    codes += [str(c) for c in review.meetings.values_list("code", flat=True)]
    codes += [str(c) for c in review.decisions.values_list("code", flat=True)]
    points = LearningPoint.objects.filter(incident=incident)
    codes += [str(c) for c in points.values_list("code", flat=True)]
    codes += [str(c) for c in points.values_list("actions__code", flat=True) if c]
    findings = [
        f"{rule}/{uid}"
        for rule, uid in FindingDecision.objects.filter(incident=incident).values_list(
            "rule_id", "trigger_uid"
        )
    ]
    links = [
        f"{a}/{b}"
        for a, b in LinkDecision.objects.filter(incident=incident).values_list("first_uid", "second_uid")
    ]
    analysed = [
        str(u) for u in EntryAnalysis.objects.filter(incident=incident).values_list("entry_uid", flat=True)
    ]
    considerations = [str(pk) for pk in review.considerations.values_list("pk", flat=True)]
    positions = [str(pk) for pk in review.decisions.values_list("positions__pk", flat=True) if pk]
    wanted = (
        Q(object_id__in=codes)
        | Q(object_type="finding", object_id__in=findings)
        | Q(object_type="entry_link", object_id__in=links)
        | Q(object_type="entryanalysis", object_id__in=analysed)
        | Q(object_type="consideration", object_id__in=considerations)
        | Q(object_type="partnerposition", object_id__in=positions)
    )
    events = (
        AuditEvent.objects.filter(wanted, partnership=incident.partnership)
        .exclude(
            action__in=[
                Action.VIEW,
                Action.SIGN_IN,
                Action.SIGN_OUT,
                Action.SIGN_IN_FAILED,
                Action.TWO_FACTOR,
            ]
        )
        .select_related("user")
        .order_by("at", "id")
    )
    found = []
    for event in events:
        what = f"{event.get_action_display()} {OBJECT_WORDS.get(event.object_type, event.object_type.replace('_', ' '))}"
        if event.object_label:
            what += f" “{event.object_label}”"
        if event.detail:
            what += f": {event.detail}"
        if event.outcome != "success":
            what += f" ({event.get_outcome_display().lower()})"
        who = _person(event.user) if event.user else (event.user_label or "Chronicle (no signed-in user)")
        found.append(Contribution(event.at, who, plain(what), "audit log"))
    return found


def appendix_audit(review: RapidReview) -> list[Block]:
    recorded = recorded_contributions(review)
    audited = audited_contributions(review)
    return [
        PageBreak(),
        Heading(SECTIONS[11]),
        Paragraph(
            "Who contributed what and when. The first table is read from the records themselves (for example, "
            "when a chronology version was submitted and by whom); the second lists the audit log's entries for "
            "this case's records. Reading a record and signing in are left out. Times are UK local time."
        ),
        Table(
            ["When", "Who", "What"],
            [[c.when, c.who, c.what] for c in recorded],
            caption="From the records",
            widths=(4, 4, 12),
            compact=len(recorded) > COMPACT_FROM,
        ),
        Table(
            ["When", "Who", "What"],
            [[c.when, c.who, c.what] for c in audited] or [["", "", "No audit log entries for this case"]],
            caption="From the audit log",
            widths=(4, 4, 12),
            compact=len(audited) > COMPACT_FROM,
        ),
    ]
