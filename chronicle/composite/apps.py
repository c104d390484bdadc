from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CompositeConfig(AppConfig):
    name = "chronicle.composite"
    label = "composite"
    verbose_name = "Composite chronology and analysis"

    def ready(self) -> None:
        from chronicle.chronologies.signals import case_changed
        from chronicle.incidents.models import ClosureDay

        # A version submitted or accepted, or its events read: analyse the case again.
        case_changed.connect(_case_changed, dispatch_uid="composite-case-changed")

        # Closure days move working-day deadlines, so findings change: analyse the partnership's cases again.
        post_save.connect(_closure_days_changed, sender=ClosureDay, dispatch_uid="composite-closure-saved")
        post_delete.connect(
            _closure_days_changed, sender=ClosureDay, dispatch_uid="composite-closure-deleted"
        )


def _closure_days_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from chronicle.composite.services import schedule_partnership

    schedule_partnership(instance.partnership_id)


def _case_changed(sender: Any, incident: Any, **kwargs: Any) -> None:
    from chronicle.composite.services import schedule

    schedule(incident)
