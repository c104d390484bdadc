from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chronicle.jobs"
    label = "jobs"
    verbose_name = "Files made in the background"
