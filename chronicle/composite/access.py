"""Who may read and work on a case's composite chronology.

Read: the business manager, auditors, statutory partner representatives (who sign off the rapid
review) and independent reviewers assigned to the case. Work on it (annotate, decide findings and
links, write the six headings): the business manager and assigned reviewers. Agencies see their own
chronology only. Everyone else: 404, audited.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.accounts.models import Role
from chronicle.accounts.rules import has_role
from chronicle.audit.models import Action
from chronicle.audit.services import record, record_denied
from chronicle.incidents.models import Incident


def _assigned(user: Any, incident: Incident) -> bool:
    return Incident.objects.assigned_to(user).filter(pk=incident.pk).exists()


def can_read(user: Any, incident: Incident) -> bool:
    return Incident.objects.readable_by(user).filter(pk=incident.pk).exists()


def can_work(user: Any, incident: Incident) -> bool:
    return has_role(user, Role.BUSINESS_MANAGER, incident.partnership) or _assigned(user, incident)


def _get(request: HttpRequest, code: UUID) -> Incident:
    try:
        return Incident.objects.select_related("partnership").get(code=code)
    except Incident.DoesNotExist:
        record_denied(request, "composite", str(code))
        raise Http404 from None


def get_case_for_reader(request: HttpRequest, code: UUID, *, audit_view: str = "") -> Incident:
    incident = _get(request, code)
    if not can_read(request.user, incident):
        record_denied(request, "composite", str(code))
        raise Http404
    if audit_view:
        record(
            request,
            Action.VIEW,
            obj=incident,
            partnership=incident.partnership,
            object_type="composite",
            detail=audit_view,
        )
    return incident


def get_case_for_worker(request: HttpRequest, code: UUID) -> Incident:
    incident = _get(request, code)
    if not can_work(request.user, incident):
        record_denied(request, "composite", str(code))
        raise Http404
    return incident


def get_case_for_manager(request: HttpRequest, code: UUID) -> Incident:
    incident = _get(request, code)
    if not has_role(request.user, Role.BUSINESS_MANAGER, incident.partnership):
        record_denied(request, "composite", str(code))
        raise Http404
    return incident
