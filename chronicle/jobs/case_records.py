"""A case's files made in the background, as records of the case for the auditor's page."""

from __future__ import annotations

from chronicle.incidents.models import Incident
from chronicle.jobs.models import Job
from chronicle.oversight.auditor.cases import record_ids, register_case_records


def case_files(incident: Incident) -> dict[str, list[str]]:
    return {"job": record_ids(Job.objects.filter(incident=incident))}


def register() -> None:
    register_case_records(case_files)
