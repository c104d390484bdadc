"""Requesting, drafting, importing, submitting, returning, accepting and reopening chronologies. All audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from chronicle.accounts.models import Agency, Membership, Role, User
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as
from chronicle.chronologies.events import read_entry, schedule_reading, unread
from chronicle.chronologies.imports import RequestClosed, already_in_draft, lock_request
from chronicle.chronologies.models import (
    ChronologyRequest,
    ChronologyVersion,
    DraftEntry,
    ImportBatch,
    Scope,
    Status,
    VersionEntry,
)
from chronicle.chronologies.signals import case_changed
from chronicle.chronologies.store import ROW_FIELDS, copy_fields
from chronicle.incidents.models import Incident, ReviewerAssignment
from chronicle.incidents.services import calendar_for
from chronicle.ui.concurrency import claim

IMPORT_BATCH_SIZE = 2000


def default_due_on(incident: Incident, on: dt.date | None = None) -> dt.date:
    on = on or timezone.localdate()
    return calendar_for(incident.partnership).add_working_days(
        on, incident.partnership.request_due_working_days
    )


def _agency_leads(agency: Agency) -> list[str]:
    return list(
        Membership.objects.filter(agency=agency, role=Role.AGENCY_LEAD, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def _tell_agency(chronology_request: ChronologyRequest, subject: str, body: str) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("chronology", args=[chronology_request.code])
    recipients = _agency_leads(chronology_request.agency)
    if recipients:
        send_mail(subject, f"{body}\n\nOpen it in Chronicle: {link}\n", None, recipients)


@transaction.atomic
def issue_requests(
    actor: Actor, incident: Incident, agencies: Iterable[Agency], data: dict[str, Any]
) -> list[ChronologyRequest]:
    """Day 0: one request to every involved agency at once (the case locked, so never twice)."""
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").get()
    today = timezone.localdate()
    created = []
    for agency in agencies:
        last_round = (
            ChronologyRequest.objects.filter(incident=incident)
            .filter(agency=agency)
            .aggregate(r=Max("round"))["r"]
            or 0
        )
        if last_round:
            continue  # already asked; revisits go through reopen_all
        chronology_request = ChronologyRequest.objects.create(
            incident=incident,
            agency=agency,
            period_from=data["period_from"],
            period_to=data["period_to"],
            scope=data["scope"],
            due_on=data["due_on"],
            instructions=data.get("instructions", ""),
            preservation_notice=data["preservation_notice"],
            requested_on=today,
            requested_by=actor.user,
        )
        record_as(actor, Action.CREATE, obj=chronology_request, partnership=incident.partnership)
        _tell_agency(
            chronology_request,
            f"Chronology requested for case {incident.reference}, due {chronology_request.due_on:%d/%m/%Y}",
            f"{incident.partnership.name} asks {agency.name} for its chronology of case {incident.reference}, "
            f"covering {chronology_request.period_from:%d/%m/%Y} to {chronology_request.period_to:%d/%m/%Y} "
            f"({chronology_request.get_scope_display().lower()}).\n\nRECORDS PRESERVATION NOTICE: {chronology_request.preservation_notice}",
        )
        created.append(chronology_request)
    return created


@transaction.atomic
def save_entry(
    actor: Actor,
    chronology_request: ChronologyRequest,
    entry: DraftEntry | None,
    values: dict[str, Any],
    read_version: int | None = None,
) -> DraftEntry:
    """Add an entry, or change one checked against the version read (raises EditConflict)."""
    creating = entry is None
    if entry is None:
        entry = DraftEntry(request=chronology_request, created_by=actor.user)
    else:
        claim(entry, read_version, noun="entry")
    for name, value in values.items():
        setattr(entry, name, value)
    read_entry(entry, chronology_request.agency.agency_type)  # one entry: read here, in the request
    entry.save()
    chronology_request.mark_in_progress()
    record_as(
        actor,
        Action.CREATE if creating else Action.UPDATE,
        obj=entry,
        partnership=chronology_request.incident.partnership,
        object_label=f"{chronology_request.agency}: {entry.date_text}",
    )
    return entry


@transaction.atomic
def delete_entry(actor: Actor, entry: DraftEntry) -> None:
    record_as(
        actor,
        Action.DELETE,
        obj=entry,
        partnership=entry.request.incident.partnership,
        object_label=f"{entry.request.agency}: {entry.date_text}",
        detail=entry.description[:500],
    )
    entry.delete()


def imported_before(chronology_request: ChronologyRequest, content: bytes) -> ImportBatch | None:
    """The earlier import of this same file whose entries are in the draft, if any."""
    return already_in_draft(chronology_request, content)


class NothingChanged(Exception):
    """The draft is exactly the latest version: submitting it again would make an identical version."""

    def __init__(self, number: int) -> None:
        self.number = number
        super().__init__(f"Nothing has changed since version {number}: there is nothing new to submit")


@transaction.atomic
def submit(actor: Actor, chronology_request: ChronologyRequest, note: str = "") -> ChronologyVersion:
    """Freeze the draft as an immutable version, under the lock every import takes.

    The version number is taken under that lock, so two submits never race for it. Raises
    NothingChanged if the draft is the latest version as it was, RequestClosed once accepted.
    """
    lock_request(chronology_request)
    if chronology_request.status == Status.ACCEPTED:
        raise RequestClosed("the chronology has been accepted")
    latest = ChronologyVersion.objects.newest_of(chronology_request)
    if latest is not None and _same_as(chronology_request, latest):
        raise NothingChanged(latest.number)
    version = _freeze(actor, chronology_request, note)
    _analyse_composite(chronology_request.incident)
    return version


def _analyse_composite(incident: Incident) -> None:
    """Ask for the composite's analysis of the case as it now is (a task, after this transaction)."""
    case_changed.send(sender=ChronologyRequest, incident=incident)


def _same_as(chronology_request: ChronologyRequest, version: ChronologyVersion) -> bool:
    """Whether the draft holds exactly the entries of ``version``, field for field."""
    if chronology_request.draft_entries.count() != version.entry_count:
        return False
    names = ("code", *ROW_FIELDS)
    frozen = {row[0]: row[1:] for row in version.entries.values_list("entry_uid", *ROW_FIELDS)}
    return all(frozen.get(row[0]) == row[1:] for row in chronology_request.draft_entries.values_list(*names))


def _freeze(actor: Actor, chronology_request: ChronologyRequest, note: str) -> ChronologyVersion:
    number = (chronology_request.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    # The same order as PartialDate.sort_key: by the end of the span, finer dates first.
    drafts = list(chronology_request.draft_entries.order_by("date_end", "-date_start", "time", "id"))
    version = ChronologyVersion.objects.create(
        request=chronology_request,
        number=number,
        submitted_by=actor.user,
        entry_count=len(drafts),
        note=note,
    )
    VersionEntry.objects.bulk_create(
        [
            VersionEntry(version=version, position=i, entry_uid=d.code, **copy_fields(d))
            for i, d in enumerate(drafts)
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    # The draft's events are copied, never read again; entries still unread (an import's rows the
    # task has not reached yet) are read by the task before the composite uses them.
    if unread(version.entries.all()).exists():
        schedule_reading(chronology_request)
    chronology_request.status = Status.SUBMITTED
    chronology_request.first_submitted_on = chronology_request.first_submitted_on or timezone.localdate()
    chronology_request.save(update_fields=["status", "first_submitted_on"])
    record_as(
        actor,
        Action.CREATE,
        obj=version,
        partnership=chronology_request.incident.partnership,
        detail=f"submitted version {number} with {len(drafts)} entries",
    )
    return version


@transaction.atomic
def return_for_revision(
    actor: Actor,
    chronology_request: ChronologyRequest,
    feedback: str,
    due_on: dt.date,
    read_version: int | None = None,
) -> None:
    """Return the chronology as read (``read_version``): a submit or change since raises EditConflict."""
    claim(chronology_request, read_version, noun="chronology")
    chronology_request.status = Status.RETURNED
    chronology_request.feedback = feedback
    chronology_request.due_on = due_on
    chronology_request.save(update_fields=["status", "feedback", "due_on"])
    record_as(actor, Action.UPDATE, obj=chronology_request, detail=f"returned for revision: {feedback}")
    _tell_agency(
        chronology_request,
        f"Chronology returned for revision: case {chronology_request.incident.reference}",
        f"The business manager has returned your chronology for revision, due {due_on:%d/%m/%Y}.\n\nFeedback:\n{feedback}",
    )


@transaction.atomic
def accept(actor: Actor, chronology_request: ChronologyRequest, read_version: int | None = None) -> None:
    """Accept the chronology as read (``read_version``): a newer submission since raises EditConflict."""
    claim(chronology_request, read_version, noun="chronology")
    chronology_request.status = Status.ACCEPTED
    chronology_request.accepted_on = timezone.localdate()
    chronology_request.save(update_fields=["status", "accepted_on"])
    record_as(actor, Action.UPDATE, obj=chronology_request, detail="accepted")
    _analyse_composite(chronology_request.incident)


@transaction.atomic
def reopen_all(
    actor: Actor, incident: Incident, reason: str, due_on: dt.date, period_from: dt.date | None = None
) -> list[ChronologyRequest]:
    """Lesson III: reopen every agency's chronology with a request for a full contact extract."""
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").get()
    today = timezone.localdate()
    reopened = []
    latest_rounds = {}
    for existing in (
        ChronologyRequest.objects.filter(incident=incident)
        .select_related("agency")
        .order_by("agency_id", "round")
    ):
        latest_rounds[existing.agency_id] = existing
    for previous in latest_rounds.values():
        lock_request(
            previous
        )  # an import into the previous round lands wholly before this copy or not at all
        chronology_request = ChronologyRequest.objects.create(
            incident=incident,
            agency=previous.agency,
            round=previous.round + 1,
            period_from=period_from or previous.period_from,
            period_to=previous.period_to,
            scope=Scope.FULL,
            due_on=due_on,
            instructions=previous.instructions,
            preservation_notice=previous.preservation_notice,
            reason=reason,
            requested_on=today,
            requested_by=actor.user,
        )
        # The agency starts from what it last submitted (or its draft) rather than from nothing.
        last = ChronologyVersion.objects.newest_of(previous)
        source_rows: Iterable[Any] = last.entries.all() if last else previous.draft_entries.all()
        DraftEntry.objects.bulk_create(
            [
                DraftEntry(request=chronology_request, created_by=actor.user, **copy_fields(row))
                for row in source_rows
            ],
            batch_size=IMPORT_BATCH_SIZE,
        )
        record_as(
            actor,
            Action.CREATE,
            obj=chronology_request,
            partnership=incident.partnership,
            detail=f"reopened: {reason}",
        )
        _tell_agency(
            chronology_request,
            f"Chronology reopened for case {incident.reference}: full contact extract needed by {due_on:%d/%m/%Y}",
            f"The case has been accepted for review. Please extend your chronology to a full contact extract, "
            f"including routine case management.\n\nReason: {reason}",
        )
        reopened.append(chronology_request)
    return reopened


@transaction.atomic
def assign_reviewer(actor: Actor, incident: Incident, reviewer: User) -> ReviewerAssignment:
    assignment, created = ReviewerAssignment.objects.get_or_create(
        incident=incident, reviewer=reviewer, defaults={"assigned_by": actor.user}
    )
    if created:
        record_as(
            actor,
            Action.CREATE,
            obj=assignment,
            object_type="reviewer_assignment",
            object_id=str(incident.code),
            partnership=incident.partnership,
            detail=f"reviewer {reviewer.email}",
        )
    return assignment


# --- Comparing versions --------------------------------------------------------------------------

COMPARED_FIELDS = tuple(
    name
    for name in ROW_FIELDS
    if name not in {"date_start", "date_end", "source_row", "extra", "events", "events_version"}
)


@dataclass
class Comparison:
    added: list[VersionEntry] = field(default_factory=list)
    removed: list[VersionEntry] = field(default_factory=list)
    changed: list[tuple[VersionEntry, VersionEntry, list[str]]] = field(default_factory=list)
    unchanged: int = 0


def compare(older: ChronologyVersion, newer: ChronologyVersion) -> Comparison:
    """Added, removed and changed entries between two versions, matched by the draft entry they came from."""
    before = {e.entry_uid: e for e in older.entries.all()}
    after = {e.entry_uid: e for e in newer.entries.all()}
    result = Comparison()
    for uid, entry in after.items():
        if uid not in before:
            result.added.append(entry)
            continue
        changed = [name for name in COMPARED_FIELDS if getattr(before[uid], name) != getattr(entry, name)]
        if changed:
            result.changed.append((before[uid], entry, changed))
        else:
            result.unchanged += 1
    result.removed = [entry for uid, entry in before.items() if uid not in after]
    return result


# --- Timeliness (lesson II) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    request: ChronologyRequest
    aware_to_request: int  # working days from the local authority becoming aware to the request
    request_to_submission: int | None  # working days from request to first submission
    late: bool


def timeliness(incident: Incident, today: dt.date | None = None) -> list[Timeliness]:
    today = today or timezone.localdate()
    calendar = calendar_for(incident.partnership)
    rows = []
    for chronology_request in (
        ChronologyRequest.objects.filter(incident=incident)
        .select_related("agency")
        .order_by("agency__name", "round")
    ):
        submitted = chronology_request.first_submitted_on
        rows.append(
            Timeliness(
                chronology_request,
                calendar.working_days_between(incident.aware_on, chronology_request.requested_on),
                calendar.working_days_between(chronology_request.requested_on, submitted)
                if submitted
                else None,
                (submitted or today) > chronology_request.due_on,
            )
        )
    return rows


@dataclass(frozen=True)
class AgencyTimeliness:
    agency: Agency
    requests: int
    submitted: int
    late: int
    median_aware_to_request: float | None
    median_request_to_submission: float | None


def agency_timeliness(partnership: Any, today: dt.date | None = None) -> list[AgencyTimeliness]:
    """Across every case: how quickly each agency was asked, and how quickly it answered (lesson II)."""
    from statistics import median

    rows: dict[int, list[Timeliness]] = {}
    agencies: dict[int, Agency] = {}
    for incident in Incident.objects.filter(partnership=partnership):
        for row in timeliness(incident, today):
            rows.setdefault(row.request.agency_id, []).append(row)
            agencies[row.request.agency_id] = row.request.agency
    result = []
    for agency_id, found in rows.items():
        submissions = [r.request_to_submission for r in found if r.request_to_submission is not None]
        result.append(
            AgencyTimeliness(
                agencies[agency_id],
                len(found),
                len(submissions),
                sum(1 for r in found if r.late),
                median(r.aware_to_request for r in found),
                median(submissions) if submissions else None,
            )
        )
    return sorted(result, key=lambda r: r.agency.name)
