from __future__ import annotations

from django.apps import AppConfig


class ChronologiesConfig(AppConfig):
    name = "chronicle.chronologies"
    label = "chronologies"
    verbose_name = "Agency chronologies"
