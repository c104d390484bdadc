from __future__ import annotations

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "chronicle.incidents"
    label = "incidents"
    verbose_name = "Serious incidents"
