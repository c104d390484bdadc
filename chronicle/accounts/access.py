"""Named access checks for views. Anything a user may not see is a 404, and the attempt is audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest

from chronicle.accounts.models import Agency, Membership, Partnership, Role, User
from chronicle.accounts.rules import has_role, memberships_of, partnerships_with_role
from chronicle.audit.services import record_denied


def is_business_manager(user: Any, partnership: Partnership | None) -> bool:
    """Whether the user manages this partnership (sees every case, accepts chronologies, runs reviews)."""
    return has_role(user, Role.BUSINESS_MANAGER, partnership)


def can_view_agency(user: Any, agency: Agency) -> bool:
    """Its own people, and the business manager and auditors of its partnership."""
    return (
        any(m.agency_id == agency.pk for m in memberships_of(user))
        or has_role(user, Role.BUSINESS_MANAGER, agency.partnership)
        or has_role(user, Role.AUDITOR, agency.partnership)
    )


def can_change_agency(user: Any, agency: Agency) -> bool:
    return has_role(user, Role.BUSINESS_MANAGER, agency.partnership)


def get_partnership_for_user(request: HttpRequest) -> Partnership:
    """The partnership the signed-in user works in; 404 for people with no membership."""
    memberships = memberships_of(request.user)
    if not memberships:
        record_denied(request, "partnership", "")
        raise Http404("You are not a member of a partnership")
    return memberships[0].partnership


def get_managed_partnership(request: HttpRequest) -> Partnership:
    """The partnership the user is business manager of; 404 for everyone else."""
    partnership = get_partnership_for_user(request)
    managed = partnerships_with_role(request.user, Role.BUSINESS_MANAGER)
    if not managed:
        record_denied(request, "partnership", str(partnership.code))
        raise Http404("Only the partnership's business manager can do this")
    return managed[0]


def get_audited_partnership(request: HttpRequest) -> Partnership:
    """The partnership the user is auditor of; 404 for everyone else."""
    partnership = get_partnership_for_user(request)
    audited = partnerships_with_role(request.user, Role.AUDITOR)
    if not audited:
        record_denied(request, "audit_log", str(partnership.code))
        raise Http404("Only auditors can see the audit log")
    return audited[0]


def _get_or_deny(request: HttpRequest, model: type[Any], code: UUID, object_type: str, **filters: Any) -> Any:
    try:
        return model.objects.get(code=code, **filters)
    except model.DoesNotExist:
        # Unknown and forbidden look the same from outside: both are 404, both are audited.
        record_denied(request, object_type, str(code))
        raise Http404 from None


def get_agency_for_user(request: HttpRequest, code: UUID) -> Agency:
    """An agency the user may see: their own agency, or any in their partnership for managers and auditors."""
    agency: Agency = _get_or_deny(request, Agency, code, "agency")
    if not can_view_agency(request.user, agency):
        record_denied(request, "agency", str(code))
        raise Http404
    return agency


def get_managed_agency(request: HttpRequest, code: UUID) -> Agency:
    partnership = get_managed_partnership(request)
    agency: Agency = _get_or_deny(request, Agency, code, "agency", partnership=partnership)
    return agency


def get_managed_member(request: HttpRequest, code: UUID) -> tuple[Partnership, Any]:
    """A person in the manager's partnership, looked up by their user code."""
    partnership = get_managed_partnership(request)
    members = Membership.objects.filter(partnership=partnership).values("user")
    user = _get_or_deny(request, User, code, "user", pk__in=members)
    return partnership, user


def get_managed_membership(request: HttpRequest, code: UUID) -> Membership:
    partnership = get_managed_partnership(request)
    membership: Membership = _get_or_deny(request, Membership, code, "membership", partnership=partnership)
    return membership
