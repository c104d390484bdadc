"""Partnerships, agencies, people and their roles (design §2)."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from chronicle.core.references import DEFAULT_PATTERN, PatternError, check_pattern


def validate_reference_pattern(value: str) -> None:
    try:
        check_pattern(value)
    except PatternError as error:
        raise ValidationError(str(error)) from None


class Partnership(models.Model):
    """A local safeguarding children partnership (an LSCB before 2019). Its data is invisible to others."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    # Local parameters: defaults follow the rule book; partnerships change them here.
    request_due_working_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days an agency has to return a chronology."
    )
    rapid_review_clock_start = models.CharField(
        max_length=20,
        choices=[
            ("notification", "Date the Panel was notified"),
            ("awareness", "Date the local authority became aware"),
        ],
        default="notification",
        help_text="Sources disagree on when the 15 working days start (rule book RR-01).",
    )
    case_reference_pattern = models.CharField(
        max_length=60,
        default=DEFAULT_PATTERN,
        validators=[validate_reference_pattern],
        help_text="How Chronicle makes each new case's reference: {year} is the year the local authority "
        "became aware, {number} counts that year's cases (with a width, {number:03} gives 001).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyType(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH_TRUST = "health_trust", "Health provider trust"
    ICB = "icb", "Integrated care board"
    GP_PRACTICE = "gp_practice", "GP practice"
    EDUCATION = "education", "School or education"
    EARLY_YEARS = "early_years", "Early years"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    AMBULANCE = "ambulance", "Ambulance"
    OTHER = "other", "Other"


class Agency(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    agency_type = models.CharField(max_length=40, choices=AgencyType.choices)
    is_statutory_partner = models.BooleanField(
        default=False,
        help_text="The local authority, integrated care board or chief officer of police (Children Act 2004 s16E).",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique_in_partnership")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    BUSINESS_MANAGER = "business_manager", "Business manager"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    CONTRIBUTOR = "contributor", "Contributor"
    STATUTORY_PARTNER = "statutory_partner", "Statutory partner representative"
    REVIEWER = "reviewer", "Independent reviewer"
    AUDITOR = "auditor", "Auditor"


# Roles that act for one agency and so must name it.
AGENCY_ROLES = frozenset({Role.AGENCY_LEAD, Role.CONTRIBUTOR, Role.STATUTORY_PARTNER})


class UserManagerByEmail(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person who signs in with their work email address (stored as the username)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job_title = models.CharField(max_length=200, blank=True)

    objects: ClassVar[UserManagerByEmail] = UserManagerByEmail()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email or self.username


class Membership(models.Model):
    """A person's role in a partnership, for one agency where the role needs it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "agency", "role"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.agency})" if self.agency_id else ""
        return f"{self.get_role_display()}{where}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> object:
    return timezone.now() + timedelta(days=7)


class Invitation(models.Model):
    """An invitation to join a partnership in a role; accepted through a link sent by email."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
