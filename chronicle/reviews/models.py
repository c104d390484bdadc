"""The rapid review and the decision record for the National Panel (lesson V), and the learning register."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from chronicle.core.plain_words import day_words
from chronicle.ui.concurrency import Versioned


class PartnerKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    ICB = "icb", "Integrated care board"
    POLICE = "police", "Chief officer of police"


STATUTORY_PARTNERS = [PartnerKind.LOCAL_AUTHORITY, PartnerKind.ICB, PartnerKind.POLICE]


class RapidReview(Versioned):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.PROTECT, related_name="rapid_review"
    )
    regime = models.CharField(max_length=40)
    started_on = models.DateField(help_text="Day 0 of the 15 working days")
    due_on = models.DateField()
    summary = models.TextField("Case summary", blank=True)
    immediate_action = models.TextField("Immediate safeguarding action and learning shared", blank=True)
    context = models.TextField("Context: race, ethnicity, disability and other inequalities", blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Finalised with things still outstanding: what they were, and the business manager's reasons.
    finalised_despite = models.JSONField(default=list, blank=True)
    override_reasons = models.TextField("Why the record was finalised with things outstanding", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Rapid review of {self.incident}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    def current_decision(self) -> Decision | None:
        return self.decisions.order_by("-version").first()


class Meeting(Versioned):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=200, default="Rapid review meeting")
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.title}, {day_words(self.held_on)}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    partner = models.CharField(
        max_length=20,
        choices=PartnerKind.choices,
        blank=True,
        help_text="Which statutory partner they represent, if any",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class AgendaItem(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)  # "multi_agency", "conflict", "not_met", "gap", "free"
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    reference = models.CharField(
        max_length=200, blank=True, help_text="The finding, link or entry it came from"
    )
    minutes = models.TextField(blank=True)
    # No longer proposed by the analysis (a chronology changed it): kept, with its minutes, and marked.
    withdrawn = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class Consideration(Versioned):
    """One criterion, as the partners considered it."""

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="considerations")
    criterion_id = models.CharField(max_length=20)
    question = models.TextField()
    source = models.CharField(max_length=200)
    verified = models.BooleanField(default=True)
    answer = models.CharField(
        max_length=10, choices=[("yes", "Yes"), ("no", "No"), ("maybe", "May do")], blank=True
    )
    discussion = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion_id"], name="consideration_once")]

    def __str__(self) -> str:
        return self.criterion_id

    @property
    def is_considered(self) -> bool:
        return bool(self.answer and self.discussion.strip())


class DecisionOutcome(models.TextChoices):
    LOCAL_REVIEW = "local_review", "Local child safeguarding practice review"
    ALTERNATIVE = (
        "alternative",
        "Alternative learning (peer-learning event, thematic or single-agency review)",
    )
    NO_FURTHER_REVIEW = "no_further_review", "No further review"
    NATIONAL_REVIEW = "national_review", "Recommend a national review to the Panel"
    SCR = "scr", "Serious Case Review (pre-2018 regimes)"


class Decision(models.Model):
    """A version of the decision. A change is a new version; earlier ones are kept."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(RapidReview, on_delete=models.PROTECT, related_name="decisions")
    version = models.PositiveIntegerField()
    outcome = models.CharField(max_length=30, choices=DecisionOutcome.choices)
    alternative_kind = models.CharField(max_length=100, blank=True)
    rationale = models.TextField()
    decided_on = models.DateField()
    sent_to_panel_on = models.DateField(null=True, blank=True)
    panel_response = models.TextField(blank=True)
    panel_response_on = models.DateField(null=True, blank=True)
    family_told = models.CharField("How and when the family was told", max_length=300, blank=True)
    ofsted_told = models.CharField("How and when Ofsted was told", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version"]
        constraints = [models.UniqueConstraint(fields=["review", "version"], name="decision_version_once")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (version {self.version})"


# What a person records about a decision, beyond its reasons.
DECISION_FIELDS = (
    "outcome",
    "alternative_kind",
    "rationale",
    "decided_on",
    "sent_to_panel_on",
    "panel_response",
    "panel_response_on",
    "family_told",
    "ofsted_told",
)


class Reason(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reasons")
    position = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text[:60]


class Evidence(models.Model):
    """A link from a consideration or a reason to what it rests on in the case record."""

    KINDS = [
        ("entry", "Chronology entry"),
        ("finding", "Compliance finding"),
        ("link", "Duplicate or conflict"),
        ("screening", "Screening record"),
    ]
    consideration = models.ForeignKey(
        Consideration, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    reason = models.ForeignKey(
        Reason, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(max_length=20, choices=KINDS)
    reference = models.CharField(max_length=200, help_text="entry uid, finding rule/uid, or link uids")
    label = models.TextField(
        help_text="What the evidence says, frozen when linked, so the record reads the same later"
    )

    def __str__(self) -> str:
        return self.label[:60]


class PoolItem(models.Model):
    """One piece of evidence chosen for a review: reasons and criteria cite the review's pool."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="pool")
    kind = models.CharField(max_length=20, choices=Evidence.KINDS)
    reference = models.CharField(max_length=200)
    label = models.TextField(help_text="What the evidence says, frozen when chosen")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "kind", "reference"], name="pool_item_once")]

    def __str__(self) -> str:
        return self.label[:60]

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.reference}"


class PartnerPosition(Versioned):
    """A statutory partner's position on a decision version, and their sign-off."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    partner = models.CharField(max_length=20, choices=PartnerKind.choices)
    representative = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField()
    reasons = models.TextField(blank=True)
    signed_off_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "partner"], name="position_once_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.get_partner_display()}: {'agrees' if self.agrees else 'disagrees'}"


class LearningKind(models.TextChoices):
    REFLECTIVE = "reflective", "Reflective learning point"
    BREACH = "breach", "Serious breach of safe practice"


THEMES = [
    ("information_sharing", "Information sharing"),
    ("risk_assessment", "Risk assessment"),
    ("child_voice", "The child's voice and lived experience"),
    ("non_mobile_bruising", "Bruising or injury in non-mobile babies"),
    ("invisible_men", "Fathers and male carers ('invisible men')"),
    ("domestic_abuse", "Domestic abuse"),
    ("neglect", "Neglect"),
    ("escalation", "Professional challenge and escalation"),
    ("timeliness", "Timeliness of statutory processes"),
    ("safe_sleep", "Safe sleeping"),
    ("exploitation", "Criminal or sexual exploitation"),
    ("mental_health", "Parental or child mental health"),
    ("other", "Other"),
]


class LearningPoint(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="learning_points"
    )
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, related_name="learning_points"
    )
    kind = models.CharField(max_length=20, choices=LearningKind.choices)
    theme = models.CharField(max_length=40, choices=THEMES)
    text = models.TextField("Learning point")
    agencies = models.ManyToManyField("accounts.Agency", related_name="+")
    evidence = models.TextField(blank=True, help_text="The entries and findings it rests on")
    national_significance = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class LearningAction(Versioned):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learning_point = models.ForeignKey(LearningPoint, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("Action")
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.text[:60]
