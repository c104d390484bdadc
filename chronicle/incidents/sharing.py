"""Which incidents are shared beyond the reporting agency. Chronology requests extend this."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from chronicle.incidents.models import Incident


def shared_incident_ids(user: Any, agency_ids: list[int]) -> QuerySet[Incident] | list[int]:
    return []
