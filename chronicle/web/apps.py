from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "chronicle.web"
    label = "web"
    verbose_name = "The site shell: dashboard, demo, serving and error pages"
