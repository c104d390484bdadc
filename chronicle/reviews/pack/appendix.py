"""Appendix A of the Panel pack: the composite multi-agency chronology and its timeline."""

from __future__ import annotations

from chronicle.core.colours import assign_colours
from chronicle.core.compliance import Status
from chronicle.core.documents import (
    Block,
    Heading,
    PageBreak,
    Paragraph,
    Picture,
    Table,
    svg_to_png,
)
from chronicle.core.exports import (
    entry_cells,
    row_tint,
)
from chronicle.core.timeline_svg import render_swimlane_svg
from chronicle.incidents.models import Incident
from chronicle.reviews.pack.common import SECTIONS, _plural, _status_words
from chronicle.reviews.pack.queries import ComposedCase


def appendix_chronology(case: ComposedCase, incident: Incident, fmt: str) -> list[Block]:
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
