"""Which incidents are shared beyond the reporting agency: agencies asked for a chronology of the
case, and independent reviewers assigned to it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from chronicle.incidents.models import Incident


def shared_incident_ids(user: Any, agency_ids: list[int]) -> QuerySet[Any]:
    return Incident.objects.filter(
        Q(chronology_requests__agency_id__in=agency_ids) | Q(reviewer_assignments__reviewer_id=user.pk)
    ).values("pk")
