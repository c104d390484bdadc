"""Sections 1 to 5 of the Panel pack: the title matter, case summary, incident record, clock, meetings and agency involvement."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chronicle.chronologies.models import ChronologyVersion
from chronicle.chronologies.services import timeliness
from chronicle.core.documents import (
    Block,
    Heading,
    KeyValues,
    Paragraph,
    Table,
    worked_out_blocks,
)
from chronicle.incidents.exports import incident_blocks, notification_blocks, screening_blocks
from chronicle.incidents.models import Incident
from chronicle.incidents.services import calendar_for, first_panel_notification
from chronicle.reviews.models import (
    RapidReview,
)
from chronicle.reviews.pack.common import (
    MARKING,
    MARKING_WITH_NAMES,
    SECTIONS,
    TITLE,
    _day,
    _demoted,
    _long_day,
    _moment,
    _person,
    _plural,
    _text_or,
)
from chronicle.reviews.services import RAPID_REVIEW_WORKING_DAYS, missing_partners

# --- The sections --------------------------------------------------------------------------------


def title_matter(review: RapidReview, produced_at: dt.datetime, pseudonymised: bool) -> list[Block]:
    incident = review.incident
    decision = review.current_decision()
    if review.finalised_at:
        status = f"Finalised on {_long_day(timezone.localtime(review.finalised_at).date())} by {_person(review.finalised_by)}"
    else:
        status = "Draft: not yet finalised"
    names = (
        "Pseudonymised: each person listed for this case is shown by the same pseudonym throughout"
        if pseudonymised
        else "Names as recorded: this copy identifies people and must be handled as personal data"
    )
    return [
        KeyValues(
            [
                ("Partnership", incident.partnership.name),
                ("Case reference", incident.reference),
                ("Report", TITLE),
                ("Date produced", _long_day(timezone.localtime(produced_at).date())),
                ("Status", status),
                *_finalised_despite(review),
                ("Decision", decision.get_outcome_display() if decision else "No decision recorded yet"),
                ("Protective marking", MARKING if pseudonymised else MARKING_WITH_NAMES),
                ("Names", names),
            ]
        ),
        Heading("Contents", 2),
        Paragraph("\n".join(SECTIONS)),
        Paragraph(
            "Compliance findings and links between agencies' entries are proposals from Chronicle that "
            "people confirmed, changed or dismissed; this report shows both what was proposed and what "
            "people decided.",
            "hint",
        ),
    ]


def _finalised_despite(review: RapidReview) -> list[tuple[str, str]]:
    """The business manager's override: what was outstanding when the record was finalised, and why."""
    if not review.finalised_at or not review.finalised_despite:
        return []
    return [
        ("Finalised with these outstanding", "; ".join(review.finalised_despite)),
        ("Reasons for finalising", review.override_reasons),
    ]


def summary_section(review: RapidReview) -> list[Block]:
    return [
        Heading(SECTIONS[0]),
        Heading("Case summary", 2),
        _text_or(review.summary),
        Heading("Immediate safeguarding action and learning shared", 2),
        _text_or(review.immediate_action),
        Heading("Context: race, ethnicity, disability and other inequalities", 2),
        _text_or(review.context),
    ]


def incident_record_section(incident: Incident) -> list[Block]:
    return [
        Heading(SECTIONS[1]),
        *_demoted(incident_blocks(incident)),
        *_demoted(screening_blocks(incident)),
        *_demoted(notification_blocks(incident)),
    ]


def clock_section(review: RapidReview, today: dt.date) -> list[Block]:
    incident = review.incident
    calendar = calendar_for(incident.partnership)
    decision = review.current_decision()
    sent = (decision.sent_to_panel_on if decision else None) or incident.rapid_review_sent_on
    signed = [p.signed_off_at for p in decision.positions.all()] if decision else []
    meetings = [m.held_on for m in review.meetings.all()]
    end, end_words = (
        (sent, "to sending to the Panel") if sent else (today, "so far (not yet sent to the Panel)")
    )
    taken = calendar.working_days_between(review.started_on, end)
    rows = [
        ("Regime", review.regime),
        (
            "Clock starts",
            incident.partnership.get_rapid_review_clock_start_display(),
        ),
        ("Started on (working day 0)", _day(review.started_on)),
        (f"Due on ({RAPID_REVIEW_WORKING_DAYS} working days)", _day(review.due_on)),
        ("Meetings held", ", ".join(_day(d) for d in meetings) or "None recorded"),
        ("Decision date", _day(decision.decided_on) if decision else "No decision recorded"),
        ("Last partner sign-off", _moment(max(signed)) if signed else "No sign-off recorded"),
        ("Sent to the Panel", _day(sent)),
        ("Working days taken", f"{taken} {end_words}"),
        (
            "Within the timescale",
            "Yes"
            if end <= review.due_on
            else f"No: {calendar.working_days_between(review.due_on, end)} working days late",
        ),
    ]
    # The rule book asks for the count from both possible starts (RR-01 (a) and (b)).
    notified = first_panel_notification(incident)
    rows.append(
        (
            "Working days from the local authority becoming aware",
            str(calendar.working_days_between(incident.aware_on, end)),
        )
    )
    rows.append(
        (
            "Working days from notifying the Panel",
            str(calendar.working_days_between(notified, end))
            if notified
            else "The Panel notification is not recorded",
        )
    )
    if decision and decision.panel_response_on:
        rows.append(("Panel response", f"{_day(decision.panel_response_on)}: {decision.panel_response}"))
    return [
        Heading(SECTIONS[2]),
        KeyValues(rows),
        Paragraph(
            "Working days leave out weekends, England's bank holidays and the partnership's own closure days. "
            "Sources differ on when the 15 working days start, so both counts are given.",
            "hint",
        ),
        *worked_out_blocks([("Rule", "RR-01 (a) from awareness, RR-01 (b) from the Panel notification")], 2),
    ]


def meetings_section(review: RapidReview) -> list[Block]:
    blocks: list[Block] = [Heading(SECTIONS[3])]
    meetings = list(review.meetings.all())
    if not meetings:
        return [*blocks, Paragraph("No rapid review meeting has been recorded.", "warning")]
    for meeting in meetings:
        blocks.append(Heading(f"{meeting.title}, {_long_day(meeting.held_on)}", 2))
        attendance = list(meeting.attendance.select_related("agency"))
        blocks.append(
            Table(
                ["Name", "Role", "Agency", "Statutory partner"],
                [
                    [
                        a.name,
                        a.role,
                        a.agency.name if a.agency else "",
                        f"Yes: {a.get_partner_display()}" if a.partner else "",
                    ]
                    for a in attendance
                ],
                caption=f"Attendance ({_plural(len(attendance), 'person')})",
                widths=(3, 3, 3, 3),
            )
        )
        absent = missing_partners(meeting)
        if absent:
            blocks.append(Paragraph(f"Statutory partners not represented: {', '.join(absent)}.", "warning"))
        else:
            blocks.append(Paragraph("All three statutory partners were represented."))
        items = list(meeting.items.all())
        if items:
            blocks.append(
                Table(
                    ["No.", "Agenda item", "Minutes"],
                    [
                        [
                            str(item.position),
                            item.title + (f"\n{item.detail}" if item.detail else ""),
                            item.minutes or "No minutes recorded",
                        ]
                        for item in items
                    ],
                    caption="Agenda and minutes",
                    widths=(1.5, 9, 10),
                )
            )
        else:
            blocks.append(Paragraph("No agenda items were recorded."))
    return blocks


def agency_involvement_section(incident: Incident, today: dt.date) -> list[Block]:
    blocks: list[Block] = [
        Heading(SECTIONS[4]),
        Paragraph(
            "Each agency's chronology requests, with their rounds (a revisit is a new round), status and "
            "timeliness, and every version the agency submitted. Submitted versions are never changed."
        ),
    ]
    rows = []
    for item in timeliness(incident, today):
        request = item.request
        rows.append(
            [
                request.agency.name,
                str(request.round),
                f"{_day(request.period_from)} to {_day(request.period_to)}\n{request.get_scope_display().split(':')[0]}",
                _day(request.requested_on),
                _day(request.due_on),
                request.get_status_display(),
                _day(request.first_submitted_on) if request.first_submitted_on else "Not yet",
                f"{item.aware_to_request} / "
                + (str(item.request_to_submission) if item.request_to_submission is not None else "-")
                + ("\nLate" if item.late else "\nOn time"),
            ]
        )
    if not rows:
        return [*blocks, Paragraph("No chronology has been requested for this case.", "warning")]
    blocks.append(
        Table(
            [
                "Agency",
                "Round",
                "Period and scope",
                "Requested",
                "Due",
                "Status",
                "First submitted",
                "Working days",
            ],
            rows,
            caption="Chronology requests",
            widths=(5, 2, 6, 3.3, 3.3, 3.3, 3.3, 3.8),
        )
    )
    blocks.append(
        Paragraph(
            "Working days: from the local authority becoming aware to the request / from the request to "
            "the first submission.",
            "hint",
        )
    )
    versions = ChronologyVersion.objects.filter(request__incident=incident).select_related(
        "request__agency", "submitted_by"
    )
    current = {v.pk for v in ChronologyVersion.objects.current_for(incident)}
    blocks.append(
        Table(
            ["Agency", "Round", "Version", "Submitted", "Submitted by", "Entries", "Note"],
            [
                [
                    v.request.agency.name,
                    str(v.request.round),
                    f"{v.number}" + (" (current)" if v.pk in current else ""),
                    _moment(v.submitted_at),
                    _person(v.submitted_by),
                    str(v.entry_count),
                    v.note,
                ]
                for v in versions.order_by("request__agency__name", "request__round", "number")
            ]
            or [["No version submitted yet", "", "", "", "", "", ""]],
            caption="Submitted versions (the composite chronology uses each agency's current version)",
            widths=(5, 2, 2.5, 3.5, 4, 2, 5),
        )
    )
    return blocks
