"""The Panel pack: the rapid review report to the Child Safeguarding Practice Review Panel (lesson V).

One document, written to Word or tagged PDF, holds the whole rapid-review record (rule book RRT-01):
the case summary, the incident and screening record, the clock, meetings, agency involvement, the
findings people decided on, each criterion considered, the decision with its reasons and evidence,
every statutory partner's position (dissent included), learning points, and two appendices: the
composite chronology with its timeline, and an extract of the audit log.

By default every name listed for the case (``CasePeople``) is replaced, in every section, by the
same pseudonym the partnership's key gives it everywhere else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from chronicle.audit.models import Action, AuditEvent
from chronicle.chronologies.models import ChronologyRequest, ChronologyVersion
from chronicle.chronologies.services import timeliness
from chronicle.composite import services as composite_services
from chronicle.composite.models import EntryAnalysis, FindingDecision, LinkDecision
from chronicle.composite.people import case_people, pseudonymiser_for
from chronicle.core.analysis import Analysis
from chronicle.core.colours import assign_colours
from chronicle.core.compliance import Status, rule_by_id
from chronicle.core.documents import (
    Block,
    Document,
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    Picture,
    Table,
    render,
    svg_to_png,
    worked_out_blocks,
)
from chronicle.core.entries import SIX_HEADINGS
from chronicle.core.exports import (
    STATUS_ORDER,
    entry_cells,
    finding_text,
    pseudonymise_analysis,
    row_tint,
)
from chronicle.core.plain_words import dates_in_words, day_words, moment_words, plain, status_words
from chronicle.core.pseudonyms import Person, Pseudonymiser, replace_names
from chronicle.core.timeline_svg import render_swimlane_svg
from chronicle.incidents.exports import incident_blocks, notification_blocks, screening_blocks
from chronicle.incidents.models import Incident
from chronicle.incidents.services import calendar_for, first_panel_notification
from chronicle.reviews.models import (
    STATUTORY_PARTNERS,
    Decision,
    Evidence,
    LearningPoint,
    PartnerKind,
    RapidReview,
)
from chronicle.reviews.services import RAPID_REVIEW_WORKING_DAYS, missing_partners

TITLE = "Rapid review: report to the Child Safeguarding Practice Review Panel"
FORMATS = ("docx", "pdf")
MARKING = "OFFICIAL-SENSITIVE"
MARKING_WITH_NAMES = "OFFICIAL-SENSITIVE PERSONAL"  # names as recorded: handle as personal data
COMPACT_FROM = 100  # rows: longer tables are set in small type, many rows to a page

SECTIONS = (
    "1. Case summary",
    "2. Incident, screening and notifications",
    "3. The rapid review clock",
    "4. Meetings",
    "5. Agency involvement",
    "6. Findings from the chronologies",
    "7. Criteria considered",
    "8. The decision and its rationale",
    "9. Statutory partners' positions and sign-off",
    "10. Learning points and actions",
    "Appendix A: composite multi-agency chronology",
    "Appendix B: audit extract",
)


# --- Small formatting helpers --------------------------------------------------------------------


def _day(value: dt.date | None) -> str:
    return day_words(value) if value else "Not recorded"


def _long_day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _moment(value: dt.datetime | None) -> str:
    return moment_words(timezone.localtime(value)) if value else "Not recorded"


def _person(user: object) -> str:
    return str(getattr(user, "display_name", "") or user) if user else "Not recorded"


def _text_or(value: str, missing: str = "Not recorded.") -> Paragraph:
    return Paragraph(value.strip()) if value.strip() else Paragraph(missing, "warning")


def _status_words(value: str) -> str:
    try:
        return Status(value).words
    except ValueError:
        return status_words(value)


def _rule_title(rule_id: str) -> str:
    try:
        return rule_by_id(rule_id).title
    except KeyError:
        return "a rule no longer in the rule book"


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def _evidence_text(evidence: Iterable[Evidence]) -> str:
    """Each piece of evidence: its frozen label, then what kind it is and where it is in the record."""
    lines = [f"{dates_in_words(e.label)} ({e.get_kind_display()})" for e in evidence]
    return "\n".join(lines) if lines else "No evidence linked"


def _demoted(blocks: Iterable[Block], by: int = 1) -> list[Block]:
    """Shared blocks written as a report of their own, placed one heading level lower."""
    return [dataclasses.replace(b, level=b.level + by) if isinstance(b, Heading) else b for b in blocks]


# --- Pseudonyms ----------------------------------------------------------------------------------


def _renamed_blocks(blocks: Iterable[Block], rename: Callable[[str], str]) -> list[Block]:
    result: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            result.append(dataclasses.replace(block, text=rename(block.text)))
        elif isinstance(block, KeyValues):
            result.append(KeyValues([(rename(k), rename(v)) for k, v in block.rows]))
        elif isinstance(block, Table):
            result.append(
                dataclasses.replace(
                    block,
                    headings=[rename(h) for h in block.headings],
                    rows=[[rename(cell) for cell in row] for row in block.rows],
                    caption=rename(block.caption),
                )
            )
        elif isinstance(block, Picture):  # drawn from the pseudonymised chronology already
            result.append(dataclasses.replace(block, description=rename(block.description)))
        else:
            result.append(block)
    return result


# --- The sections --------------------------------------------------------------------------------


def _title_matter(review: RapidReview, produced_at: dt.datetime, pseudonymised: bool) -> list[Block]:
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


def _summary(review: RapidReview) -> list[Block]:
    return [
        Heading(SECTIONS[0]),
        Heading("Case summary", 2),
        _text_or(review.summary),
        Heading("Immediate safeguarding action and learning shared", 2),
        _text_or(review.immediate_action),
        Heading("Context: race, ethnicity, disability and other inequalities", 2),
        _text_or(review.context),
    ]


def _incident_record(incident: Incident) -> list[Block]:
    return [
        Heading(SECTIONS[1]),
        *_demoted(incident_blocks(incident)),
        *_demoted(screening_blocks(incident)),
        *_demoted(notification_blocks(incident)),
    ]


def _clock(review: RapidReview, today: dt.date) -> list[Block]:
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


def _meetings(review: RapidReview) -> list[Block]:
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


def _agency_involvement(incident: Incident, today: dt.date) -> list[Block]:
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


@dataclass(frozen=True)
class _Case:
    """The composite chronology as the pack shows it, with what people decided about it."""

    analysis: Analysis
    uids: list[str]
    findings: dict[tuple[str, str], FindingDecision]
    links: dict[tuple[str, str], LinkDecision]

    def number(self, index: int) -> str:
        return f"No. {index + 1}"

    def entry(self, index: int) -> str:
        return f"{self.number(index)}: {dates_in_words(self.analysis.entries[index].reference())}"

    def link_decision(self, a: int, b: int) -> LinkDecision | None:
        first, second = sorted([self.uids[a], self.uids[b]])
        return self.links.get((first, second))


def _case(incident: Incident, pseudonymiser: Pseudonymiser | None, people: list[Person]) -> _Case:
    built = composite_services.build(incident)
    analysis = built.analysis
    uids = [built.uid(i) for i in range(len(analysis.entries))]
    if pseudonymiser is not None and people:
        analysis = pseudonymise_analysis(analysis, pseudonymiser, people)
    findings = {
        (f.rule_id, str(f.trigger_uid)): f
        for f in FindingDecision.objects.filter(incident=incident).select_related("decided_by")
    }
    links = {
        (str(k.first_uid), str(k.second_uid)): k
        for k in LinkDecision.objects.filter(incident=incident).select_related("decided_by")
    }
    return _Case(analysis, uids, findings, links)


def _decided(decision: FindingDecision | None) -> str:
    if decision is None:
        return "Not yet decided"
    words = f"{decision.get_decision_display()}: {_status_words(decision.status)}"
    words += f"\n{_person(decision.decided_by)}, {_moment(decision.decided_at)}"
    return words + (f"\n{decision.reason}" if decision.reason else "")


def _link_decided(decision: LinkDecision | None) -> str:
    if decision is None:
        return "Not yet decided"
    words = (
        f"{decision.get_decision_display()}\n{_person(decision.decided_by)}, {_moment(decision.decided_at)}"
    )
    return words + (f"\n{decision.reason}" if decision.reason else "")


def _findings(case: _Case, incident: Incident) -> list[Block]:
    analysis = case.analysis
    blocks: list[Block] = [
        Heading(SECTIONS[5]),
        Paragraph(
            "Chronicle proposes, for each statutory requirement that applied, whether the record shows it met, "
            "not met, cannot show it, or needs multi-agency judgement. People then confirm, change or dismiss "
            "each proposal. Entry numbers refer to the composite chronology in appendix A."
        ),
        Heading("Compliance findings", 2),
    ]
    if analysis.findings:
        ordered = sorted(analysis.findings, key=lambda f: STATUS_ORDER.index(f.status))
        # A long list is set small; each rule's source is named once, under "How this was worked
        # out" below the list, rather than on every row (sources run to several lines each).
        compact = len(ordered) > COMPACT_FROM
        sources_once = compact or len({f.rule_id for f in ordered}) < len(ordered)
        rows = []
        for f in ordered:
            decision = case.findings.get((f.rule_id, case.uids[f.trigger_index]))
            rows.append(
                [
                    f.rule_title + ("" if f.verified else "\n(rule not yet verified)"),
                    case.entry(f.trigger_index),
                    finding_text(f),
                    f.status.words,
                    _decided(decision),
                ]
            )
        decided = sum(
            1 for f in analysis.findings if (f.rule_id, case.uids[f.trigger_index]) in case.findings
        )
        blocks.append(
            Table(
                ["Requirement", "Entry", "What the record shows", "Proposed", "Decided by people"],
                rows,
                caption=f"{_plural(len(rows), 'finding')}, {decided} decided by people",
                widths=(12 if sources_once else 16, 14, 35 if sources_once else 31, 14, 25),
                compact=compact,
            )
        )
        # Each rule's id and source once, under "How this was worked out", as on the findings page.
        sources = {f.rule_id: (f.rule_title, f.source, f.counting) for f in ordered}
        counts = Counter(f.rule_id for f in ordered)
        blocks += worked_out_blocks(
            [
                (f"{rule}: {title}", f"{_plural(counts[rule], 'finding')}. Source: {source}. {counting}")
                for rule, (title, source, counting) in sorted(sources.items())
            ],
            3,
        )
    else:
        blocks.append(Paragraph("No compliance rule was triggered by the submitted chronologies."))

    blocks.append(Heading("Conflicting accounts and duplicates", 2))
    if analysis.links:
        rows = []
        for link in sorted(analysis.links, key=lambda k: (k.kind != "conflict", k.a_index)):
            rows.append(
                [
                    "Conflict" if link.kind == "conflict" else "Possible duplicate",
                    f"{case.entry(link.a_index)}\n{case.entry(link.b_index)}",
                    dates_in_words("; ".join(link.reasons)),
                    _link_decided(case.link_decision(link.a_index, link.b_index)),
                ]
            )
        blocks.append(
            Table(
                ["Kind", "Entries", "Why it was proposed", "Decided by people"],
                rows,
                widths=(12, 30, 33, 25),
                compact=len(rows) > COMPACT_FROM,
            )
        )
    else:
        blocks.append(Paragraph("No conflicting accounts or duplicates between agencies were found."))

    silences = [
        f"{day_words(p.start)} to {day_words(p.end)} ({p.days} days)" for p in analysis.silent_periods
    ] + [plain(g.message) for g in analysis.expected_contact_gaps]
    blocks.append(Heading("Silent periods and expected contacts not recorded", 2))
    blocks.append(Paragraph("\n".join(silences) if silences else "None were found."))

    episodes = _practice_episodes(case, incident)
    if episodes:
        blocks.append(Heading("Analysis of key practice episodes", 2))
        blocks.append(Paragraph("The six headings as the review team wrote them for these entries."))
        for entry, headings in episodes:
            blocks += [Heading(entry, 3), KeyValues(headings)]
    return blocks


def _practice_episodes(case: _Case, incident: Incident) -> list[tuple[str, list[tuple[str, str]]]]:
    """Entries the review team analysed under the six headings, in chronology order; empty headings left out."""
    position = {uid: index for index, uid in enumerate(case.uids)}
    found = []
    for analysed in EntryAnalysis.objects.filter(incident=incident):
        index = position.get(str(analysed.entry_uid))
        headings = [
            (title, getattr(analysed, name).strip())
            for name, title in SIX_HEADINGS.items()
            if getattr(analysed, name, "").strip()
        ]
        if index is not None and headings:
            found.append((index, case.entry(index), headings))
    return [(entry, headings) for _, entry, headings in sorted(found, key=lambda item: item[0])]


def _criteria(review: RapidReview) -> list[Block]:
    considerations = list(review.considerations.prefetch_related("evidence"))
    rows = [
        [
            c.question + ("" if c.verified else " (wording not yet verified)"),
            c.get_answer_display() or "Not answered",
            c.discussion or "No discussion recorded",
            _evidence_text(c.evidence.all()),
        ]
        for c in considerations
    ]
    blocks: list[Block] = [
        Heading(SECTIONS[6]),
        Paragraph(
            "Each criterion the statutory partners must take into account (SI 2018/789 regulation 11 for a "
            "local review; regulation 3 for the Panel's national review; the Serious Case Review criteria "
            "before 2018), with the partners' answer, their discussion and the evidence it rests on."
        ),
    ]
    if not rows:
        return [*blocks, Paragraph("No criteria have been recorded for this review.", "warning")]
    unanswered = [c.question for c in considerations if not c.is_considered]
    if unanswered:
        blocks.append(Paragraph(f"Not yet fully considered: {'; '.join(unanswered)}", "warning"))
    blocks.append(Table(["Criterion", "Answer", "Discussion", "Evidence"], rows, widths=(30, 11, 30, 29)))
    sources = [(c.criterion_id, c.source) for c in considerations]
    return blocks + worked_out_blocks(sources, 2)


def _decision(review: RapidReview) -> list[Block]:
    blocks: list[Block] = [Heading(SECTIONS[7])]
    decision = review.current_decision()
    if decision is None:
        return [*blocks, Paragraph("No decision has been recorded.", "warning")]
    count = review.decisions.count()
    rows = [
        ("Decision", decision.get_outcome_display()),
        ("Decided on", _day(decision.decided_on)),
        ("Version", f"{decision.version} of {count}"),
        ("Recorded by", f"{_person(decision.created_by)}, {_moment(decision.created_at)}"),
    ]
    if decision.alternative_kind:
        rows.insert(1, ("Alternative learning activity", decision.alternative_kind))
    rows += [
        ("Sent to the Panel", _day(decision.sent_to_panel_on)),
        ("How and when the family was told", decision.family_told or "Not recorded"),
        ("How and when Ofsted was told", decision.ofsted_told or "Not recorded"),
    ]
    if decision.panel_response or decision.panel_response_on:
        rows.append(("Panel response", f"{_day(decision.panel_response_on)}: {decision.panel_response}"))
    blocks += [KeyValues(rows), Heading("Rationale", 2), _text_or(decision.rationale)]
    reasons = list(decision.reasons.prefetch_related("evidence"))
    blocks.append(Heading("Reasons and the evidence they rest on", 2))
    if reasons:
        blocks.append(
            Table(
                ["No.", "Reason", "Evidence"],
                [[str(r.position), r.text, _evidence_text(r.evidence.all())] for r in reasons],
                widths=(1.5, 9, 10),
            )
        )
    else:
        blocks.append(Paragraph("The decision gives no reasons.", "warning"))
    earlier = list(review.decisions.exclude(pk=decision.pk).order_by("-version"))
    blocks.append(Heading("Earlier versions of the decision", 2))
    if earlier:
        blocks.append(
            Table(
                ["Version", "Decision", "Decided on", "Rationale", "Partners' positions"],
                [
                    [
                        str(d.version),
                        d.get_outcome_display(),
                        _day(d.decided_on),
                        d.rationale,
                        "\n".join(
                            f"{p.get_partner_display()}: {'agreed' if p.agrees else 'disagreed'}"
                            for p in d.positions.all()
                        )
                        or "None recorded",
                    ]
                    for d in earlier
                ],
                widths=(2.6, 5, 3.4, 10, 6),
            )
        )
    else:
        blocks.append(Paragraph("This is the first version of the decision."))
    return blocks


def _positions(review: RapidReview) -> list[Block]:
    blocks: list[Block] = [Heading(SECTIONS[8])]
    decision: Decision | None = review.current_decision()
    if decision is None:
        return [*blocks, Paragraph("No decision has been recorded, so no partner has signed off.", "warning")]
    positions = {p.partner: p for p in decision.positions.select_related("representative")}
    rows = []
    for partner in STATUTORY_PARTNERS:
        position = positions.get(partner)
        name = PartnerKind(partner).label
        if position is None:
            rows.append([name, "No position recorded", "", "Not signed off"])
            continue
        rows.append(
            [
                name,
                "Agrees" if position.agrees else "DISAGREES",
                position.reasons or "No reasons given",
                f"{_person(position.representative)}\n{_moment(position.signed_off_at)}",
            ]
        )
    blocks.append(
        Table(
            ["Statutory partner", "Position", "Reasons", "Signed off by and when"],
            rows,
            caption=f"Positions on decision version {decision.version}: {decision.get_outcome_display()}",
            widths=(6, 4, 12, 6),
        )
    )
    for position in positions.values():
        if not position.agrees:
            blocks.append(
                Paragraph(
                    f"Dissent: the {position.get_partner_display().lower()} disagrees with this decision. "
                    f"Their reasons: {position.reasons or 'none given'}",
                    "warning",
                )
            )
    unsigned = [PartnerKind(p).label for p in STATUTORY_PARTNERS if p not in positions]
    if unsigned:
        blocks.append(Paragraph(f"Not yet signed off by: {', '.join(unsigned)}.", "warning"))
    return blocks


def _learning(incident: Incident) -> list[Block]:
    blocks: list[Block] = [Heading(SECTIONS[9])]
    points = list(LearningPoint.objects.filter(incident=incident).prefetch_related("agencies", "actions"))
    if not points:
        return [*blocks, Paragraph("No learning point has been recorded for this case.")]
    for number, point in enumerate(points, start=1):
        blocks.append(Heading(f"Learning point {number}: {point.get_theme_display()}", 2))
        blocks.append(
            KeyValues(
                [
                    ("Kind", point.get_kind_display()),
                    ("Learning point", point.text),
                    ("Agencies", ", ".join(a.name for a in point.agencies.all()) or "None named"),
                    ("Evidence", point.evidence or "Not recorded"),
                    ("Of national significance", "Yes" if point.national_significance else "No"),
                ]
            )
        )
        actions = list(point.actions.all())
        if actions:
            blocks.append(
                Table(
                    ["Action", "Owner", "Due", "Status"],
                    [[a.text, a.owner, _day(a.due_on), a.get_status_display()] for a in actions],
                    caption="Actions",
                    widths=(10, 4, 2.7, 2.7),
                )
            )
        else:
            blocks.append(Paragraph("No action has been agreed for this learning point.", "warning"))
    return blocks


def _appendix_chronology(case: _Case, incident: Incident, fmt: str) -> list[Block]:
    analysis = case.analysis
    entries = analysis.entries
    blocks: list[Block] = [PageBreak(landscape=True), Heading(SECTIONS[10])]
    if not entries:
        return [*blocks, Paragraph("No agency has submitted a chronology for this case yet.")]
    colours = assign_colours(sorted({e.agency for e in entries}))
    tints = {agency: row_tint(colour) for agency, colour in colours.items()}
    summary = analysis.summary()
    blocks.append(
        Paragraph(
            f"{_plural(len(entries), 'entry', 'entries')} from {_plural(len(colours), 'agency', 'agencies')}, "
            "merged in date order from each agency's current submitted version. Dates recorded only to the month "
            "or year stay so. Rows are shaded in the agency's colour."
        )
    )
    blocks.append(
        Table(
            ["Agency", "Entries"],
            [[agency, str(summary.by_agency.get(agency, 0))] for agency in colours],
            caption="Agencies and their colours",
            widths=(5, 1),
            row_fills=list(tints.values()),
        )
    )
    highlights = {f.trigger_index for f in analysis.findings if f.status is not Status.MET}
    svg = render_swimlane_svg(
        entries,
        analysis.silent_periods,
        highlights,
        colours,
        width=1100,
        title=f"Timeline of {incident.reference}",
        id_prefix="pack",
    )
    description = (
        f"Timeline of {len(entries)} entries from {len(colours)} agencies, one lane per agency. "
        "Shaded bands are silent periods; marks with a triangle have findings to check."
    )
    blocks.append(Picture(svg, description, svg_to_png(svg) if fmt == "docx" else None))

    remarks: dict[int, list[str]] = {}
    for f in analysis.findings:
        decision = case.findings.get((f.rule_id, case.uids[f.trigger_index]))
        decided = (
            f"; decided: {_status_words(decision.status)} ({decision.get_decision_display().lower()})"
            if decision
            else "; not yet decided"
        )
        remarks.setdefault(f.trigger_index, []).append(f"{f.rule_title}: proposed {f.status.words}{decided}")
        if f.evidence_index is not None and f.evidence_index != f.trigger_index:
            remarks.setdefault(f.evidence_index, []).append(
                f"{f.rule_title}: evidence for {case.number(f.trigger_index)}"
            )
    for link in analysis.links:
        link_decision = case.link_decision(link.a_index, link.b_index)
        words = "Conflicts with" if link.kind == "conflict" else "Possible duplicate of"
        state = f" ({link_decision.get_decision_display().lower()})" if link_decision else ""
        for own, other in ((link.a_index, link.b_index), (link.b_index, link.a_index)):
            remarks.setdefault(own, []).append(f"{words} {case.number(other)}{state}")

    # One compact row per entry, each fact in a short column of its own, so most rows take one or
    # two lines: thousands of entries stay a readable, quickly made listing.
    rows: list[list[str]] = []
    for index in range(len(entries)):
        date, _, event, what = entry_cells(analysis, index)
        entry = entries[index]
        rows.append(
            [str(index + 1), date, entry.agency, entry.source, what, event, "\n".join(remarks.get(index, []))]
        )
    blocks.append(
        Table(
            ["No.", "Date", "Agency", "Source", "What happened", "Event type", "Findings and links"],
            rows,
            caption=f"{len(entries)} entries in date order",
            widths=(3.5, 7, 11, 8, 44, 9, 17.5),
            row_fills=[tints[e.agency] for e in entries],
            compact=True,
        )
    )
    return blocks


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


def _appendix_audit(review: RapidReview) -> list[Block]:
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


# --- The pack ------------------------------------------------------------------------------------


def build_panel_pack(
    review: RapidReview,
    *,
    pseudonymise: bool = True,
    fmt: str = "pdf",
    produced_at: dt.datetime | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> Document:
    """The Panel pack as a ``Document``; ``fmt`` only decides whether the timeline is also drawn as PNG (Word)."""
    incident = review.incident
    produced_at = produced_at or timezone.now()
    today = timezone.localtime(produced_at).date()
    pseudonymiser = pseudonymiser_for(incident) if pseudonymise else None
    people = case_people(incident) if pseudonymise else []
    table = pseudonymiser.table(people) if pseudonymiser is not None else None
    say = on_progress or (lambda words: None)
    say("Merging and analysing the agencies' chronologies")
    case = _case(incident, pseudonymiser, people)
    say("Writing the rapid review record")
    document = Document(
        title=TITLE,
        subtitle=f"{incident.partnership.name}: case {incident.reference}",
        marking=MARKING if pseudonymise else MARKING_WITH_NAMES,
    )
    document.add(
        *_title_matter(review, produced_at, pseudonymise),
        PageBreak(),
        *_summary(review),
        *_incident_record(incident),
        *_clock(review, today),
        *_meetings(review),
        *_agency_involvement(incident, today),
        *_findings(case, incident),
        *_criteria(review),
        *_decision(review),
        *_positions(review),
        *_learning(incident),
    )
    say(f"Laying out the composite chronology ({len(case.analysis.entries):,} entries)")
    document.add(*_appendix_chronology(case, incident, fmt))
    say("Extracting the audit log")
    document.add(*_appendix_audit(review))
    if table is not None and table.by_name:
        renamed = table

        def rename(text: str) -> str:
            return replace_names(text, renamed)

        document.title = rename(document.title)
        document.subtitle = rename(document.subtitle)
        document.blocks = _renamed_blocks(document.blocks, rename)
    return document


def panel_pack_bytes(
    review: RapidReview,
    fmt: str,
    pseudonymise: bool = True,
    on_progress: Callable[[str], None] | None = None,
) -> tuple[bytes, str]:
    """The Panel pack as Word ("docx") or tagged PDF ("pdf"), with its content type."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown Panel pack format {fmt!r}: use docx or pdf")
    document = build_panel_pack(review, pseudonymise=pseudonymise, fmt=fmt, on_progress=on_progress)
    if on_progress is not None:
        on_progress(f"Writing the {'Word document' if fmt == 'docx' else 'PDF'}")
    # Documents build millions of small objects and no cycles; the cycle collector would only rescan them.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return render(document, fmt)
    finally:
        if was_enabled:
            gc.enable()


def pack_filename(review: RapidReview, fmt: str) -> str:
    """A file name for downloads: the case reference and the report's name, never a person's name."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in review.incident.reference)
    return f"{safe}-panel-pack.{fmt}"
