from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "chronicle.web"
    label = "web"
    verbose_name = "Pages shared by every part of Chronicle"
