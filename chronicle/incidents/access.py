"""Who may see and act on serious incidents. Outsiders get 404, and the attempt is audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from chronicle.accounts.access import get_managed_partnership, get_partnership_for_user
from chronicle.accounts.models import AGENCY_ROLES, Agency, Role
from chronicle.accounts.rules import has_role, memberships_of
from chronicle.audit.models import Action
from chronicle.audit.services import record, record_denied
from chronicle.incidents.models import Incident
from chronicle.incidents.sharing import shared_incident_ids


def agencies_of(user: Any) -> list[Agency]:
    """The agencies the user acts for."""
    return [m.agency for m in memberships_of(user) if m.agency is not None and m.role in AGENCY_ROLES]


def visible_incidents(user: Any) -> QuerySet[Incident]:
    """Managers and auditors see every incident of their partnership; agency staff see their agency's reports.

    Agencies asked for a chronology, and reviewers assigned to the case, see it too (see chronologies).
    Each partnership the user belongs to is taken on its own: a role in one grants nothing in another.
    """
    memberships = memberships_of(user)
    if not memberships:
        return Incident.objects.none()
    visible = Q(pk__in=[])
    for partnership_id in sorted({m.partnership_id for m in memberships}):
        roles = {m.role for m in memberships if m.partnership_id == partnership_id}
        if roles & {Role.BUSINESS_MANAGER, Role.AUDITOR}:
            visible |= Q(partnership_id=partnership_id)
            continue
        agency_ids = [
            m.agency_id
            for m in memberships
            if m.partnership_id == partnership_id and m.agency_id is not None and m.role in AGENCY_ROLES
        ]
        visible |= Q(partnership_id=partnership_id) & (
            Q(reporting_agency_id__in=agency_ids) | Q(pk__in=_incidents_shared_with(user, agency_ids))
        )
    return Incident.objects.filter(visible)


def _incidents_shared_with(user: Any, agency_ids: list[int]) -> Any:
    """Incidents whose case involves the user's agencies or is assigned to the user (filled in by chronologies)."""
    return shared_incident_ids(user, agency_ids)


def get_incident_for_user(request: HttpRequest, code: UUID, *, audit_view: bool = True) -> Incident:
    try:
        incident = visible_incidents(request.user).get(code=code)
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
