from __future__ import annotations

from django.apps import AppConfig


class CompositeConfig(AppConfig):
    name = "chronicle.composite"
    label = "composite"
    verbose_name = "Composite chronology and analysis"
