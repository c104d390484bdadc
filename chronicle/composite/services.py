"""Building a case's composite chronology from the agencies' current submitted versions, analysing it,
and recording what people decide about it. Every decision is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as
from chronicle.chronologies.models import ChronologyVersion, VersionEntry
from chronicle.composite import stored as stored_analysis
from chronicle.composite.models import (
    AnalysisState,
    Annotation,
    CasePeople,
    EntryAnalysis,
    FindingDecision,
    LinkDecision,
    StoredAnalysis,
)
from chronicle.composite.stored import UID, VERSION, child_died_on
from chronicle.composite.tasks import analyse_case
from chronicle.core.analysis import Analysis
from chronicle.core.colours import AgencyColour, assign_colours
from chronicle.core.plain_words import status_words
from chronicle.incidents.models import Incident
from chronicle.ui.concurrency import EditConflict, claim

__all__ = [
    "UID",
    "VERSION",
    "child_died_on",
]  # kept here for the modules that import them from here

SMALL_CASE = 2000  # entries: a case this small with no stored analysis yet is analysed in the request


@dataclass
class Composite:
    """The whole analysis of a case, as the core's ``Analysis`` (the Panel pack, exports, the agenda)."""

    incident: Incident
    versions: list[ChronologyVersion]
    analysis: Analysis
    colours: dict[str, AgencyColour]
    unread: int = 0  # entries whose events are still being read: findings will change
    stored: StoredAnalysis | None = None  # the stored analysis it was read from

    def uid(self, index: int) -> str:
        return self.analysis.entries[index].extra[UID]

    def index_of(self, uid: str) -> int | None:
        for index, entry in enumerate(self.analysis.entries):
            if entry.extra.get(UID) == uid:
                return index
        return None


def _versions_of(stored: StoredAnalysis) -> list[ChronologyVersion]:
    versions = ChronologyVersion.objects.filter(pk__in=stored.version_ids).select_related("request__agency")
    return sorted(versions, key=lambda v: v.request.agency.name)


def build(incident: Incident) -> Composite:
    """The analysis of the case as it is now: the stored one, or made and stored here (in a task)."""
    stored = stored_analysis.store(incident)
    return _composite(incident, stored)


def _composite(incident: Incident, stored: StoredAnalysis) -> Composite:
    analysis = stored_analysis.load(stored)
    versions = _versions_of(stored)
    unread = VersionEntry.objects.filter(version__in=versions, events__isnull=True).count() if versions else 0
    return Composite(incident, versions, analysis, colours_of(versions), unread, stored)


def colours_of(versions: list[ChronologyVersion]) -> dict[str, AgencyColour]:
    return assign_colours(sorted({v.request.agency.name for v in versions}))


def shown_composite(incident: Incident, on_screen: Shown | None = None) -> Composite:
    """The analysis the composite pages show, whole (for a download of what is on screen)."""
    stored = (on_screen or shown(incident)).stored
    if stored is None:  # a large case not analysed yet: analysed here (a download is made by a task)
        stored = stored_analysis.store(incident)
    return _composite(incident, stored)


# --- The stored analysis: asking for it and showing it --------------------------------------------


def schedule(incident: Incident, fingerprint: str | None = None, *, retry_failed: bool = True) -> None:
    """Queue the analysis of the case as it is now, unless it is stored, or queued and alive, already.

    Called where versions are submitted or accepted and closure days change, in their transaction:
    a database queue sees the task only once what it analyses is committed.
    """
    fingerprint = fingerprint or stored_analysis.inputs_of(incident).fingerprint()
    row, created = StoredAnalysis.objects.get_or_create(incident=incident, fingerprint=fingerprint)
    if not created:
        waiting = row.state in {AnalysisState.QUEUED, AnalysisState.RUNNING}
        alive = timezone.now() - (row.started_at or row.created_at) < dt.timedelta(
            minutes=settings.TASK_STALE_MINUTES
        )
        if row.state == AnalysisState.READY or (waiting and alive):
            return
        if row.state == AnalysisState.FAILED and not retry_failed:
            return
        StoredAnalysis.objects.filter(pk=row.pk).update(
            state=AnalysisState.QUEUED, created_at=timezone.now(), started_at=None
        )
    analyse_case.enqueue(incident.pk)


def schedule_partnership(partnership_id: int) -> None:
    """Closure days changed: every case of the partnership with an analysis is analysed again."""
    with_analysis = StoredAnalysis.objects.filter(incident__partnership_id=partnership_id).values("incident")
    for incident in Incident.objects.filter(pk__in=with_analysis):
        schedule(incident)


@dataclass
class Shown:
    """What a composite page shows: the newest stored analysis, and whether the case has moved on."""

    incident: Incident
    stored: StoredAnalysis | None
    current: bool  # False: newer chronologies (or settings) are being analysed
    unread: int  # entries whose events are still being read
    versions: list[ChronologyVersion]
    colours: dict[str, AgencyColour]

    @property
    def analysing(self) -> bool:
        return not self.current


def shown(incident: Incident) -> Shown:
    """The stored analysis to show, asking for a new one when the case has changed since.

    With none stored yet, a small case is analysed here, once (a second or so), so the first look at
    it needs no waiting; a large one is left to the task and the page says it is being analysed.
    """
    inputs = stored_analysis.inputs_of(incident)
    fingerprint = inputs.fingerprint()
    stored = stored_analysis.latest(incident)
    current = stored is not None and stored.fingerprint == fingerprint
    if not current:
        size = sum(v.entry_count for v in inputs.versions)
        if stored is None and size <= SMALL_CASE:
            stored, current = stored_analysis.store(incident), True
        else:
            schedule(incident, fingerprint, retry_failed=False)
    versions = _versions_of(stored) if stored is not None else []
    return Shown(incident, stored, current, inputs.unread, versions, colours_of(versions))


# --- What people decide --------------------------------------------------------------------------


def _lock(incident: Incident) -> None:
    """Inside a transaction: decisions on one case are made one at a time (no race for a first one)."""
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").get()


@transaction.atomic
def annotate(actor: Actor, incident: Incident, entry_uid: UUID, kind: str, text: str) -> Annotation:
    annotation = Annotation.objects.create(
        incident=incident, entry_uid=entry_uid, kind=kind, text=text, author=actor.user
    )
    record_as(
        actor,
        Action.CREATE,
        obj=annotation,
        partnership=incident.partnership,
        object_label=f"{kind} on entry {entry_uid}",
    )
    return annotation


@transaction.atomic
def decide_link(
    actor: Actor, incident: Incident, first: str, second: str, kind: str, decision: str, reason: str
) -> LinkDecision:
    _lock(incident)
    first, second = sorted([first, second])
    link, _ = LinkDecision.objects.update_or_create(
        incident=incident,
        first_uid=first,
        second_uid=second,
        defaults={"kind": kind, "decision": decision, "reason": reason, "decided_by": actor.user},
    )
    record_as(
        actor,
        Action.UPDATE,
        object_type="entry_link",
        object_id=f"{first}/{second}",
        partnership=incident.partnership,
        detail=f"{kind} {decision}: {reason}",
    )
    return link


PREFILL_FIELDS = ("practice_required", "record_shows_met", "gap", "learning_point", "multi_agency_point")


def decide_finding(
    actor: Actor, composite: Composite, finding: Any, decision: str, status: str, reason: str
) -> FindingDecision:
    return decide_finding_on(
        actor, composite.incident, finding, composite.uid(finding.trigger_index), decision, status, reason
    )


@transaction.atomic
def decide_finding_on(
    actor: Actor,
    incident: Incident,
    finding: Any,
    trigger_uid: str,
    decision: str,
    status: str,
    reason: str,
) -> FindingDecision:
    """Record a decision on a finding, keyed by its rule and the stable id of the entry that triggered it."""
    _lock(incident)
    decided, _ = FindingDecision.objects.update_or_create(
        incident=incident,
        rule_id=finding.rule_id,
        trigger_uid=trigger_uid,
        defaults={
            "decision": decision,
            "proposed_status": str(finding.status),
            "status": status,
            "reason": reason,
            "decided_by": actor.user,
        },
    )
    if decision in {"confirmed", "changed"}:
        prefill_six_headings(actor, incident, trigger_uid, finding.prefill())
    record_as(
        actor,
        Action.UPDATE,
        object_type="finding",
        object_id=f"{finding.rule_id}/{trigger_uid}",
        object_label=f"{finding.rule_title} ({incident.reference})",
        partnership=incident.partnership,
        detail=f"{decision} as {status_words(status)}" + (f": {reason}" if reason else ""),
    )
    return decided


def prefill_six_headings(
    actor: Actor, incident: Incident, entry_uid: str, prefill: dict[str, str]
) -> EntryAnalysis:
    """Fill empty headings of the entry's analysis from a confirmed finding; never overwrite what people wrote."""
    analysis, _ = EntryAnalysis.objects.get_or_create(
        incident=incident, entry_uid=entry_uid, defaults={"updated_by": actor.user}
    )
    for name in PREFILL_FIELDS:
        text = (prefill.get(name) or "").strip()
        current = getattr(analysis, name)
        if text and text not in current:
            setattr(analysis, name, f"{current}\n{text}".strip())
    analysis.updated_by = actor.user
    analysis.save()
    return analysis


@transaction.atomic
def save_entry_analysis(
    actor: Actor,
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
            incident=incident, entry_uid=entry_uid, updated_by=actor.user, lock_version=1
        )
    else:
        claim(
            analysis,
            read_version if read_version is not None else analysis.lock_version,
            noun="entry's six headings",
        )
    for name, value in values.items():
        setattr(analysis, name, value)
    analysis.updated_by = actor.user
    analysis.save()
    record_as(actor, Action.UPDATE, obj=analysis, partnership=incident.partnership, object_id=entry_uid)
    return analysis


class ListChanged(Exception):
    """Someone else saved the case's list of people after this person read it."""


@transaction.atomic
def save_case_people(actor: Actor, incident: Incident, names: str, read: str | None = None) -> None:
    """Save the list; ``read`` is the list as the form showed it, so a colleague's save is never lost."""
    _lock(incident)
    listed, _ = CasePeople.objects.get_or_create(incident=incident)
    if read is not None and listed.names != read:
        raise ListChanged
    if listed.names != names:
        listed.names = names
        listed.save()
        record_as(
            actor,
            Action.UPDATE,
            obj=listed,
            partnership=incident.partnership,
            object_id=str(incident.code),
            detail="names to pseudonymise changed",
        )
