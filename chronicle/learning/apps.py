from __future__ import annotations

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "chronicle.learning"
    label = "learning"
    verbose_name = "Learning register"
