from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from chronicle.accounts.models import Partnership
from chronicle.audit.models import AuditEvent
from chronicle.oversight.auditor.cases import case_events


def events_for(partnership: Partnership, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """A partnership's audit events, narrowed by the auditor's filters (as the filter form cleans them)."""
    events = AuditEvent.objects.filter(partnership=partnership).select_related("user")
    if filters.get("user"):
        events = events.filter(user__code=filters["user"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("case"):
        events = events.filter(case_events(filters["case"]))
    if filters.get("object_type"):
        events = events.filter(object_type__in=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"].strip())
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        events = events.filter(at__gte=dt.datetime.combine(filters["date_from"], dt.time.min, zone))
    if filters.get("date_to"):
        events = events.filter(
            at__lt=dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min, zone)
        )
    return events
