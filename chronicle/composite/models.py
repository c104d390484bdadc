"""What people decide about the composite chronology: annotations, links, findings, analysis, views.

The agencies' submitted entries are never changed; everything here sits beside them, keyed by
the entry's stable id (the draft entry it came from), so it survives resubmissions.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from chronicle.ui.concurrency import Versioned


class AnnotationKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    TAG = "tag", "Tag"
    STAR = "star", "Star"


class Annotation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    entry_uid = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=10, choices=AnnotationKind.choices)
    text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author}: {self.text[:40]}"


class LinkDecision(models.Model):
    """A person's confirmation or rejection of a proposed duplicate or conflict between two entries."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    first_uid = models.UUIDField()
    second_uid = models.UUIDField()
    kind = models.CharField(max_length=20)  # "duplicate" or "conflict"
    decision = models.CharField(max_length=20, choices=[("confirmed", "Confirmed"), ("rejected", "Rejected")])
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "first_uid", "second_uid"], name="link_decision_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.decision}"


class FindingDecision(models.Model):
    """A person's decision on a compliance finding the engine proposed: confirm, change or dismiss."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    rule_id = models.CharField(max_length=40)
    trigger_uid = models.UUIDField()
    decision = models.CharField(
        max_length=20,
        choices=[("confirmed", "Confirmed"), ("changed", "Changed"), ("dismissed", "Dismissed")],
    )
    proposed_status = models.CharField(max_length=40)
    status = models.CharField(max_length=40, help_text="The status a person settled on")
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "rule_id", "trigger_uid"], name="finding_decision_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.decision}"


class EntryAnalysis(Versioned):
    """The six headings for one composite entry, as the review team writes them (prefilled by findings)."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    entry_uid = models.UUIDField()
    practice_required = models.TextField(blank=True)
    record_shows_met = models.TextField(blank=True)
    gap = models.TextField(blank=True)
    staff_information = models.TextField(blank=True)
    learning_point = models.TextField(blank=True)
    multi_agency_point = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "entry_uid"], name="entry_analysis_once")]

    def __str__(self) -> str:
        return f"analysis of {self.entry_uid}"


class SavedView(models.Model):
    """A named set of filters on a case's composite chronology (Timesketch's saved views)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _new_key() -> str:
    return secrets.token_hex(32)


class PseudonymKey(models.Model):
    """The partnership's secret for consistent pseudonyms; only the partnership can reverse them."""

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, default=_new_key, editable=False)

    def __str__(self) -> str:
        return f"pseudonym key for {self.partnership}"


class CasePeople(models.Model):
    """The names to replace with pseudonyms in this case's exports (children, family, professionals)."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    names = models.TextField(blank=True, help_text="One person per line; aliases after a | on the same line")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"people in {self.incident}"


# --- The stored analysis ---------------------------------------------------------------------------
# The composite's analysis, made by a task and stored whole, keyed by a fingerprint of the exact
# versions and settings it was made from. Pages filter, sort and page it by the indexed columns;
# what pages only display is kept as JSON beside them. Rows are never changed once stored: a new
# analysis is stored beside the old one, which is deleted once the new one is ready.


class AnalysisState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being analysed"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class StoredAnalysis(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=AnalysisState.choices, default=AnalysisState.QUEUED)
    version_ids = models.JSONField(default=list)  # the ChronologyVersion pks it was made from
    entry_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)  # counts the pages show for the whole composite
    timings = models.JSONField(default=dict)  # seconds per stage, for the operator
    # The rest of the analysis that has no table of its own (the links as the core made them), so
    # downloads and the Panel pack rebuild it whole. Pages never read it.
    rest = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "fingerprint"], name="stored_analysis_once")
        ]
        indexes = [models.Index(fields=["incident", "state", "finished_at"], name="stored_analysis_latest")]

    def __str__(self) -> str:
        return f"analysis {self.fingerprint[:8]} of {self.incident} ({self.state})"


class AnalysedEntry(models.Model):
    """One composite entry in date order, with what the pages filter by as columns."""

    analysis = models.ForeignKey(StoredAnalysis, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()  # its place in the composite (date order)
    uid = models.UUIDField()  # the entry's stable id: decisions and annotations key on it
    agency = models.CharField(max_length=200)
    event_type = models.CharField(max_length=60, blank=True)  # the agency's code, else the main type read
    span_start = models.DateField()  # the first and last day the entry may cover
    span_end = models.DateField()
    flags = models.BigIntegerField(default=0)  # a bit per filter flag (see composite.stored.FLAG_BITS)
    search_text = models.TextField(blank=True)  # the words people search, casefolded
    reference = models.CharField(max_length=300, blank=True)  # "Police 3 May 2016, row 4"
    date_words = models.CharField(max_length=60, blank=True)  # its date as people read it
    picker_text = models.TextField(blank=True)  # how the evidence picker lists it, casefolded
    cluster = models.PositiveIntegerField(null=True)  # the number of the cluster it is an account in
    detail = models.JSONField()  # the entry as recorded, its events and how they read

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["analysis", "position"], name="analysed_entry_position"),
        ]
        indexes = [
            models.Index(fields=["analysis", "uid"], name="analysed_entry_uid"),
            models.Index(fields=["analysis", "agency", "position"], name="analysed_entry_agency"),
            models.Index(fields=["analysis", "event_type", "position"], name="analysed_entry_type"),
            models.Index(fields=["analysis", "span_end", "span_start"], name="analysed_entry_span"),
        ]

    def __str__(self) -> str:
        return f"entry {self.position} ({self.agency})"


class AnalysedCluster(models.Model):
    """Entries that seem to record one event (its accounts), and the conflicts between them."""

    analysis = models.ForeignKey(StoredAnalysis, on_delete=models.CASCADE, related_name="clusters")
    number = models.PositiveIntegerField()  # its place in the analysis's clusters
    first_position = models.PositiveIntegerField()  # the first account
    members = models.JSONField()  # the accounts' positions, the first account first
    conflicts = models.PositiveIntegerField(default=0)
    words = models.TextField()  # "One event, 3 accounts: Police, Health, ..."
    detail = models.JSONField()  # the cluster whole: each later account's link with the first, the conflicts

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["analysis", "number"], name="analysed_cluster_number"),
        ]

    def __str__(self) -> str:
        return self.words


class AnalysedLink(models.Model):
    """A later account of a cluster compared with its first ("duplicate"), or two accounts that differ
    ("conflict"), by position and stable id: what people confirm or reject."""

    analysis = models.ForeignKey(StoredAnalysis, on_delete=models.CASCADE, related_name="links")
    cluster = models.PositiveIntegerField(default=0)  # the number of its AnalysedCluster
    kind = models.CharField(max_length=20)
    first_position = models.PositiveIntegerField()
    second_position = models.PositiveIntegerField()
    first_uid = models.UUIDField()
    second_uid = models.UUIDField()
    score = models.PositiveSmallIntegerField(default=0)
    label = models.TextField(blank=True)  # how the evidence picker lists it (and finds it by words)
    detail = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["analysis", "first_position"], name="analysed_link_first"),
            models.Index(fields=["analysis", "second_position"], name="analysed_link_second"),
            models.Index(fields=["analysis", "first_uid", "second_uid"], name="analysed_link_uids"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.first_position}/{self.second_position}"


class AnalysedFinding(models.Model):
    analysis = models.ForeignKey(StoredAnalysis, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField()  # its place in the findings (date order)
    rule_id = models.CharField(max_length=40)
    status = models.CharField(max_length=40)
    trigger_position = models.PositiveIntegerField()
    trigger_uid = models.UUIDField()
    agency = models.CharField(max_length=200, default="")  # the trigger's agency
    evidence_position = models.PositiveIntegerField(null=True)
    accounts = models.JSONField(default=list)  # every account of its event that gave it, trigger first
    detail = models.JSONField()  # the finding whole

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["analysis", "number"], name="analysed_finding_number"),
        ]
        indexes = [
            models.Index(fields=["analysis", "status", "number"], name="analysed_finding_status"),
            models.Index(fields=["analysis", "rule_id", "number"], name="analysed_finding_rule"),
            models.Index(fields=["analysis", "trigger_position"], name="analysed_finding_trigger"),
            models.Index(fields=["analysis", "evidence_position"], name="analysed_finding_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.status}"


class AnalysedScorecard(models.Model):
    analysis = models.ForeignKey(StoredAnalysis, on_delete=models.CASCADE, related_name="scorecards")
    agency = models.CharField(max_length=200)
    detail = models.JSONField()  # the scorecard whole, and the stable ids of the entries its points name

    class Meta:
        indexes = [models.Index(fields=["analysis", "agency"], name="analysed_scorecard_agency")]

    def __str__(self) -> str:
        return f"scorecard of {self.agency}"


class AnalysedSilence(models.Model):
    """A silent period (no entry from any agency) or a contact the rules expected and the record lacks."""

    analysis = models.ForeignKey(StoredAnalysis, on_delete=models.CASCADE, related_name="silences")
    kind = models.CharField(max_length=20)  # "no_entries" or "expected_contact"
    number = models.PositiveIntegerField()
    start = models.DateField()
    end = models.DateField()
    detail = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["analysis", "kind", "number"], name="analysed_silence_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.start} to {self.end}"


class AnalysedTimeline(models.Model):
    """The timeline's plan for the whole case (year and month 0), a year (month 0) or a month: its
    lanes, days and marks with their titles in words, so the page draws it without reading entries."""

    analysis = models.ForeignKey(StoredAnalysis, on_delete=models.CASCADE, related_name="timelines")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    plan = models.JSONField()  # see composite.timeline.plan

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["analysis", "year", "month"], name="analysed_timeline_window"),
        ]

    def __str__(self) -> str:
        return f"timeline {self.year}/{self.month}"
