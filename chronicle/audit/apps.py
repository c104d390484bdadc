from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "chronicle.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from chronicle.audit import signals  # noqa: F401  (connects sign-in and sign-out events)
