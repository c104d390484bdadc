"""Files made by the worker (Panel packs, composite chronologies) and who asked for them.

A job is asked for on a page, made by a task, kept for ``settings.EXPORT_KEEP_DAYS`` and then
deleted. Asking again for the same file while one is being made gives the one being made.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobKind(models.TextChoices):
    PANEL_PACK = "panel_pack", "Panel pack"
    COMPOSITE = "composite", "Composite chronology"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Not made"
    EXPIRED = "expired", "Deleted"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fmt = models.CharField(max_length=8)
    pseudonymise = models.BooleanField(default=True)
    filters = models.JSONField(default=dict, blank=True)  # the export page's filters (composite only)
    # Who asked, with their address and browser, so the task's audit events name them.
    actor = models.JSONField(default=dict, blank=True)
    request_key = models.CharField(max_length=64, db_index=True)  # the same person asking the same thing
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    progress = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the task's last sign of life
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Posting twice gives the file already being made, even when both posts arrive at once.
            models.UniqueConstraint(
                fields=["request_key"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_job_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.fmt.upper()}) for {self.incident}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def path(self) -> Path:
        return Path(settings.EXPORTS_DIR) / f"{self.code}.{self.fmt}"
