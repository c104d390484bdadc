from __future__ import annotations

from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "chronicle.ui"
    label = "ui"
    verbose_name = "The GOV.UK form kit every part of Chronicle uses"
