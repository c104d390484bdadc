"""Tasks run by the worker (``chronicle worker``) for the composite chronology."""

from __future__ import annotations

from django_tasks import task

from chronicle.composite import stored
from chronicle.incidents.models import Incident


@task()
def analyse_case(incident_pk: int) -> str:
    """Analyse the case as it is now and store the analysis for the composite pages to read."""
    incident = Incident.objects.select_related("partnership").filter(pk=incident_pk).first()
    if incident is None:
        return "gone"
    return stored.store(incident).fingerprint
