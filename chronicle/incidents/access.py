"""Who may see and act on serious incidents. Outsiders get 404, and the attempt is audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest

from chronicle.accounts.access import get_managed_partnership, get_partnership_for_user
from chronicle.accounts.models import AGENCY_ROLES, Agency, Role
from chronicle.accounts.rules import has_role, memberships_of
from chronicle.audit.models import Action
from chronicle.audit.services import record, record_denied
from chronicle.incidents.models import Incident


def agencies_of(user: Any) -> list[Agency]:
    """The agencies the user acts for."""
    return [m.agency for m in memberships_of(user) if m.agency is not None and m.role in AGENCY_ROLES]


def get_incident_for_user(request: HttpRequest, code: UUID, *, audit_view: bool = True) -> Incident:
    try:
        incident = Incident.objects.visible_to(request.user).get(code=code)
    except Incident.DoesNotExist:
        record_denied(request, "incident", str(code))
        raise Http404 from None
    if audit_view:
        record(request, Action.VIEW, obj=incident, partnership=incident.partnership)
    return incident


def get_managed_incident(request: HttpRequest, code: UUID) -> Incident:
    partnership = get_managed_partnership(request)
    try:
        return Incident.objects.get(code=code, partnership=partnership)
    except Incident.DoesNotExist:
        record_denied(request, "incident", str(code))
        raise Http404 from None


def reporting_agencies(request: HttpRequest) -> list[Agency]:
    """The agencies the user may report for: their own, or any agency for the business manager."""
    partnership = get_partnership_for_user(request)
    if has_role(request.user, Role.BUSINESS_MANAGER, partnership):
        return list(Agency.objects.filter(partnership=partnership, active=True))
    agencies = agencies_of(request.user)
    if not agencies:
        record_denied(request, "incident_report", "")
        raise Http404("Only people who act for an agency can report an incident")
    return agencies
