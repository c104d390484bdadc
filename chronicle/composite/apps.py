from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CompositeConfig(AppConfig):
    name = "chronicle.composite"
    label = "composite"
    verbose_name = "Composite chronology and analysis"

    def ready(self) -> None:
        from chronicle.incidents.models import ClosureDay

        # Closure days move working-day deadlines, so findings change: analyse the partnership's cases again.
        post_save.connect(_closure_days_changed, sender=ClosureDay, dispatch_uid="composite-closure-saved")
        post_delete.connect(
            _closure_days_changed, sender=ClosureDay, dispatch_uid="composite-closure-deleted"
        )


def _closure_days_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from chronicle.composite.services import schedule_partnership

    schedule_partnership(instance.partnership_id)
