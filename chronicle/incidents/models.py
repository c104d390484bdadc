"""Serious incidents, their screening decisions, notifications and clocks (lesson I)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from chronicle.accounts.models import AGENCY_ROLES, Role
from chronicle.accounts.rules import memberships_of
from chronicle.core.harm import AbuseOrNeglect, Outcome
from chronicle.ui.concurrency import Versioned

OUTCOME_CHOICES = [(item.value, item.label) for item in Outcome]
ABUSE_CHOICES = [(item.value, item.label) for item in AbuseOrNeglect]


class ClosureDay(models.Model):
    """A day the partnership does not count as a working day (beyond England's bank holidays)."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="closure_days"
    )
    day = models.DateField()
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["partnership", "day"], name="closure_day_unique")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.reason}"


# The roles that read a whole case of their partnership: its composite chronology and rapid review.
CASE_READER_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.AUDITOR, Role.STATUTORY_PARTNER})


class IncidentQuerySet(models.QuerySet["Incident"]):
    """The questions asked of cases everywhere: which a person may see, and which they may read whole.

    Each partnership a person belongs to is taken on its own: a role in one grants nothing in another.
    """

    def visible_to(self, user: Any) -> IncidentQuerySet:
        """The incidents a person may see on the incident pages and the dashboard.

        Managers and auditors: every incident of their partnership. Agency staff: their agency's
        reports, and cases their agency was asked for a chronology of. Reviewers: cases assigned to them.
        """
        memberships = memberships_of(user)
        if not memberships:
            return self.none()
        visible = Q(pk__in=[])
        for partnership_id in sorted({m.partnership_id for m in memberships}):
            roles = {m.role for m in memberships if m.partnership_id == partnership_id}
            if roles & {Role.BUSINESS_MANAGER, Role.AUDITOR}:
                visible |= Q(partnership_id=partnership_id)
                continue
            agency_ids = [
                m.agency_id
                for m in memberships
                if m.partnership_id == partnership_id and m.agency_id is not None and m.role in AGENCY_ROLES
            ]
            shared = Incident.objects.filter(
                Q(chronology_requests__agency_id__in=agency_ids)
                | Q(reviewer_assignments__reviewer_id=user.pk)
            ).values("pk")
            visible |= Q(partnership_id=partnership_id) & (
                Q(reporting_agency_id__in=agency_ids) | Q(pk__in=shared)
            )
        return self.filter(visible)

    def assigned_to(self, user: Any) -> IncidentQuerySet:
        """The cases a person reviews: assigned to them, in a partnership where they are a reviewer."""
        reviewing = sorted({m.partnership_id for m in memberships_of(user) if m.role == Role.REVIEWER})
        if not reviewing:
            return self.none()
        # A subquery rather than a join, so each case is listed once whatever else is filtered.
        assigned = Incident.objects.filter(reviewer_assignments__reviewer_id=user.pk).values("pk")
        return self.filter(partnership_id__in=reviewing, pk__in=assigned)

    def readable_by(self, user: Any) -> IncidentQuerySet:
        """The cases a person may read whole (composite chronology, rapid review, files made from them).

        The business manager, auditors and statutory partner representatives of the case's
        partnership, and independent reviewers assigned to the case. Agencies read their own
        chronology only, so they are not here.
        """
        whole = sorted({m.partnership_id for m in memberships_of(user) if m.role in CASE_READER_ROLES})
        return self.filter(
            Q(partnership_id__in=whole) | Q(pk__in=Incident.objects.assigned_to(user).values("pk"))
        )


class Incident(Versioned):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="incidents"
    )
    reference = models.CharField(
        max_length=60,
        help_text="A pseudonymous case reference, for example NS-2024-017. Never a child's name.",
    )
    occurred_on = models.DateField("Date of the incident")
    aware_on = models.DateField("Date the local authority became aware")
    in_england = models.BooleanField("The incident happened in England", default=True)
    outcome = models.CharField(max_length=30, choices=OUTCOME_CHOICES)
    harm_categories = models.JSONField(default=list, blank=True)
    description = models.TextField("What happened")
    abuse_or_neglect = models.CharField(max_length=20, choices=ABUSE_CHOICES)
    concern_about_working_together = models.BooleanField(
        "Concern about how agencies worked together", null=True, blank=True
    )
    reporting_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    reporter_name = models.CharField("Reported by", max_length=200)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    retrospective = models.BooleanField(
        default=False,
        help_text="Recorded after the event, for example when a past case is found by the threshold audit.",
    )
    rapid_review_sent_on = models.DateField(
        "Date the rapid review was sent to the Panel", null=True, blank=True
    )
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-aware_on", "-reported_at"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="incident_reference_unique"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def youngest_child(self) -> Child | None:
        children = [c for c in self.children.all() if c.born_on]
        return max(children, key=lambda c: c.born_on or dt.date.min) if children else None

    def latest_screening(self) -> Screening | None:
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("screenings")
        if prefetched is not None:  # a list of many cases prefetches them: no query per case
            return max(prefetched, key=lambda s: s.version, default=None)
        return self.screenings.order_by("-version").first()


class ReviewerAssignment(models.Model):
    """An independent reviewer assigned to a case: it lets them read the case (see IncidentQuerySet).

    Kept in the tables it was first made in (chronologies'), so moving it here changed no data.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reviewer_assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="chronologies_historicalreviewerassignment")

    class Meta:
        db_table = "chronologies_reviewerassignment"
        constraints = [
            models.UniqueConstraint(fields=["incident", "reviewer"], name="reviewer_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.incident}"


class Child(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="children")
    label = models.CharField(max_length=40, help_text="A pseudonym such as Child A")
    born_on = models.DateField("Date of birth", null=True, blank=True)
    age_years = models.PositiveSmallIntegerField("Age in years", null=True, blank=True)
    looked_after = models.BooleanField(default=False)
    care_leaver = models.BooleanField(default=False)
    disability = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class ScreeningOutcomeChoice(models.TextChoices):
    NOTIFIABLE = "notifiable", "Notifiable"
    NOT_NOTIFIABLE = "not_notifiable", "Not notifiable"
    MORE_INFORMATION = "more_information", "More information needed"


class Screening(models.Model):
    """One screening decision. Decisions are never changed: a new decision is a new version."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="screenings")
    version = models.PositiveIntegerField()
    regime = models.CharField(max_length=40)
    answers = models.JSONField(
        help_text="criterion id -> {answer, evidence, proposed, reason, question, source, verified}"
    )
    outcome = models.CharField(max_length=20, choices=ScreeningOutcomeChoice.choices)
    engine_outcome = models.CharField(max_length=20, choices=ScreeningOutcomeChoice.choices)
    review_duty = models.TextField()
    scr = models.CharField(max_length=20, blank=True)
    rationale = models.TextField(blank=True)
    notify_to = models.JSONField(default=list)
    notify_by = models.DateField(null=True, blank=True)
    rapid_review_by = models.DateField(null=True, blank=True)
    warnings = models.JSONField(default=list)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "version"], name="screening_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.incident} screening v{self.version}: {self.get_outcome_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("a screening decision is never changed: record a new decision instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("a screening decision is never deleted")


class Notification(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="notifications")
    recipient = models.CharField(max_length=100)
    sent_on = models.DateField()
    reference = models.CharField(
        max_length=100, blank=True, help_text="The reference the recipient gave, if any"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.recipient} on {self.sent_on:%d/%m/%Y}"


class ReminderSent(models.Model):
    """One reminder email for one clock at one stage, so `chronicle remind` never sends it twice."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", null=True)
    subject_code = models.UUIDField(help_text="The incident or chronology request the clock belongs to")
    clock = models.CharField(max_length=40)
    stage = models.CharField(max_length=20)
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_code", "clock", "stage", "deadline"], name="reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clock} {self.stage} reminder for {self.deadline:%d/%m/%Y}"


class ThresholdDismissal(models.Model):
    """A person's reasoned decision that a threshold-audit match is not a missed serious incident."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)  # "incident" or "entry"
    subject_code = models.UUIDField()
    reason = models.TextField()
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_code"], name="threshold_dismissal_once")
        ]

    def __str__(self) -> str:
        return f"dismissed {self.kind} {self.subject_code}"
