"""Who may follow and download a file made in the background: whoever may read the case's
composite chronology (the business manager, auditors, statutory partners, assigned reviewers);
a file with names shown, only the business manager. Everyone else: 404, audited."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.accounts.models import Role
from chronicle.accounts.rules import has_role
from chronicle.audit.services import record_denied
from chronicle.composite.access import can_read
from chronicle.jobs.models import Job


def get_job_for_reader(request: HttpRequest, code: UUID) -> Job:
    job = Job.objects.select_related("incident__partnership", "requested_by").filter(code=code).first()
    if job is None or not can_read(request.user, job.incident):
        record_denied(request, "job", str(code))
        raise Http404
    if not job.pseudonymise and not has_role(request.user, Role.BUSINESS_MANAGER, job.incident.partnership):
        record_denied(request, "job", str(code))
        raise Http404
    return job
