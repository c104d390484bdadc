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
