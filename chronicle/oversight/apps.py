from __future__ import annotations

from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "chronicle.oversight"
    label = "oversight"
    verbose_name = "Oversight across cases: deadline reminders, the threshold audit, the dashboard's cases"
