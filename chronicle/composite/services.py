"""Building a case's composite chronology from the agencies' current submitted versions, analysing it,
and recording what people decide about it. Every decision is audited."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.cache import cache
from django.db import transaction

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.chronologies.models import ChronologyRequest, ChronologyVersion, VersionEntry
from chronicle.chronologies.store import entry_from_row
from chronicle.composite.models import Annotation, CasePeople, EntryAnalysis, FindingDecision, LinkDecision
from chronicle.core.analysis import Analysis, analyse
from chronicle.core.colours import AgencyColour, assign_colours
from chronicle.core.entries import Entry
from chronicle.core.events import Event, events_from_json
from chronicle.core.harm import Outcome
from chronicle.core.plain_words import status_words
from chronicle.incidents.models import Incident
from chronicle.incidents.services import calendar_for
from chronicle.ui.concurrency import EditConflict, claim

UID = "uid"  # key in Entry.extra for the stable entry id
VERSION = "version"  # key in Entry.extra naming the version it came from


def current_versions(incident: Incident) -> list[ChronologyVersion]:
    """For each agency, the newest submitted version of its chronology for the case (any round)."""
    newest: dict[int, ChronologyVersion] = {}
    versions = ChronologyVersion.objects.filter(request__incident=incident).select_related("request__agency")
    for version in versions.order_by("request__round", "number"):
        newest[version.request.agency_id] = version  # later rounds and numbers win
    return sorted(newest.values(), key=lambda v: v.request.agency.name)


@dataclass
class StoredEntries:
    """The versions' entries with the events stored for them (never read again here)."""

    entries: list[Entry]
    events: list[tuple[Event, ...]]  # one per entry; () for an entry not read yet
    unread: int  # entries whose events are not read yet: the task is still reading them


def composite_entries(versions: list[ChronologyVersion]) -> StoredEntries:
    stored = StoredEntries([], [], 0)
    for version in versions:
        agency = version.request.agency.name
        for row in VersionEntry.objects.filter(version=version).order_by("position"):
            entry = entry_from_row(row, agency)
            entry.extra[UID] = str(row.entry_uid)
            entry.extra[VERSION] = f"v{version.number}"
            stored.entries.append(entry)
            stored.events.append(events_from_json(row.events))
            stored.unread += row.events is None
    return stored


@dataclass
class Composite:
    incident: Incident
    versions: list[ChronologyVersion]
    analysis: Analysis
    colours: dict[str, AgencyColour]
    unread: int = 0  # entries whose events are still being read: findings will change

    def uid(self, index: int) -> str:
        return self.analysis.entries[index].extra[UID]

    def index_of(self, uid: str) -> int | None:
        for index, entry in enumerate(self.analysis.entries):
            if entry.extra.get(UID) == uid:
                return index
        return None


def child_born_on(incident: Incident) -> Any:
    youngest = incident.youngest_child
    return youngest.born_on if youngest else None


def child_died_on(incident: Incident) -> Any:
    """The incident's date when the child died: nothing is due after it, and no clock runs on."""
    return incident.occurred_on if incident.outcome == Outcome.DIED else None


def analysis_key(incident: Incident, version_codes: list[UUID], unread: int) -> str:
    """Where a case's analysis is kept: by the versions it is made from and what else it depends on."""
    key_source = ",".join(str(code) for code in version_codes) + (
        f"|{incident.code}|{child_born_on(incident)}|{child_died_on(incident)}|{unread}"
    )
    return "composite:" + hashlib.sha256(key_source.encode()).hexdigest()


def build(incident: Incident) -> Composite:
    """The composite and its analysis, from the events stored with each entry (never read here).

    Cached by the versions it is made from, so repeat views are fast.
    """
    versions = current_versions(incident)
    # Submitted versions never change, so their codes identify the analysis exactly, once every
    # entry's events are read: until then the count still unread is part of the key.
    unread = VersionEntry.objects.filter(version__in=versions, events__isnull=True).count()
    key = analysis_key(incident, [v.code for v in versions], unread)
    analysis = cache.get(key)
    if analysis is None:
        requests = ChronologyRequest.objects.filter(incident=incident)
        period_start = min((r.period_from for r in requests), default=None)
        period_end = max((r.period_to for r in requests), default=None)
        stored = composite_entries(versions)
        analysis = analyse(
            stored.entries,
            child_born_on=child_born_on(incident),
            child_died_on=child_died_on(incident),
            calendar=calendar_for(incident.partnership),
            period_start=period_start,
            period_end=period_end,
            events=stored.events,
        )
        cache.set(key, analysis, 600)
    colours = assign_colours(sorted({v.request.agency.name for v in versions}))
    return Composite(incident, versions, analysis, colours, unread)


# --- What people decide --------------------------------------------------------------------------


def _lock(incident: Incident) -> None:
    """Inside a transaction: decisions on one case are made one at a time (no race for a first one)."""
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").get()


@transaction.atomic
def annotate(request: HttpRequest, incident: Incident, entry_uid: UUID, kind: str, text: str) -> Annotation:
    annotation = Annotation.objects.create(
        incident=incident, entry_uid=entry_uid, kind=kind, text=text, author=request.user
    )
    record(
        request,
        Action.CREATE,
        obj=annotation,
        partnership=incident.partnership,
        object_label=f"{kind} on entry {entry_uid}",
    )
    return annotation


@transaction.atomic
def decide_link(
    request: HttpRequest, incident: Incident, first: str, second: str, kind: str, decision: str, reason: str
) -> LinkDecision:
    _lock(incident)
    first, second = sorted([first, second])
    link, _ = LinkDecision.objects.update_or_create(
        incident=incident,
        first_uid=first,
        second_uid=second,
        defaults={"kind": kind, "decision": decision, "reason": reason, "decided_by": request.user},
    )
    record(
        request,
        Action.UPDATE,
        object_type="entry_link",
        object_id=f"{first}/{second}",
        partnership=incident.partnership,
        detail=f"{kind} {decision}: {reason}",
    )
    return link


PREFILL_FIELDS = ("practice_required", "record_shows_met", "gap", "learning_point", "multi_agency_point")


@transaction.atomic
def decide_finding(
    request: HttpRequest, composite: Composite, finding: Any, decision: str, status: str, reason: str
) -> FindingDecision:
    incident = composite.incident
    _lock(incident)
    trigger_uid = composite.uid(finding.trigger_index)
    decided, _ = FindingDecision.objects.update_or_create(
        incident=incident,
        rule_id=finding.rule_id,
        trigger_uid=trigger_uid,
        defaults={
            "decision": decision,
            "proposed_status": str(finding.status),
            "status": status,
            "reason": reason,
            "decided_by": request.user,
        },
    )
    if decision in {"confirmed", "changed"}:
        prefill_six_headings(request, incident, trigger_uid, finding.prefill())
    record(
        request,
        Action.UPDATE,
        object_type="finding",
        object_id=f"{finding.rule_id}/{trigger_uid}",
        object_label=f"{finding.rule_title} ({incident.reference})",
        partnership=incident.partnership,
        detail=f"{decision} as {status_words(status)}" + (f": {reason}" if reason else ""),
    )
    return decided


def prefill_six_headings(
    request: HttpRequest, incident: Incident, entry_uid: str, prefill: dict[str, str]
) -> EntryAnalysis:
    """Fill empty headings of the entry's analysis from a confirmed finding; never overwrite what people wrote."""
    analysis, _ = EntryAnalysis.objects.get_or_create(
        incident=incident, entry_uid=entry_uid, defaults={"updated_by": request.user}
    )
    for name in PREFILL_FIELDS:
        text = (prefill.get(name) or "").strip()
        current = getattr(analysis, name)
        if text and text not in current:
            setattr(analysis, name, f"{current}\n{text}".strip())
    analysis.updated_by = request.user
    analysis.save()
    return analysis


@transaction.atomic
def save_entry_analysis(
    request: HttpRequest,
    incident: Incident,
    entry_uid: str,
    values: dict[str, str],
    read_version: int | None = None,
) -> EntryAnalysis:
    """Save the six headings as read (``read_version``, 0 when none were written): raises EditConflict."""
    _lock(incident)
    analysis = EntryAnalysis.objects.filter(incident=incident, entry_uid=entry_uid).first()
    if analysis is None:
        if read_version:
            raise EditConflict("entry's six headings", 0, [], by="Someone else (they have been removed)")
        # Version 1 from the start: a form read before it existed (version 0) is refused hereafter.
        analysis = EntryAnalysis(
            incident=incident, entry_uid=entry_uid, updated_by=request.user, lock_version=1
        )
    else:
        claim(
            analysis,
            read_version if read_version is not None else analysis.lock_version,
            noun="entry's six headings",
        )
    for name, value in values.items():
        setattr(analysis, name, value)
    analysis.updated_by = request.user
    analysis.save()
    record(request, Action.UPDATE, obj=analysis, partnership=incident.partnership, object_id=entry_uid)
    return analysis


class ListChanged(Exception):
    """Someone else saved the case's list of people after this person read it."""


@transaction.atomic
def save_case_people(request: HttpRequest, incident: Incident, names: str, read: str | None = None) -> None:
    """Save the list; ``read`` is the list as the form showed it, so a colleague's save is never lost."""
    _lock(incident)
    listed, _ = CasePeople.objects.get_or_create(incident=incident)
    if read is not None and listed.names != read:
        raise ListChanged
    if listed.names != names:
        listed.names = names
        listed.save()
        record(
            request,
            Action.UPDATE,
            obj=listed,
            partnership=incident.partnership,
            object_id=str(incident.code),
            detail="names to pseudonymise changed",
        )
