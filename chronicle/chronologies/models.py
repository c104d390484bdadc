"""Chronology requests, agencies' draft entries, and immutable submitted versions (lessons II, III, IV)."""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from chronicle.core.event_types import EVENT_TYPES
from chronicle.incidents.models import Incident
from chronicle.ui.concurrency import Versioned

EVENT_TYPE_CHOICES = list(EVENT_TYPES.items())


class Scope(models.TextChoices):
    SIGNIFICANT = "significant", "Significant events only"
    FULL = "full", "Full contact extract: every contact and routine case management in the period"


class Status(models.TextChoices):
    REQUESTED = "requested", "Requested"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for revision"
    ACCEPTED = "accepted", "Accepted"


OPEN_STATUSES = (Status.REQUESTED, Status.IN_PROGRESS, Status.RETURNED)

PRESERVATION_NOTICE = (
    "Preserve every record about the children and family named in this request, in every system and format, "
    "until the partnership tells you in writing that the review is complete. Do not delete, amend or archive "
    "them, and suspend any routine deletion that would affect them."
)


class ChronologyRequest(Versioned):
    """A request to one agency for its chronology of one case. A revisit is a new round."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, related_name="chronology_requests"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="chronology_requests"
    )
    round = models.PositiveSmallIntegerField(default=1)
    period_from = models.DateField("Period covered from")
    period_to = models.DateField("Period covered to")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    due_on = models.DateField("Due")
    instructions = models.TextField(blank=True)
    preservation_notice = models.TextField(default=PRESERVATION_NOTICE)
    reason = models.TextField(blank=True, help_text="Why the chronology was reopened (revisits)")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    feedback = models.TextField(
        blank=True, help_text="The business manager's feedback when returned for revision"
    )
    requested_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_submitted_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "round"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "agency", "round"], name="request_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} chronology for {self.incident} (round {self.round})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def mark_in_progress(self) -> None:
        """The agency has started: its first entry or import moves a request on from "requested"."""
        if self.status == Status.REQUESTED:
            self.status = Status.IN_PROGRESS
            self.save(update_fields=["status"])


class EntryFields(models.Model):
    """The canonical chronology entry (design §4), as stored. See chronicle.core.entries.Entry."""

    date_text = models.CharField(
        "Date", max_length=20, help_text="ISO with precision: 2016-05-22, 2016-05, 2016; ? if uncertain"
    )
    date_start = models.DateField(db_index=True)
    date_end = models.DateField()
    time = models.TimeField(null=True, blank=True)
    end_date_text = models.CharField(max_length=20, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    event_type = models.CharField(max_length=40, blank=True, choices=EVENT_TYPE_CHOICES)
    description = models.TextField()
    # Free text from agencies' files: no length limit, so no import fails on a long cell.
    source = models.TextField("Source of information")
    entry_ref = models.TextField(blank=True)
    action = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    significance = models.TextField(blank=True)
    child_seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    child_voice = models.TextField(blank=True)
    first_hand = models.BooleanField(null=True, blank=True)
    recorded_by = models.TextField(blank=True)
    recorded_on = models.DateField(null=True, blank=True)
    significant = models.BooleanField(null=True, blank=True)
    kind = models.CharField(max_length=20, default="record")
    practice_required = models.TextField(blank=True)
    record_shows_met = models.TextField(blank=True)
    gap = models.TextField(blank=True)
    staff_information = models.TextField(blank=True)
    learning_point = models.TextField(blank=True)
    multi_agency_point = models.TextField(blank=True)
    # Practitioner information (lesson II): who gave it, who obtained it, how, when, and how sure it is.
    given_by_role = models.TextField(blank=True)
    obtained_by = models.TextField(blank=True)
    obtained_how = models.CharField(max_length=40, blank=True)
    captured_on = models.DateField(null=True, blank=True)
    information_status = models.CharField(max_length=20, blank=True)
    addresses = models.TextField(blank=True, help_text="The entries or gaps this information addresses")
    source_row = models.PositiveIntegerField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # The agency's own event-type value exactly as written in its file, kept beside the code.
    agency_event_type = models.TextField("Agency's own event type", blank=True)
    # The events read from the entry's words (chronicle.core.events JSON), read once and reused by
    # the composite, the rules and the exports; null until read. ``events_version`` names the
    # extractor that read them, so entries read by an older one can be read again.
    events = models.JSONField(null=True, blank=True, editable=False)
    events_version = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        abstract = True


class ImportBatch(models.Model):
    """One file imported into a draft: the file as sent, how its columns were read, who, when.

    Stored in one transaction with its entries as draft rows (chronologies.imports.store_import).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ChronologyRequest, on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(default=b"", help_text="The file exactly as the agency sent it")
    entries = models.PositiveIntegerField()
    # Column index -> field name, "ignore" or "extra": every decision needed to read the file again.
    mapping = models.JSONField(default=dict)
    # The agency's own event-type values and the codes it said they mean ("" = left uncoded).
    event_type_codes = models.JSONField(default=dict, blank=True)
    replaced_draft = models.BooleanField(default=False)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.entries} entries)"


class DraftEntry(EntryFields, Versioned):
    """An entry in an agency's working draft; visible only to that agency until submitted."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ChronologyRequest, on_delete=models.CASCADE, related_name="draft_entries")
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # Edits in the browser are kept; imported entries are recorded by their import batch.
    history = HistoricalRecords(excluded_fields=["updated_at", "events", "events_version"])

    class Meta:
        ordering = ["date_end", "-date_start", "time", "id"]

    def __str__(self) -> str:
        return f"{self.date_text}: {self.description[:60]}"


class AgencyEventType(models.Model):
    """What one of an agency's own event-type values means, as the agency said: used for its next files.

    ``code`` is blank when the agency chose to leave the value uncoded (its entries' events are then
    read from their words). Values are matched ignoring case, spaces and punctuation (``key``).
    """

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="event_type_codes")
    key = models.CharField(max_length=200)
    value = models.TextField(help_text="The value as the agency first wrote it")
    code = models.CharField(max_length=40, blank=True, choices=EVENT_TYPE_CHOICES)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "key"]
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="agency_event_type_unique")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.value} = {self.code or 'uncoded'}"


class PendingUpload(models.Model):
    """An uploaded file waiting for its headings to be mapped. Removed once imported or abandoned."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ChronologyRequest, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    replace_draft = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename


class ImmutableRecord(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("a submitted chronology is never changed: submit a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("a submitted chronology is never deleted")


class ChronologyVersionQuerySet(models.QuerySet["ChronologyVersion"]):
    """The questions asked of submitted versions everywhere."""

    def current(self) -> ChronologyVersionQuerySet:
        """Each agency's current version of its chronology for a case: its newest in the latest round.

        A revisit (a later round) replaces the agency's earlier chronology, so the composite, the
        threshold audit and the Panel pack read only these.
        """
        newer = ChronologyVersion.objects.filter(
            request__incident_id=OuterRef("request__incident_id"),
            request__agency_id=OuterRef("request__agency_id"),
        ).filter(
            Q(request__round__gt=OuterRef("request__round"))
            | Q(request__round=OuterRef("request__round"), number__gt=OuterRef("number"))
        )
        return self.filter(~Exists(newer))

    def current_for(self, incident: Incident) -> ChronologyVersionQuerySet:
        """The current version of each agency's chronology for the case, by agency name."""
        return (
            self.filter(request__incident=incident)
            .current()
            .select_related("request__agency")
            .order_by("request__agency__name", "request__agency_id")
        )

    def newest_of(self, chronology_request: ChronologyRequest) -> ChronologyVersion | None:
        """The newest version submitted for one request (one round of one agency's chronology)."""
        return self.filter(request=chronology_request).order_by("-number").first()


class ChronologyVersion(ImmutableRecord):
    """A submitted chronology, frozen: the entries as submitted, who submitted them and when."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ChronologyRequest, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    entry_count = models.PositiveIntegerField()
    note = models.TextField(blank=True)

    objects = ChronologyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["request", "number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.request.agency} version {self.number}"


class VersionEntry(EntryFields, ImmutableRecord):
    version = models.ForeignKey(ChronologyVersion, on_delete=models.PROTECT, related_name="entries")
    position = models.PositiveIntegerField()
    entry_uid = models.UUIDField(help_text="The draft entry this came from, so versions can be compared")

    class Meta:
        ordering = ["version", "position"]
        indexes = [models.Index(fields=["version", "position"])]

    def __str__(self) -> str:
        return f"{self.date_text}: {self.description[:60]}"
