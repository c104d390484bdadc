"""The composite chronology with its findings, as XLSX, CSV, Word, PDF or JSON.

Every format says the same: one row per entry in date order, with the date as
recorded (month-only and uncertain dates stay so), the agency and its colour,
the event type and whether it was read from the text, the other accounts of
the same event (one event, several accounts) and where they differ, and the
findings for that entry. Spreadsheet cells are written
as text, never as formulas (OWASP CSV injection advice). With a key and a list
of names, every name is replaced by the same pseudonym in every agency's
entries and in every format.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gc
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chronicle.core.analysis import Analysis, analysis_to_json
from chronicle.core.colours import TEXT_BLACK, AgencyColour, assign_colours, contrast_ratio, parse_hex
from chronicle.core.compliance import EntryRef, Finding, Status
from chronicle.core.dates import PartialDate, Precision
from chronicle.core.documents import (
    Document,
    Heading,
    KeyValues,
    Paragraph,
    Picture,
    Table,
    render,
    svg_to_png,
)
from chronicle.core.entries import SIX_HEADINGS, Entry, EntryKind
from chronicle.core.event_types import label
from chronicle.core.events import events_to_json
from chronicle.core.plain_words import WORKED_OUT, day_words, finding_message, plain
from chronicle.core.pseudonyms import Person, Pseudonymiser, PseudonymTable, neutralise_formula, replace_names
from chronicle.core.quality import QUALITY_RULES

FORMATS: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json",
}
# Word and PDF reports lay out every row; beyond this the spreadsheet is the useful form.
COMPACT_FROM = 100  # rows: longer tables are set in small type, many rows to a page
ROW_TINT = 0.78  # share of white mixed into an agency's colour for its rows, so black text reads well
MIN_ROW_CONTRAST = 7.0  # WCAG AAA for black text on a tinted row
STATUS_ORDER = (
    Status.NOT_MET,
    Status.CANNOT_BE_DETERMINED,
    Status.BORDERLINE,
    Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
    Status.MET,
)


class ExportError(ValueError):
    """An export that cannot be made as asked (unknown format, too large for a document)."""


# --- What people decided ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decided:
    """A person's decision on a proposed link or finding."""

    decision: str  # links: "confirmed" or "rejected"; findings: "confirmed", "changed" or "dismissed"
    status: str = ""  # for a changed finding: the status a person settled on (a ``Status`` value)
    reason: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True)
class Decisions:
    """People's decisions, keyed by positions in the composite, so every format can say them."""

    links: Mapping[tuple[int, int], Decided] = field(default_factory=dict)  # (lower index, higher index)
    findings: Mapping[tuple[str, int], Decided] = field(default_factory=dict)  # (rule id, trigger index)

    def of_link(self, a: int, b: int) -> Decided | None:
        return self.links.get((min(a, b), max(a, b)))

    def of_finding(self, finding: Finding) -> Decided | None:
        return self.findings.get((finding.rule_id, finding.trigger_index))


NO_DECISIONS = Decisions()


def _status_words(value: str) -> str:
    try:
        return Status(value).words
    except ValueError:
        return value.replace("_", " ")


def _because(decided: Decided) -> str:
    """ " by Jo Bloggs: the reason", or as much of it as was recorded."""
    who = f" by {decided.by}" if decided.by else ""
    reason = decided.reason.strip()
    return f"{who}: {reason}" if reason else who


def finding_decision_words(finding: Finding, decided: Decided | None) -> str:
    """What people made of a finding, in words: "confirmed", "changed to met (…)", "awaiting a person"."""
    if decided is None:
        return "awaiting a person" if finding.status is not Status.MET else ""
    if decided.decision == "changed":
        return f"changed from {finding.status.words} to {_status_words(decided.status)}{_because(decided)}"
    return f"{decided.decision}{_because(decided)}"


def finding_status_words(finding: Finding, decided: Decided | None) -> str:
    """The status that stands: the one a person settled on, else the proposal."""
    if decided is not None and decided.decision == "changed" and decided.status:
        return _status_words(decided.status)
    return finding.status.words


# --- Pseudonyms ------------------------------------------------------------------------------------

_ENTRY_TEXT_FIELDS = (
    "agency",
    "description",
    "source",
    "entry_ref",
    "action",
    "outcome",
    "significance",
    "child_voice",
    "recorded_by",
    *SIX_HEADINGS,
)


def pseudonymise_analysis(
    analysis: Analysis, pseudonymiser: Pseudonymiser, names: Sequence[Person | str]
) -> Analysis:
    """A copy of the analysis with every name replaced, in entries and in every message.

    The same person gets the same pseudonym in every agency's entries, because
    the pseudonym is worked out from the name with the partnership's key.
    """
    people = [person if isinstance(person, Person) else Person(person) for person in names]
    table = pseudonymiser.table(people)
    return _renamed(analysis, lambda text: replace_names(text, table))


def _renamed(analysis: Analysis, rename: Callable[[str], str]) -> Analysis:
    def entry(e: Entry) -> Entry:
        changes: dict[str, Any] = {name: rename(getattr(e, name)) for name in _ENTRY_TEXT_FIELDS}
        changes["extra"] = {key: rename(value) for key, value in e.extra.items()}
        return dataclasses.replace(e, **changes)

    def ref(r: EntryRef | None) -> EntryRef | None:
        return (
            None
            if r is None
            else dataclasses.replace(r, agency=rename(r.agency), reference=rename(r.reference))
        )

    def finding(f: Finding) -> Finding:
        trigger = ref(f.trigger)
        assert trigger is not None
        return dataclasses.replace(
            f,
            trigger=trigger,
            evidence=ref(f.evidence),
            message=rename(f.message),
            practice_required=rename(f.practice_required),
            record_shows_met=rename(f.record_shows_met),
            gap=rename(f.gap),
            learning_point=rename(f.learning_point),
            multi_agency_point=rename(f.multi_agency_point),
        )

    scorecards = {
        rename(agency): dataclasses.replace(
            card,
            agency=rename(card.agency),
            points=[dataclasses.replace(p, message=rename(p.message)) for p in card.points],
        )
        for agency, card in analysis.scorecards.items()
    }
    return dataclasses.replace(
        analysis,
        entries=[entry(e) for e in analysis.entries],
        events=[
            tuple(dataclasses.replace(e, words=tuple(rename(w) for w in e.words)) for e in found)
            for found in analysis.events
        ],
        clusters=[
            dataclasses.replace(
                c,
                links=tuple(
                    dataclasses.replace(k, reasons=tuple(rename(r) for r in k.reasons)) for k in c.links
                ),
                conflicts=tuple(
                    dataclasses.replace(k, reasons=tuple(rename(r) for r in k.reasons)) for k in c.conflicts
                ),
            )
            for c in analysis.clusters
        ],
        expected_contact_gaps=[
            dataclasses.replace(g, message=rename(g.message)) for g in analysis.expected_contact_gaps
        ],
        findings=[finding(f) for f in analysis.findings],
        scorecards=scorecards,
        agency_positions={rename(a): positions for a, positions in analysis.agency_positions.items()},
    )


# --- What every format shows ------------------------------------------------------------------------


def row_tint(colour: AgencyColour) -> str:
    """A light version of the agency's colour for whole rows, dark enough to tell agencies apart."""
    red, green, blue = parse_hex(colour.fill)
    for share in (ROW_TINT, 0.85, 0.9):
        tint = "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in (red, green, blue))
        if contrast_ratio(tint, TEXT_BLACK) >= MIN_ROW_CONTRAST:
            return tint
    return "#ffffff"


def precision_words(entry: Entry) -> str:
    words = {Precision.DAY: "day", Precision.MONTH: "month only", Precision.YEAR: "year only"}[
        entry.date.precision
    ]
    return f"{words}, uncertain" if entry.date.uncertain else words


def _time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _number(index: int) -> str:
    return f"No. {index + 1}"


def _short_ref(analysis: Analysis, index: int) -> str:
    return f"{_number(index)} ({analysis.entries[index].reference()})"


@dataclass(frozen=True, slots=True)
class _Notes:
    """Per entry: the other accounts of its event, where they differ, and the findings about it."""

    links: dict[int, list[str]]
    findings: dict[int, list[str]]


def _notes(analysis: Analysis, decisions: Decisions = NO_DECISIONS) -> _Notes:
    links: dict[int, list[str]] = {}
    for cluster in analysis.clusters:
        words = cluster.words(analysis.entries)
        first = cluster.first
        for own in cluster.members:
            others = ", ".join(_short_ref(analysis, other) for other in cluster.members if other != own)
            said = ""
            if own != first:
                decided = decisions.of_link(first, own)
                said = (
                    f" {'Confirmed as the same event' if decided.decision == 'confirmed' else 'Not the same event (rejected)'}"
                    f"{_because(decided)}."
                    if decided
                    else " Not yet confirmed."
                )
            links.setdefault(own, []).append(f"{words}. Also recorded as {others}.{said}")
        for link in cluster.conflicts:
            decided = decisions.of_link(link.a_index, link.b_index)
            reasons = "; ".join(link.reasons)
            said = (
                f" {decided.decision.capitalize()}{_because(decided)}." if decided else " Not yet confirmed."
            )
            for own, other in ((link.a_index, link.b_index), (link.b_index, link.a_index)):
                links[own].append(f"Differs from {_short_ref(analysis, other)}: {reasons}.{said}")
    findings: dict[int, list[str]] = {}
    for number, f in enumerate(analysis.findings):
        decided = decisions.of_finding(f)
        status = finding_status_words(f, decided)
        decision = finding_decision_words(f, decided)
        said = f"{f.rule_title}: {status}" + (f" ({decision})" if decision else "")
        accounts = analysis.accounts_of(number)
        for account in accounts:
            same = [_number(other) for other in accounts if other != account]
            once = f" (one finding for the event, also recorded as {', '.join(same)})" if same else ""
            findings.setdefault(account, []).append(f"{said}{once}")
        if f.evidence_index is not None and f.evidence_index != f.trigger_index:
            findings.setdefault(f.evidence_index, []).append(
                f"{f.rule_title}: the step recorded for {_number(f.trigger_index)} ({status})"
            )
    return _Notes(links, findings)


COLUMNS: tuple[str, ...] = (
    "No.",
    "Date",
    "Date precision",
    "Time",
    "End date",
    "End time",
    "Agency",
    "Agency ref",
    "Row in agency file",
    "Event type",
    "Event type inferred",
    "Events read from the words",
    "Description",
    "Source of information",
    "Action",
    "Outcome",
    "Significance (analysis)",
    "Child seen",
    "Seen alone",
    "Child's voice",
    "Kind of entry",
    *SIX_HEADINGS.values(),
    "Other accounts of the same event, and where they differ",
    "Findings",
)


def _cells(analysis: Analysis, index: int, notes: _Notes) -> list[str | int]:
    """One entry's row, in ``COLUMNS`` order; numbers stay numbers."""
    entry = analysis.entries[index]
    code = analysis.event_types[index]
    inferred = analysis.is_inferred(index)
    kind = {
        EntryKind.PRACTITIONER: "information from staff",
        EntryKind.CONTEXT: "context, not an agency's record",
    }.get(entry.kind, "agency record")
    if entry.first_hand is False:
        kind += " (third-party information)"
    row_cell: str | int = entry.row if entry.row is not None else ""
    return [
        index + 1,
        entry.date.display(),
        precision_words(entry),
        _time(entry.time),
        entry.end_date.display() if entry.end_date else "",
        _time(entry.end_time),
        entry.agency,
        entry.entry_ref,
        row_cell,
        label(code) if code else "",
        ("yes" if inferred else "no") if code else "",
        analysis.describe_events(index),
        entry.description,
        f"{entry.agency}: {entry.source}" if entry.source else "",
        entry.action,
        entry.outcome,
        entry.significance,
        _yes_no(entry.child_seen),
        _yes_no(entry.seen_alone),
        entry.child_voice,
        kind,
        *(getattr(entry, name) for name in SIX_HEADINGS),
        "\n".join(notes.links.get(index, ())),
        "\n".join(notes.findings.get(index, ())),
    ]


def finding_text(finding: Finding) -> str:
    """The finding's message without the rule id and status it starts with (they have their own columns)."""
    lead = f"{finding.rule_id} {finding.status.words}: "
    text = finding.message[len(lead) :] if finding.message.startswith(lead) else finding.message
    return finding_message(text, finding.rule_id)


def worked_out(rule_id: str, *details: str) -> str:
    """The rule id, its sources and method, for the "How this was worked out" column."""
    return "; ".join(part for part in (f"Rule {rule_id}", *details) if part)


def _finding_rows(analysis: Analysis, decisions: Decisions = NO_DECISIONS) -> list[list[str]]:
    rows = []
    for f in analysis.findings:
        decided = decisions.of_finding(f)
        rows.append(
            [
                f.rule_title,
                finding_status_words(f, decided),
                finding_decision_words(f, decided),
                f"{_number(f.trigger_index)}: {f.trigger.reference}",
                f"{_number(f.evidence_index)}: {f.evidence.reference}"
                if f.evidence is not None and f.evidence_index is not None
                else "",
                day_words(f.deadline),
                finding_text(f),
                "yes" if f.verified else "no (rule not yet verified)",
                f.regime,
                worked_out(f.rule_id, f"source: {f.source}", f.counting),
            ]
        )
    return rows


FINDING_COLUMNS = (
    "Requirement",
    "Status",
    "Decision",
    "Entry",
    "Evidence",
    "Due by",
    "What the record shows",
    "Rule verified",
    "Regime",
    WORKED_OUT,
)


def _quality_rows(analysis: Analysis) -> list[list[str]]:
    """One row per agency and check: passed, or the points raised with the entries they are about."""
    rows = []
    for agency, card in analysis.scorecards.items():
        by_rule: dict[str, list[str]] = {}
        for point in card.points:
            numbers = [_number(i) for i in analysis.point_entries(agency, point)]
            shown = ", ".join(numbers[:12]) + (f" and {len(numbers) - 12} more" if len(numbers) > 12 else "")
            by_rule.setdefault(point.rule_id, []).append(
                plain(point.message) + (f" Entries: {shown}." if numbers else "")
            )
        for rule_id, rule in QUALITY_RULES.items():
            points = by_rule.get(rule_id, [])
            result = (
                "passed" if not points else f"{len(points)} point{'s' if len(points) > 1 else ''} to check"
            )
            rows.append(
                [
                    agency,
                    str(card.entry_count),
                    rule.title,
                    rule.severity if points else "",
                    result,
                    "\n".join(points),
                    worked_out(rule_id, f"source: {rule.source}"),
                ]
            )
    return rows


QUALITY_COLUMNS = (
    "Agency",
    "Entries",
    "What it looks for",
    "Severity",
    "Result",
    "Points to check",
    WORKED_OUT,
)


def _silence_rows(analysis: Analysis) -> list[list[str]]:
    rows = []
    for period in analysis.silent_periods:
        rows.append(
            [
                "No entry from any agency",
                day_words(period.start),
                day_words(period.end),
                str(period.days),
                _short_ref(analysis, period.before_index) if period.before_index is not None else "",
                _short_ref(analysis, period.after_index) if period.after_index is not None else "",
                f"No agency recorded anything for {period.days} days.",
                "",
            ]
        )
    for gap in analysis.expected_contact_gaps:
        rows.append(
            [
                "Expected contact not recorded",
                day_words(gap.start),
                day_words(gap.end),
                str(gap.days),
                _short_ref(analysis, gap.trigger_index) if gap.trigger_index is not None else "",
                _short_ref(analysis, gap.next_index) if gap.next_index is not None else "",
                plain(gap.message),
                worked_out(gap.rule_id, gap.standing),
            ]
        )
    return rows


SILENCE_COLUMNS = ("Kind", "From", "To", "Days", "Entry before", "Entry after", "Detail", WORKED_OUT)


def _colours(analysis: Analysis) -> dict[str, AgencyColour]:
    return assign_colours(sorted({e.agency for e in analysis.entries}))


def _decision_counts(analysis: Analysis, decisions: Decisions) -> list[tuple[str, str]]:
    links = [decisions.of_link(k.a_index, k.b_index) for k in analysis.links]
    findings = [decisions.of_finding(f) for f in analysis.findings if f.status is not Status.MET]

    def count(decided: list[Decided | None]) -> str:
        tally: dict[str, int] = {}
        for d in decided:
            tally[d.decision if d else "awaiting a person"] = (
                tally.get(d.decision if d else "awaiting a person", 0) + 1
            )
        return ", ".join(f"{n} {what}" for what, n in sorted(tally.items())) or "none"

    return [("Links decided by people", count(links)), ("Findings decided by people", count(findings))]


def _summary_pairs(
    analysis: Analysis, generated_on: dt.date, decisions: Decisions = NO_DECISIONS
) -> list[tuple[str, str]]:
    summary = analysis.summary()
    by_status = analysis.findings_by_status()
    findings = (
        ", ".join(f"{by_status[s.value]} {s.words}" for s in STATUS_ORDER if s.value in by_status) or "none"
    )
    dates = (
        f"{day_words(summary.first_date)} to {day_words(summary.last_date)}"
        if summary.first_date and summary.last_date
        else "no entries"
    )
    not_exact = summary.month_only + summary.year_only
    pairs = [
        ("Agencies", f"{summary.agency_count}: {', '.join(summary.by_agency)}"),
        ("Entries", str(summary.total)),
        ("Dates covered", dates),
        ("Dates not exact", f"{not_exact} month or year only, {summary.uncertain} marked uncertain"),
        ("Events recorded more than once (one event, several accounts)", str(len(analysis.clusters))),
        ("Conflicting accounts of one event", str(len(analysis.conflicts))),
        ("Silent periods (no agency recorded anything)", str(len(analysis.silent_periods))),
        ("Expected contacts not recorded", str(len(analysis.expected_contact_gaps))),
        ("Compliance findings", f"{len(analysis.findings)}: {findings}"),
        *_decision_counts(analysis, decisions),
    ]
    if analysis.child_born_on:
        pairs.append(("Child's date of birth", day_words(analysis.child_born_on)))
    pairs.append(("Produced", day_words(generated_on)))
    return pairs


# --- XLSX and CSV ----------------------------------------------------------------------------------


def to_xlsx(
    analysis: Analysis,
    title: str,
    generated_on: dt.date,
    only: Sequence[int] | None = None,
    decisions: Decisions = NO_DECISIONS,
) -> bytes:
    """A workbook: the composite chronology, Findings, Quality, Silent periods, Summary."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    workbook.set_properties({"title": title, "subject": "Multi-agency chronology"})
    header = workbook.add_format(
        {"bold": True, "bg_color": "#f3f2f1", "font_color": TEXT_BLACK, "text_wrap": True, "valign": "top",
         "border": 1, "border_color": "#b1b4b6"}
    )  # fmt: skip
    plain = workbook.add_format({"text_wrap": True, "valign": "top"})
    colours = _colours(analysis)
    row_formats = {}
    agency_formats = {}
    for agency, colour in colours.items():
        row_formats[agency] = workbook.add_format(
            {"bg_color": row_tint(colour), "font_color": TEXT_BLACK, "text_wrap": True, "valign": "top",
             "border": 1, "border_color": "#d0d2d3"}
        )  # fmt: skip
        agency_formats[agency] = workbook.add_format(
            {"bg_color": colour.fill, "font_color": colour.text, "bold": True, "text_wrap": True,
             "valign": "top", "border": 1, "border_color": "#d0d2d3"}
        )  # fmt: skip

    def write_table(
        sheet_name: str,
        headings: Sequence[str],
        rows: Sequence[Sequence[str | int]],
        widths: Sequence[int],
        fills: Sequence[str | None] = (),
    ) -> None:
        sheet = workbook.add_worksheet(sheet_name)
        sheet.write_row(0, 0, headings, header)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        for r, cells in enumerate(rows, start=1):
            agency = fills[r - 1] if r - 1 < len(fills) else None
            for c, value in enumerate(cells):
                fmt = plain
                if agency is not None:
                    fmt = agency_formats[agency] if headings[c] == "Agency" else row_formats[agency]
                if isinstance(value, int):
                    sheet.write_number(r, c, value, fmt)
                else:
                    sheet.write_string(r, c, neutralise_formula(value), fmt)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(headings) - 1)

    notes = _notes(analysis, decisions)
    kept = _kept(analysis, only)
    entry_rows = [_cells(analysis, i, notes) for i in kept]
    widths = [6, 12, 12, 7, 12, 7, 20, 10, 8, 20, 9, 16, 50, 28, 30, 30, 30, 7, 7, 25, 16]
    widths += [30] * len(SIX_HEADINGS) + [45, 28]
    write_table(
        "Composite chronology", COLUMNS, entry_rows, widths, [analysis.entries[i].agency for i in kept]
    )
    write_table(
        "Findings",
        FINDING_COLUMNS,
        _finding_rows(analysis, decisions),
        [30, 16, 30, 30, 30, 16, 70, 12, 25, 60],
    )
    write_table("Quality", QUALITY_COLUMNS, _quality_rows(analysis), [24, 8, 36, 9, 16, 80, 40])
    write_table("Silent periods", SILENCE_COLUMNS, _silence_rows(analysis), [26, 16, 16, 7, 30, 30, 70, 30])

    summary = workbook.add_worksheet("Summary")
    summary.set_column(0, 0, 42)
    summary.set_column(1, 1, 90)
    summary.write_string(
        0, 0, neutralise_formula(title), workbook.add_format({"bold": True, "font_size": 14})
    )
    row = 2
    for key, value in _summary_pairs(analysis, generated_on, decisions):
        summary.write_string(row, 0, key, header)
        summary.write_string(row, 1, neutralise_formula(value), plain)
        row += 1
    row += 1
    summary.write_string(row, 0, "Agency colours", header)
    for agency in colours:
        row += 1
        summary.write_string(row, 0, neutralise_formula(agency), agency_formats[agency])
        summary.write_string(row, 1, "rows of this agency are shaded like this", row_formats[agency])
    row += 2
    summary.write_string(row, 0, "About the findings", header)
    summary.write_string(row, 1, FINDINGS_NOTE, plain)
    workbook.close()
    return buffer.getvalue()


FINDINGS_NOTE = (
    "Findings, links and quality points are proposals for people to check against the records, not "
    "verdicts. Event types marked 'inferred' were read from the words of the entry; the agency did not "
    "give them."
)


def _kept(analysis: Analysis, only: Sequence[int] | None) -> Sequence[int]:
    """The positions of the entries to list: all of them, or the filtered ones in date order."""
    return range(len(analysis.entries)) if only is None else sorted(set(only))


def to_csv(
    analysis: Analysis, only: Sequence[int] | None = None, decisions: Decisions = NO_DECISIONS
) -> bytes:
    """The composite chronology, one row per entry, UTF-8 with a byte-order mark so Excel reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    notes = _notes(analysis, decisions)
    for index in _kept(analysis, only):
        writer.writerow(
            [
                value if isinstance(value, int) else neutralise_formula(value)
                for value in _cells(analysis, index, notes)
            ]
        )
    return out.getvalue().encode("utf-8-sig")


# --- Word and PDF ----------------------------------------------------------------------------------


TIMELINE_MAX_ASPECT = 0.55  # height / width that still fits a landscape A4 page under its heading


def timeline_width(lanes: int) -> int:
    """Wide enough that the picture, scaled to the page width, also fits the page height."""
    from chronicle.core.timeline_svg import LANE_HEIGHT, LEGEND_HEIGHT, TOP

    height = TOP + max(1, lanes) * LANE_HEIGHT + LEGEND_HEIGHT
    return max(1100, math.ceil(height / TIMELINE_MAX_ASPECT))


def entry_cells(analysis: Analysis, index: int) -> tuple[str, str, str, str]:
    """The date, agency and source, event type and what happened of one entry, as report cells."""
    entry = analysis.entries[index]
    code = analysis.event_types[index]
    event = label(code) if code else ""
    if event and analysis.is_inferred(index):
        event += " (inferred)"
    date = entry.date.display() + (f" {_time(entry.time)}" if entry.time else "")
    if not entry.date.is_exact:
        date += f" ({precision_words(entry)})"
    what = [entry.description]
    for heading, text in (
        ("Action", entry.action),
        ("Outcome", entry.outcome),
        ("Significance", entry.significance),
    ):
        if text:
            what.append(f"{heading}: {text}")
    if entry.kind is EntryKind.PRACTITIONER:
        what.append("(Information obtained from staff)")
    elif entry.kind is EntryKind.CONTEXT:
        what.append("(Context, not an agency's record)")
    where = entry.agency + (f"\n{entry.source}" if entry.source else "")
    return date, where, event, "\n".join(what)


def chronology_cells(analysis: Analysis, index: int, notes: _Notes) -> list[str]:
    """One entry as the familiar chronology row: date, agency and source, what happened, action,
    outcome, and the analysis (significance, event type, findings, links and the six headings)."""
    entry = analysis.entries[index]
    date = entry.date.display() + (f" {_time(entry.time)}" if entry.time else "")
    if not entry.date.is_exact:
        date += f" ({precision_words(entry)})"
    where = entry.agency + (f"\n{entry.source}" if entry.source else "")
    if entry.row is not None:
        where += f"\nrow {entry.row}"
    what = entry.description
    if entry.kind is EntryKind.PRACTITIONER:
        what += "\n(Information obtained from staff)"
    code = analysis.event_types[index]
    analysis_lines = []
    if entry.significance:
        analysis_lines.append(entry.significance)
    if code:
        analysis_lines.append(
            f"Event type: {label(code)}{' (inferred)' if analysis.is_inferred(index) else ''}"
        )
    analysis_lines += notes.findings.get(index, []) + notes.links.get(index, [])
    for number, (name, heading) in enumerate(SIX_HEADINGS.items(), start=1):
        text = getattr(entry, name)
        if text:
            analysis_lines.append(f"{number}. {heading}: {text}")
    return [str(index + 1), date, where, what, entry.action, entry.outcome, "\n".join(analysis_lines)]


CHRONOLOGY_HEADINGS = ["No.", "Date", "Agency and source", "What happened", "Action", "Outcome", "Analysis"]


def build_document(
    analysis: Analysis,
    title: str,
    fmt: str,
    generated_on: dt.date,
    only: Sequence[int] | None = None,
    decisions: Decisions = NO_DECISIONS,
) -> Document:
    """The report as a ``documents.Document``: summary, timeline, chronology, findings, quality, silences."""
    from chronicle.core.timeline_svg import render_swimlane_svg

    colours = _colours(analysis)
    entries = analysis.entries
    document = Document(
        title=title,
        subtitle=f"Multi-agency chronology with findings, produced {generated_on.strftime('%d %B %Y')}",
        landscape=True,
    )
    document.add(Heading("Summary"), KeyValues(_summary_pairs(analysis, generated_on, decisions)))
    document.add(Paragraph(FINDINGS_NOTE, "hint"))

    summary = analysis.summary()
    document.add(
        Table(
            ["Agency", "Entries", "Quality errors", "Quality warnings"],
            [
                [
                    agency,
                    str(summary.by_agency.get(agency, 0)),
                    str(len(analysis.scorecards[agency].errors)) if agency in analysis.scorecards else "0",
                    str(len(analysis.scorecards[agency].warnings)) if agency in analysis.scorecards else "0",
                ]
                for agency in colours
            ],
            caption="Agencies (rows in the chronology are shaded in the agency's colour)",
            widths=[4, 1, 1, 1],
            row_fills=[row_tint(colour) for colour in colours.values()],
        )
    )

    highlights = {f.trigger_index for f in analysis.findings if f.status is not Status.MET}
    svg = render_swimlane_svg(
        entries,
        analysis.silent_periods,
        highlights,
        colours,
        width=timeline_width(len(colours)),
        title=title,
        id_prefix="timeline",
    )
    description = (
        f"Timeline of {len(entries)} entries from {len(colours)} agencies, one lane per agency. "
        "Shaded bands are silent periods; marks with a triangle have findings to check."
    )
    document.add(Heading("Timeline"), Picture(svg, description, svg_to_png(svg) if fmt == "docx" else None))

    notes = _notes(analysis, decisions)
    rows: list[list[str]] = []
    fills: list[str | None] = []
    tints = {agency: row_tint(colour) for agency, colour in colours.items()}
    kept = _kept(analysis, only)
    for index in kept:
        rows.append(chronology_cells(analysis, index, notes))
        fills.append(tints[entries[index].agency])
    shown = (
        f"{len(entries)} entries" if only is None else f"{len(kept)} of the {len(entries)} entries (filtered)"
    )
    document.add(
        Heading("Composite chronology"),
        Table(
            CHRONOLOGY_HEADINGS,
            rows,
            caption=f"{shown} in date order",
            widths=[3, 8, 12, 30, 13, 13, 21],
            row_fills=fills,
            compact=len(rows) > COMPACT_FROM,
        ),
    )

    document.add(Heading("Compliance findings"))
    listed = set(kept)
    findings = [f for f in analysis.findings if only is None or f.trigger_index in listed]
    if findings:
        ordered = sorted(findings, key=lambda f: STATUS_ORDER.index(f.status))
        document.add(
            Paragraph(
                "Findings the record shows as not met or cannot show come first. Rules marked "
                "'not yet verified' are proposals the partnership has still to confirm.",
                "hint",
            ),
            Table(
                ["Requirement", "Status", "Decision", "Entry", "What the record shows"],
                [
                    [
                        f.rule_title + ("" if f.verified else "\n(not yet verified)"),
                        finding_status_words(f, decisions.of_finding(f)),
                        finding_decision_words(f, decisions.of_finding(f)),
                        f"{_number(f.trigger_index)}\n{f.trigger.reference}",
                        finding_text(f),
                    ]
                    for f in ordered
                ],
                widths=[16, 11, 16, 12, 45],
                compact=len(ordered) > COMPACT_FROM,
            ),
        )
    else:
        document.add(Paragraph("No compliance rule was triggered by these entries."))

    document.add(Heading("Quality of each agency's chronology"))
    quality_rows = [row for row in _quality_rows(analysis) if row[4] != "passed"]
    passed = {agency: len(card.rules_passed) for agency, card in analysis.scorecards.items()}
    document.add(
        Paragraph(
            "The chronology-quality checks. "
            + "; ".join(
                f"{agency}: {count} of {len(QUALITY_RULES)} passed" for agency, count in passed.items()
            )
            + "."
        )
    )
    if quality_rows:
        document.add(
            Table(
                ["Agency", "Check", "Severity", "Points to check"],
                [[r[0], r[2], r[3], r[5]] for r in quality_rows],
                widths=[14, 20, 8, 58],
            )
        )

    document.add(Heading("Silent periods and expected contacts"))
    silence = _silence_rows(analysis)
    if silence:
        document.add(
            Table(
                ["Kind", "From", "To", "Days", "Detail"],
                [[r[0], r[1], r[2], r[3], r[6]] for r in silence],
                widths=[16, 9, 9, 5, 61],
            )
        )
    else:
        document.add(Paragraph("No silent periods or missing expected contacts were found."))
    return document


# --- JSON ------------------------------------------------------------------------------------------


_ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(Entry))


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, EntryKind):
        return value.value
    if isinstance(value, dict):
        return dict(value)
    return str(value)


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """The canonical entry as plain JSON values: dates ISO with precision ("2016-05", "?2016-05-22")."""
    return {name: _json_value(getattr(entry, name)) for name in _ENTRY_FIELDS}


def to_json(analysis: Analysis, title: str, generated_on: dt.date) -> bytes:
    entries = []
    for index, entry in enumerate(analysis.entries):
        item = {"index": index, **entry_to_dict(entry)}
        item["event_type"] = analysis.event_types[index]
        item["events"] = events_to_json(analysis.events[index])
        entries.append(item)
    payload = {
        "title": title,
        "produced": generated_on.isoformat(),
        "entries": entries,
        "analysis": analysis_to_json(analysis),
    }
    # Compact: the C encoder is used only without indentation, and 100,000 entries are large.
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


# --- One entry point -------------------------------------------------------------------------------


def export_composite(
    analysis: Analysis,
    fmt: str,
    *,
    title: str,
    pseudonymiser: Pseudonymiser | None = None,
    names: Sequence[Person | str] = (),
    generated_on: dt.date | None = None,
    only: Sequence[int] | None = None,
    decisions: Decisions = NO_DECISIONS,
) -> bytes:
    """The composite chronology with its findings and people's decisions as ``fmt`` ("xlsx", "csv", "docx", "pdf" or "json").

    With ``pseudonymiser`` and ``names`` every name (and alias) is replaced by
    its pseudonym everywhere, the title included. With ``only`` (positions in the
    composite) the chronology lists just those entries, numbered as in the whole.
    Raises ExportError for an unknown format or names without a key.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if names and pseudonymiser is None:
        raise ExportError("names to pseudonymise were given without a pseudonymisation key")
    day = generated_on or dt.date.today()
    if pseudonymiser is not None and names:
        people = [person if isinstance(person, Person) else Person(person) for person in names]
        table: PseudonymTable = pseudonymiser.table(people)
        analysis = _renamed(analysis, lambda text: replace_names(text, table))
        title = replace_names(title, table)
        decisions = Decisions(
            {
                k: dataclasses.replace(d, reason=replace_names(d.reason, table))
                for k, d in decisions.links.items()
            },
            {
                k: dataclasses.replace(d, reason=replace_names(d.reason, table))
                for k, d in decisions.findings.items()
            },
        )
    # Exports build millions of small objects and no cycles; the cycle collector would only rescan them.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        if fmt == "xlsx":
            return to_xlsx(analysis, title, day, only, decisions)
        if fmt == "csv":
            return to_csv(analysis, only, decisions)
        if fmt == "json":
            return to_json(analysis, title, day)
        data, _content_type = render(build_document(analysis, title, fmt, day, only, decisions), fmt)
        return data
    finally:
        if was_enabled:
            gc.enable()
