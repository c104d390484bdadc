"""The notification summary of an incident with its full screening record, as Word or PDF."""

from __future__ import annotations

from django.utils import timezone

from chronicle.core.documents import (
    Block,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    Table,
    render,
    worked_out_blocks,
)
from chronicle.core.harm import HARM_CATEGORIES_BY_CODE
from chronicle.core.plain_words import day_words, moment_words, plain
from chronicle.incidents import services
from chronicle.incidents.models import Incident

ANSWER_WORDS = {"yes": "Yes", "no": "No", "unknown": "Unknown"}


def _date(value: object) -> str:
    return day_words(value) if value else "Not recorded"  # type: ignore[arg-type]


def incident_blocks(incident: Incident) -> list[Block]:
    """The incident as reported and its children (shared with the Panel pack)."""
    return [
        Heading("Incident"),
        KeyValues(
            [
                ("Case reference", incident.reference),
                ("Date of the incident", _date(incident.occurred_on)),
                ("Date the local authority became aware", _date(incident.aware_on)),
                ("In England", "Yes" if incident.in_england else "No"),
                ("What happened to the child", incident.get_outcome_display()),
                (
                    "Kind of harm",
                    ", ".join(HARM_CATEGORIES_BY_CODE[c].label for c in incident.harm_categories)
                    or "None given",
                ),
                ("Abuse or neglect", incident.get_abuse_or_neglect_display()),
                ("Description", incident.description),
                ("Reported by", f"{incident.reporter_name}, {incident.reporting_agency.name}"),
                ("Reported on", _date(timezone.localtime(incident.reported_at).date())),
            ]
        ),
        Heading("Children"),
        Table(
            ["Child", "Date of birth or age", "Looked after", "Care leaver", "Disability"],
            [
                [
                    c.label,
                    _date(c.born_on)
                    if c.born_on
                    else (f"{c.age_years} years" if c.age_years is not None else "Not known"),
                    "Yes" if c.looked_after else "No",
                    "Yes" if c.care_leaver else "No",
                    {True: "Yes", False: "No", None: "Not known"}[c.disability],
                ]
                for c in incident.children.all()
            ],
        ),
    ]


def screening_blocks(incident: Incident) -> list[Block]:
    """The latest screening decision with each criterion as answered (shared with the Panel pack)."""
    screening = incident.latest_screening()
    blocks: list[Block] = [Heading("Screening decision")]
    if screening is None:
        blocks.append(Paragraph("No screening decision has been recorded.", "warning"))
        return blocks
    blocks += [
        KeyValues(
            [
                ("Regime in force", screening.regime),
                ("Decision", screening.get_outcome_display()),
                ("What the answers imply", screening.get_engine_outcome_display()),
                ("Review duty", screening.review_duty),
                ("Rationale", screening.rationale or "None given"),
                ("Notify", ", ".join(screening.notify_to) or "Nobody"),
                ("Notify by", _date(screening.notify_by)),
                ("Rapid review by", _date(screening.rapid_review_by)),
                (
                    "Decided by",
                    f"{screening.decided_by.get_full_name()} on {moment_words(timezone.localtime(screening.decided_at))}",
                ),
                ("Version", f"{screening.version} of {incident.screenings.count()}"),
            ]
        ),
        Table(
            ["Criterion", "Answer", "Proposed", "Evidence"],
            [
                [
                    item["question"],
                    ANSWER_WORDS.get(item["answer"], item["answer"]),
                    ANSWER_WORDS.get(item["proposed"], item["proposed"]),
                    item.get("evidence") or "",
                ]
                for item in screening.answers.values()
            ],
            caption="Each statutory criterion as answered",
            widths=(4, 1.1, 1.4, 3.5),
        ),
    ]
    blocks += [Paragraph(plain(warning), "hint") for warning in screening.warnings]
    sources = [
        (criterion_id, item["source"] + ("" if item["verified"] else " (unverified)"))
        for criterion_id, item in screening.answers.items()
    ]
    notes = [("Note", warning) for warning in screening.warnings if warning != plain(warning)]
    return blocks + worked_out_blocks(sources + notes, 2)


def notification_blocks(incident: Incident) -> list[Block]:
    """Who was notified, when, with their reference (shared with the Panel pack)."""
    blocks: list[Block] = [Heading("Notifications")]
    notifications = list(incident.notifications.all())
    if notifications:
        blocks.append(
            Table(
                ["Notified to", "Date sent", "Reference"],
                [[n.recipient, _date(n.sent_on), n.reference] for n in notifications],
            )
        )
    else:
        blocks.append(Paragraph("No notification has been recorded."))
    return blocks


def notification_document(incident: Incident) -> Document:
    doc = Document(
        title=f"Serious incident notification summary: {incident.reference}",
        subtitle=f"{incident.partnership.name}. Produced {moment_words(timezone.localtime())}.",
    )
    doc.add(*incident_blocks(incident), *screening_blocks(incident), *notification_blocks(incident))
    clocks = services.clocks(incident)
    if clocks:
        doc.add(
            Heading("Clocks"),
            Table(["Clock", "Due", "Status"], [[c.label, _date(c.due), c.description] for c in clocks]),
        )
    return doc


def notification_summary(incident: Incident, fmt: str) -> tuple[bytes, str]:
    return render(notification_document(incident), fmt)
