"""Tasks run by the worker (``chronicle worker``)."""

from __future__ import annotations

from django_tasks import task

from chronicle.jobs import services


@task()
def make_file(job_code: str) -> str:
    """Make a Panel pack or a composite chronology file for the job."""
    return services.make(job_code)
