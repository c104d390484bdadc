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

import datetime as dt
import gc
from collections.abc import Callable

from django.utils import timezone

from chronicle.composite.people import case_people, pseudonymiser_for
from chronicle.core.documents import Document, PageBreak, render
from chronicle.core.pseudonyms import replace_names
from chronicle.reviews.models import RapidReview
from chronicle.reviews.pack.appendix import appendix_chronology
from chronicle.reviews.pack.audit import (
    OBJECT_WORDS,
    Contribution,
    appendix_audit,
    audited_contributions,
    recorded_contributions,
)
from chronicle.reviews.pack.common import (
    COMPACT_FROM,
    FORMATS,
    MARKING,
    MARKING_WITH_NAMES,
    SECTIONS,
    TITLE,
    _renamed_blocks,
)
from chronicle.reviews.pack.findings import (
    criteria_section,
    decision_section,
    findings_section,
    learning_section,
    positions_section,
)
from chronicle.reviews.pack.queries import compose_case
from chronicle.reviews.pack.record import (
    agency_involvement_section,
    clock_section,
    incident_record_section,
    meetings_section,
    summary_section,
    title_matter,
)

__all__ = [
    "COMPACT_FROM",
    "FORMATS",
    "MARKING",
    "MARKING_WITH_NAMES",
    "OBJECT_WORDS",
    "SECTIONS",
    "TITLE",
    "Contribution",
    "audited_contributions",
    "build_panel_pack",
    "pack_filename",
    "panel_pack_bytes",
    "recorded_contributions",
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
    case = compose_case(incident, pseudonymiser, people)
    say("Writing the rapid review record")
    document = Document(
        title=TITLE,
        subtitle=f"{incident.partnership.name}: case {incident.reference}",
        marking=MARKING if pseudonymise else MARKING_WITH_NAMES,
    )
    document.add(
        *title_matter(review, produced_at, pseudonymise),
        PageBreak(),
        *summary_section(review),
        *incident_record_section(incident),
        *clock_section(review, today),
        *meetings_section(review),
        *agency_involvement_section(incident, today),
        *findings_section(case, incident),
        *criteria_section(review),
        *decision_section(review),
        *positions_section(review),
        *learning_section(incident),
    )
    say(f"Laying out the composite chronology ({len(case.analysis.entries):,} entries)")
    document.add(*appendix_chronology(case, incident, fmt))
    say("Extracting the audit log")
    document.add(*appendix_audit(review))
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
