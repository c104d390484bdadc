"""Sections 6 to 10 of the Panel pack: findings, criteria, the decision, partners' positions and learning."""

from __future__ import annotations

from collections import Counter

from chronicle.composite.models import EntryAnalysis, FindingDecision, LinkDecision
from chronicle.core.documents import (
    Block,
    Heading,
    KeyValues,
    Paragraph,
    Table,
    worked_out_blocks,
)
from chronicle.core.entries import SIX_HEADINGS
from chronicle.core.exports import (
    STATUS_ORDER,
    finding_text,
)
from chronicle.core.plain_words import dates_in_words, day_words, plain
from chronicle.incidents.models import Incident
from chronicle.reviews.models import (
    STATUTORY_PARTNERS,
    Decision,
    LearningPoint,
    PartnerKind,
    RapidReview,
)
from chronicle.reviews.pack.common import (
    COMPACT_FROM,
    SECTIONS,
    _day,
    _evidence_text,
    _moment,
    _person,
    _plural,
    _status_words,
    _text_or,
)
from chronicle.reviews.pack.queries import ComposedCase


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


def findings_section(case: ComposedCase, incident: Incident) -> list[Block]:
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


def _practice_episodes(case: ComposedCase, incident: Incident) -> list[tuple[str, list[tuple[str, str]]]]:
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


def criteria_section(review: RapidReview) -> list[Block]:
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


def decision_section(review: RapidReview) -> list[Block]:
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


def positions_section(review: RapidReview) -> list[Block]:
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


def learning_section(incident: Incident) -> list[Block]:
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
