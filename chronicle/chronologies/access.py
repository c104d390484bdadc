"""Who sees which chronology. Drafts: only their agency. Submitted versions: the agency, the business
manager, auditors and reviewers assigned to the case. Everyone else: 404, audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.accounts.models import Role
from chronicle.accounts.rules import has_role, memberships_of
from chronicle.audit.models import Action
from chronicle.audit.services import record, record_denied
from chronicle.chronologies.models import ChronologyRequest, ChronologyVersion
from chronicle.incidents.models import Incident

# The roles that work in an agency's draft, import files and download them as sent. A statutory
# partner representative belongs to an agency too, but reads only the composite and the review.
DRAFT_ROLES = frozenset({Role.AGENCY_LEAD, Role.CONTRIBUTOR})


def acts_for(user: Any, agency_id: int) -> bool:
    """Whether the user works on this agency's chronology (its lead or a contributor)."""
    return any(m.agency_id == agency_id and m.role in DRAFT_ROLES for m in memberships_of(user))


def is_agency_lead(user: Any, agency_id: int) -> bool:
    return any(m.agency_id == agency_id and m.role == Role.AGENCY_LEAD for m in memberships_of(user))


def _in_partnership(user: Any, chronology_request: ChronologyRequest) -> bool:
    return any(m.partnership_id == chronology_request.incident.partnership_id for m in memberships_of(user))


def _get(request: HttpRequest, code: UUID) -> ChronologyRequest:
    try:
        found: ChronologyRequest = ChronologyRequest.objects.select_related(
            "incident__partnership", "agency"
        ).get(code=code)
    except ChronologyRequest.DoesNotExist:
        record_denied(request, "chronology", str(code))
        raise Http404 from None
    return found


def _deny(request: HttpRequest, code: UUID) -> Http404:
    record_denied(request, "chronology", str(code))
    return Http404()


def get_draft_for_agency(request: HttpRequest, code: UUID) -> ChronologyRequest:
    """The agency's own working draft: only people who act for that agency."""
    chronology_request = _get(request, code)
    if not acts_for(request.user, chronology_request.agency_id):
        raise _deny(request, code)
    return chronology_request


def get_draft_for_lead(request: HttpRequest, code: UUID) -> ChronologyRequest:
    """Submitting is the agency safeguarding lead's decision."""
    chronology_request = get_draft_for_agency(request, code)
    if not is_agency_lead(request.user, chronology_request.agency_id):
        raise _deny(request, code)
    return chronology_request


def can_read_submitted(user: Any, chronology_request: ChronologyRequest) -> bool:
    if not _in_partnership(user, chronology_request):
        return False
    partnership = chronology_request.incident.partnership
    if has_role(user, Role.BUSINESS_MANAGER, partnership) or has_role(user, Role.AUDITOR, partnership):
        return True
    if acts_for(user, chronology_request.agency_id):
        return True
    return Incident.objects.assigned_to(user).filter(pk=chronology_request.incident_id).exists()


def get_request_for_reader(request: HttpRequest, code: UUID) -> ChronologyRequest:
    chronology_request = _get(request, code)
    if not can_read_submitted(request.user, chronology_request):
        raise _deny(request, code)
    return chronology_request


def get_version_for_reader(request: HttpRequest, code: UUID, number: int) -> ChronologyVersion:
    chronology_request = get_request_for_reader(request, code)
    version = chronology_request.versions.filter(number=number).first()
    if version is None:
        raise _deny(request, code)
    record(
        request,
        Action.VIEW,
        obj=version,
        partnership=chronology_request.incident.partnership,
        object_label=f"{chronology_request.agency} v{number} for {chronology_request.incident}",
    )
    return version


def get_managed_request(request: HttpRequest, code: UUID) -> ChronologyRequest:
    chronology_request = _get(request, code)
    if not has_role(request.user, Role.BUSINESS_MANAGER, chronology_request.incident.partnership):
        raise _deny(request, code)
    return chronology_request
