"""The composite's analysis stored in tables: made once by a task, read a page at a time by the views.

An analysis is keyed by a fingerprint of exactly what it was made from: the agencies' current
versions (submitted versions never change), how many of their entries still await their events,
the child's date of birth, the period the requests cover and the partnership's closure days. A
page compares the fingerprint of the case now with the newest stored analysis: the same, and the
page is current; different, and the page shows the stored one with a notice while the task makes
the new one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import typing
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from chronicle.chronologies.models import ChronologyRequest, ChronologyVersion, VersionEntry
from chronicle.chronologies.store import entry_from_row
from chronicle.composite import timeline
from chronicle.composite.models import (
    AnalysedCluster,
    AnalysedEntry,
    AnalysedFinding,
    AnalysedLink,
    AnalysedScorecard,
    AnalysedSilence,
    AnalysedTimeline,
    AnalysisState,
    StoredAnalysis,
)
from chronicle.core.analysis import Analysis, analyse
from chronicle.core.calendar import WorkingCalendar
from chronicle.core.compliance import Finding
from chronicle.core.composite import FLAGS, entry_span
from chronicle.core.duplicates import Cluster, Link
from chronicle.core.entries import Entry
from chronicle.core.event_types import label as event_label
from chronicle.core.events import Event, events_from_json, events_to_json
from chronicle.core.harm import Outcome
from chronicle.core.plain import entry_from_plain, from_plain, to_plain
from chronicle.core.plain_words import dates_in_words
from chronicle.core.quality import Scorecard
from chronicle.core.silence import ExpectedContactGap, SilentPeriod
from chronicle.core.timeline_svg import entries_by_month
from chronicle.incidents.models import ClosureDay, Incident

logger = logging.getLogger(__name__)

# Raise when what is stored, or how it is analysed, changes: every case is then analysed again.
STORED_FORMAT = "4"  # 2: clusters of accounts, findings once per event, the child's death; 3: periods outside England, gaps naming missed contacts, days in words; 4: the timeline's marks

UID = "uid"  # key in Entry.extra for the stable entry id
VERSION = "version"  # key in Entry.extra naming the version it came from

# The filters an entry either passes or not, a bit each: the entry's own flags, then the analysis's.
FLAG_BITS: dict[str, int] = {
    name: 1 << bit for bit, name in enumerate([*FLAGS, "duplicate", "conflict", "finding"])
}
ROW_BATCH = 2000


# --- What an analysis is made from ----------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """Everything an analysis of the case depends on."""

    versions: list[ChronologyVersion]
    unread: int  # entries whose events are still being read
    child_born_on: dt.date | None
    child_died_on: dt.date | None  # nothing is due after it, and no clock runs on
    period_start: dt.date | None
    period_end: dt.date | None
    closures: tuple[dt.date, ...]

    def fingerprint(self) -> str:
        source = json.dumps(
            [
                STORED_FORMAT,
                [str(v.code) for v in self.versions],
                self.unread,
                self.child_born_on,
                self.child_died_on,
                self.period_start,
                self.period_end,
                self.closures,
            ],
            default=str,
        )
        return hashlib.sha256(source.encode()).hexdigest()


def child_died_on(incident: Incident) -> dt.date | None:
    """The incident's date when the child died: nothing is due after it, and no clock runs on."""
    return incident.occurred_on if incident.outcome == Outcome.DIED else None


def inputs_of(incident: Incident) -> Inputs:
    versions = list(ChronologyVersion.objects.current_for(incident))
    unread = VersionEntry.objects.filter(version__in=versions, events__isnull=True).count() if versions else 0
    periods = list(
        ChronologyRequest.objects.filter(incident=incident).values_list("period_from", "period_to")
    )
    youngest = incident.youngest_child
    closures = ClosureDay.objects.filter(partnership_id=incident.partnership_id).order_by("day")
    return Inputs(
        versions=versions,
        unread=unread,
        child_born_on=youngest.born_on if youngest else None,
        child_died_on=child_died_on(incident),
        period_start=min((p[0] for p in periods if p[0]), default=None),
        period_end=max((p[1] for p in periods if p[1]), default=None),
        closures=tuple(closures.values_list("day", flat=True)),
    )


def analyse_inputs(inputs: Inputs) -> Analysis:
    """The analysis itself, from the events stored with each entry (never read here)."""
    entries: list[Entry] = []
    events: list[tuple[Event, ...]] = []
    for version in inputs.versions:
        agency = version.request.agency.name
        for row in (
            VersionEntry.objects.filter(version=version).order_by("position").iterator(chunk_size=ROW_BATCH)
        ):
            entry = entry_from_row(row, agency)
            entry.extra[UID] = str(row.entry_uid)
            entry.extra[VERSION] = f"v{version.number}"
            entries.append(entry)
            events.append(events_from_json(row.events))
    return analyse(
        entries,
        child_born_on=inputs.child_born_on,
        child_died_on=inputs.child_died_on,
        calendar=WorkingCalendar(inputs.closures),
        period_start=inputs.period_start,
        period_end=inputs.period_end,
        events=events,
    )


# --- Storing -------------------------------------------------------------------------------------


def store(incident: Incident) -> StoredAnalysis:
    """Analyse the case as it is now and store the analysis, unless it is stored already (the task)."""
    inputs = inputs_of(incident)
    fingerprint = inputs.fingerprint()
    stored, _ = StoredAnalysis.objects.get_or_create(incident=incident, fingerprint=fingerprint)
    if stored.state == AnalysisState.READY:
        return stored
    StoredAnalysis.objects.filter(pk=stored.pk).exclude(state=AnalysisState.READY).update(
        state=AnalysisState.RUNNING, started_at=timezone.now(), error=""
    )
    try:
        analysis = analyse_inputs(inputs)
    except Exception as error:
        logger.exception("analysis of %s failed", incident)
        StoredAnalysis.objects.filter(pk=stored.pk).exclude(state=AnalysisState.READY).update(
            state=AnalysisState.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    with transaction.atomic():
        # One writer at a time: a second task for the same analysis waits here, then finds it ready.
        stored = StoredAnalysis.objects.select_for_update().get(pk=stored.pk)
        if stored.state == AnalysisState.READY:
            return stored
        _clear(StoredAnalysis.objects.filter(pk=stored.pk))  # rows of a try that stopped half-way
        _write(stored, analysis)
        stored.state = AnalysisState.READY
        stored.version_ids = [v.pk for v in inputs.versions]
        stored.entry_count = len(analysis.entries)
        stored.summary = _summary(analysis)
        stored.timings = {stage: round(seconds, 3) for stage, seconds in analysis.timings.items()}
        stored.rest = {
            f.name: to_plain(getattr(analysis, f.name))
            for f in dataclasses.fields(analysis)
            if f.name not in TABLED
        }
        stored.finished_at = timezone.now()
        stored.save()
        # Older analyses of the case are no longer shown; ones asked for later are left to their tasks.
        _clear(
            StoredAnalysis.objects.filter(incident=incident, created_at__lte=stored.created_at).exclude(
                pk=stored.pk
            ),
            parents=True,
        )
    return stored


# The parts of the core's Analysis stored in tables of their own (or worked out again) by ``_write``;
# every other field is stored whole in ``StoredAnalysis.rest`` and read back by ``load``.
TABLED = {
    "entries",
    "events",
    "primary_types",
    "findings",
    "scorecards",
    "silent_periods",
    "expected_contact_gaps",
    "agency_positions",
    "child_born_on",
    "finding_accounts",  # stored with each finding
    "timings",
}


def _clear(analyses: Any, *, parents: bool = False) -> None:
    """Delete the rows of these analyses table by table (one DELETE each, not row by row)."""
    for model in (
        AnalysedEntry,
        AnalysedCluster,
        AnalysedLink,
        AnalysedFinding,
        AnalysedScorecard,
        AnalysedSilence,
        AnalysedTimeline,
    ):
        model.objects.filter(analysis__in=analyses.values("pk")).delete()
    if parents:
        analyses.delete()


def _write(stored: StoredAnalysis, analysis: Analysis) -> None:
    uids = [entry.extra[UID] for entry in analysis.entries]
    flags = [0] * len(analysis.entries)
    # The filters: "duplicate" is any account of an event recorded more than once, "conflict" an
    # account that differs from another, "finding" an entry a finding is triggered by or cites.
    for cluster in analysis.clusters:
        for index in cluster.members:
            flags[index] |= FLAG_BITS["duplicate"]
        for link in cluster.conflicts:
            flags[link.a_index] |= FLAG_BITS["conflict"]
            flags[link.b_index] |= FLAG_BITS["conflict"]
    for finding in analysis.findings:
        for touched in (finding.trigger_index, finding.evidence_index):
            if touched is not None:
                flags[touched] |= FLAG_BITS["finding"]
    cluster_of: list[int | None] = [None] * len(analysis.entries)
    for number, cluster in enumerate(analysis.clusters):
        for index in cluster.members:
            cluster_of[index] = number
    # An entry in no agency's own list keeps None, and load leaves it out of agency_positions.
    agency_order: list[int | None] = [None] * len(analysis.entries)
    for positions in analysis.agency_positions.values():
        for order, index in enumerate(positions):
            agency_order[index] = order
    AnalysedEntry.objects.bulk_create(
        (
            _entry_row(stored, analysis, index, flags[index], agency_order[index], cluster_of[index])
            for index in range(len(analysis.entries))
        ),
        batch_size=ROW_BATCH,
    )
    AnalysedCluster.objects.bulk_create(
        (
            AnalysedCluster(
                analysis=stored,
                number=number,
                first_position=cluster.first,
                members=list(cluster.members),
                conflicts=len(cluster.conflicts),
                words=cluster.words(analysis.entries),
                detail=to_plain(cluster),
            )
            for number, cluster in enumerate(analysis.clusters)
        ),
        batch_size=ROW_BATCH,
    )
    AnalysedLink.objects.bulk_create(
        link_rows(stored, analysis.clusters, uids, analysis.entries), batch_size=ROW_BATCH
    )
    AnalysedFinding.objects.bulk_create(
        (
            AnalysedFinding(
                analysis=stored,
                number=number,
                rule_id=finding.rule_id,
                status=str(finding.status),
                trigger_position=finding.trigger_index,
                trigger_uid=uids[finding.trigger_index],
                agency=analysis.entries[finding.trigger_index].agency,
                evidence_position=finding.evidence_index,
                accounts=list(analysis.accounts_of(number)),
                detail=to_plain(finding),
            )
            for number, finding in enumerate(analysis.findings)
        ),
        batch_size=ROW_BATCH,
    )
    AnalysedScorecard.objects.bulk_create(
        AnalysedScorecard(analysis=stored, agency=agency, detail=_scorecard_detail(analysis, card, uids))
        for agency, card in analysis.scorecards.items()
    )
    silences: list[Any] = [*analysis.silent_periods, *analysis.expected_contact_gaps]
    AnalysedSilence.objects.bulk_create(
        AnalysedSilence(
            analysis=stored,
            kind="no_entries" if isinstance(silence, SilentPeriod) else "expected_contact",
            number=number,
            start=silence.start,
            end=silence.end,
            detail=to_plain(silence),
        )
        for number, silence in enumerate(silences)
    )
    marked = {f.trigger_index for f in analysis.findings if str(f.status) in timeline.HIGHLIGHTED}
    AnalysedTimeline.objects.bulk_create(
        (
            AnalysedTimeline(analysis=stored, year=year, month=month, plan=plan)
            for year, month, plan in timeline.plans(analysis.entries, uids, marked, analysis.silent_periods)
        ),
        batch_size=100,
    )


def _entry_row(
    stored: StoredAnalysis,
    analysis: Analysis,
    index: int,
    flags: int,
    agency_order: int | None,
    cluster: int | None,
) -> AnalysedEntry:
    entry = analysis.entries[index]
    code = entry.event_type or analysis.event_types[index]
    for name, (_, test) in FLAGS.items():
        if test(entry):
            flags |= FLAG_BITS[name]
    first, last = entry_span(entry)
    words = (
        entry.description,
        entry.action,
        entry.outcome,
        entry.significance,
        entry.source,
        entry.entry_ref,
    )
    return AnalysedEntry(
        analysis=stored,
        position=index,
        uid=entry.extra[UID],
        agency=entry.agency,
        event_type=code or "",
        span_start=first,
        span_end=last,
        flags=flags,
        search_text=" ".join(words).casefold(),
        reference=dates_in_words(entry.reference())[:300],
        date_words=dates_in_words(entry.date.display())[:60],
        picker_text=entry_option_label(entry).casefold(),
        cluster=cluster,
        detail={
            "entry": to_plain(entry),
            "events": events_to_json(analysis.events[index]),
            "primary_type": analysis.primary_types[index],
            "event_label": event_label(analysis.event_types[index]) if analysis.event_types[index] else "",
            "events_said": analysis.describe_events(index),
            "inferred": analysis.is_inferred(index),
            "agency_order": agency_order,  # its place in the agency's own order (quality checks count so)
        },
    )


def link_rows(
    stored: StoredAnalysis, clusters: Sequence[Cluster], uids: Sequence[str], entries: Sequence[Entry]
) -> list[AnalysedLink]:
    """Each cluster's later accounts linked with its first, then its conflicts: one row per pair.

    Stored by the two entries' positions and stable ids, the ids in sorted order as people's
    decisions (``LinkDecision``) key on them.
    """
    rows = []
    for number, cluster in enumerate(clusters):
        # As the core's Analysis.links: a later account that differs from the first is a conflict.
        for link in (*(k for k in cluster.links if k.kind == "duplicate"), *cluster.conflicts):
            (first, first_uid), (second, second_uid) = sorted(
                [(link.a_index, uids[link.a_index]), (link.b_index, uids[link.b_index])],
                key=lambda pair: pair[1],
            )
            rows.append(
                AnalysedLink(
                    analysis=stored,
                    cluster=number,
                    kind=str(link.kind),
                    first_position=first,
                    second_position=second,
                    first_uid=first_uid,
                    second_uid=second_uid,
                    score=link.score,
                    label=link_option_label(link, entries),
                    detail=to_plain(link),
                )
            )
    return rows


FEEDBACK_ENTRIES = 10  # entries named per point in the feedback to the agency
SHOWN_ENTRIES = 20  # entries linked per point on the scorecard page


def _scorecard_detail(analysis: Analysis, card: Scorecard, uids: Sequence[str]) -> dict[str, Any]:
    lines = [f"Quality checks on your chronology ({card.entry_count} entries):"]
    rows = []
    for point in card.points:
        indices = analysis.point_entries(card.agency, point)
        where = ", ".join(dates_in_words(analysis.entries[i].reference()) for i in indices[:FEEDBACK_ENTRIES])
        more = f" and {len(indices) - FEEDBACK_ENTRIES} more" if len(indices) > FEEDBACK_ENTRIES else ""
        lines.append(
            f"- {point.rule_id} ({point.severity}): {point.message}"
            + (f" Entries: {where}{more}." if where else "")
        )
        shown = [
            (uids[i], dates_in_words(analysis.entries[i].date.display())) for i in indices[:SHOWN_ENTRIES]
        ]
        rows.append(
            {"point": to_plain(point), "entries": shown, "more": max(len(indices) - SHOWN_ENTRIES, 0)}
        )
    return {"card": to_plain(card), "feedback": "\n".join(lines), "points": rows}


def link_option_label(link: Link, entries: Sequence[Entry]) -> str:
    """How the evidence picker lists a link (and finds it by words)."""
    a, b = entries[link.a_index], entries[link.b_index]
    return dates_in_words(
        f"{str(link.kind).capitalize()}: {a.reference()} and {b.reference()}: {'; '.join(link.reasons)}"
    )


def entry_option_label(entry: Entry) -> str:
    """How the evidence picker lists an entry (and finds it by words)."""
    return entry_option_words(dates_in_words(entry.reference()), entry.description)


def entry_option_words(reference: str, description: str) -> str:
    """How the evidence picker lists an entry, from its reference in words and what happened."""
    return f"Entry: {reference}: {description[:200]}"


def _summary(analysis: Analysis) -> dict[str, Any]:
    summary = analysis.summary()
    statuses = Counter(str(f.status) for f in analysis.findings)
    return {
        "total": summary.total,
        "first_date": summary.first_date.isoformat() if summary.first_date else None,
        "last_date": summary.last_date.isoformat() if summary.last_date else None,
        "agencies": analysis.agencies,
        "finding_counts": dict(statuses),
        "rules": sorted({f.rule_id for f in analysis.findings}),
        "months": {
            str(year): {str(m): n for m, n in months.items()}
            for year, months in entries_by_month(analysis.entries).items()
        },
        "child_born_on": analysis.child_born_on.isoformat() if analysis.child_born_on else None,
    }


# --- Reading --------------------------------------------------------------------------------------


def latest(incident: Incident) -> StoredAnalysis | None:
    """The newest analysis of the case that is ready to show (without ``rest``, which pages never read)."""
    return (
        StoredAnalysis.objects.filter(incident=incident, state=AnalysisState.READY)
        .defer("rest")
        .order_by("-finished_at", "-pk")
        .first()
    )


def entry_of(row: AnalysedEntry | dict[str, Any]) -> Entry:
    detail = row["detail"] if isinstance(row, dict) else row.detail
    return entry_from_plain(detail["entry"])


def load(stored: StoredAnalysis) -> Analysis:
    """The whole stored analysis as the core's ``Analysis``, for exports and the Panel pack."""
    details = (
        AnalysedEntry.objects.filter(analysis=stored).order_by("position").values_list("detail", flat=True)
    )
    entries: list[Entry] = []
    events: list[tuple[Event, ...]] = []
    primary: list[str | None] = []
    orders: dict[str, list[tuple[int, int]]] = {}
    for index, detail in enumerate(details.iterator(chunk_size=ROW_BATCH)):
        entry = entry_from_plain(detail["entry"])
        entries.append(entry)
        events.append(events_from_json(detail["events"]))
        primary.append(detail["primary_type"])
        if detail["agency_order"] is not None:
            orders.setdefault(entry.agency, []).append((detail["agency_order"], index))
    positions = {agency: [index for _, index in sorted(pairs)] for agency, pairs in sorted(orders.items())}
    found = (
        AnalysedFinding.objects.filter(analysis=stored).order_by("number").values_list("detail", "accounts")
    )
    findings = [from_plain(Finding, detail) for detail, _ in found]
    accounts = [tuple(positions) for _, positions in found]
    cards = {
        agency: from_plain(Scorecard, detail["card"])
        for agency, detail in AnalysedScorecard.objects.filter(analysis=stored)
        .order_by("agency")
        .values_list("agency", "detail")
    }
    silences = (
        AnalysedSilence.objects.filter(analysis=stored).order_by("number").values_list("kind", "detail")
    )
    born = stored.summary.get("child_born_on")
    hints = typing.get_type_hints(Analysis)
    rest = StoredAnalysis.objects.filter(pk=stored.pk).values_list("rest", flat=True).get()
    return Analysis(
        entries=entries,
        events=events,
        primary_types=primary,
        **{name: from_plain(hints[name], value) for name, value in rest.items() if name in hints},
        silent_periods=[from_plain(SilentPeriod, d) for kind, d in silences if kind == "no_entries"],
        expected_contact_gaps=[
            from_plain(ExpectedContactGap, d) for kind, d in silences if kind == "expected_contact"
        ],
        findings=findings,
        finding_accounts=accounts,
        scorecards=cards,
        agency_positions=positions,
        child_born_on=dt.date.fromisoformat(born) if born else None,
        timings=dict(stored.timings),
    )
