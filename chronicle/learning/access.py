"""Who sees and works on the learning-points register. Anything a user may not see is a 404, audited.

Read every point of the partnership: the business manager, statutory partner representatives and
auditors. Independent reviewers: the points of the cases they are assigned to, where they may also add
points. Agency safeguarding leads and contributors: the points that name their agency, and no others.
Actions and their status: the business manager only.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from chronicle.accounts.access import get_partnership_for_user
from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.accounts.models import Partnership, Role
from chronicle.accounts.rules import has_role, memberships_of
from chronicle.audit.models import Action
from chronicle.audit.services import record, record_denied
from chronicle.incidents.models import Incident
from chronicle.reviews.models import LearningAction, LearningPoint

# Roles that read the whole register of their partnership.
READ_ALL_ROLES = (Role.BUSINESS_MANAGER, Role.STATUTORY_PARTNER, Role.AUDITOR)
# Roles that read only the points naming the agency they act for.
AGENCY_READER_ROLES = (Role.AGENCY_LEAD, Role.CONTRIBUTOR)


def reads_everything(user: Any, partnership: Partnership) -> bool:
    return any(has_role(user, role, partnership) for role in READ_ALL_ROLES)


def can_manage(user: Any, partnership: Partnership) -> bool:
    return has_role(user, Role.BUSINESS_MANAGER, partnership)


def is_assigned_reviewer(user: Any, incident: Incident) -> bool:
    return Incident.objects.assigned_to(user).filter(pk=incident.pk).exists()


def can_add_points(user: Any, incident: Incident) -> bool:
    return can_manage(user, incident.partnership) or is_assigned_reviewer(user, incident)


def own_agency_ids(user: Any, partnership: Partnership) -> list[int]:
    """The agencies whose points this person reads as an agency lead or contributor."""
    return [
        m.agency_id
        for m in memberships_of(user)
        if m.partnership_id == partnership.pk and m.role in AGENCY_READER_ROLES and m.agency_id is not None
    ]


def visible_points(user: Any, partnership: Partnership) -> QuerySet[LearningPoint]:
    """Every learning point of the partnership this person may read."""
    points = LearningPoint.objects.filter(partnership=partnership)
    if reads_everything(user, partnership):
        return points
    allowed = Q(incident__in=Incident.objects.assigned_to(user).values("pk"))
    agency_ids = own_agency_ids(user, partnership)
    if agency_ids:
        allowed |= Q(agencies__in=agency_ids)
    # A subquery rather than a join, so a point naming two of the user's agencies is listed once.
    return points.filter(pk__in=LearningPoint.objects.filter(allowed).values("pk"))


def get_register_partnership(request: HttpRequest) -> Partnership:
    """The partnership whose register the user reads (scoped by visible_points); 404 for non-members."""
    return get_partnership_for_user(request)


def _deny(request: HttpRequest, object_type: str, code: UUID) -> Http404:
    record_denied(request, object_type, str(code))
    return Http404()


def _incident(request: HttpRequest, code: UUID) -> Incident:
    try:
        return Incident.objects.select_related("partnership").get(code=code)
    except Incident.DoesNotExist:
        raise _deny(request, "learning", code) from None


def can_read_case(user: Any, incident: Incident) -> bool:
    partnership = incident.partnership
    if reads_everything(user, partnership) or is_assigned_reviewer(user, incident):
        return True
    if not own_agency_ids(user, partnership):
        return False
    return (
        Incident.objects.visible_to(user).filter(pk=incident.pk).exists()
        or visible_points(user, partnership).filter(incident=incident).exists()
    )


def get_case_for_reader(request: HttpRequest, code: UUID) -> Incident:
    """A case whose learning points the user may read (the list is then scoped by visible_points)."""
    incident = _incident(request, code)
    if not can_read_case(request.user, incident):
        raise _deny(request, "learning", code)
    record(
        request,
        Action.VIEW,
        obj=incident,
        partnership=incident.partnership,
        object_type="learning",
        detail="learning points of the case",
    )
    return incident


def get_case_for_author(request: HttpRequest, code: UUID) -> Incident:
    """A case the user may add learning points to: the business manager, or its assigned reviewer."""
    incident = _incident(request, code)
    if not can_add_points(request.user, incident):
        raise _deny(request, "learning", code)
    return incident


def _point(request: HttpRequest, code: UUID) -> LearningPoint:
    try:
        return LearningPoint.objects.select_related("incident", "partnership").get(code=code)
    except LearningPoint.DoesNotExist:
        raise _deny(request, "learningpoint", code) from None


def get_point_for_reader(request: HttpRequest, code: UUID) -> LearningPoint:
    point = _point(request, code)
    if not visible_points(request.user, point.partnership).filter(pk=point.pk).exists():
        raise _deny(request, "learningpoint", code)
    record(request, Action.VIEW, obj=point, partnership=point.partnership)
    return point


def get_point_for_manager(request: HttpRequest, code: UUID) -> LearningPoint:
    point = _point(request, code)
    if not can_manage(request.user, point.partnership):
        raise _deny(request, "learningpoint", code)
    return point


def get_action_for_manager(request: HttpRequest, code: UUID) -> LearningAction:
    try:
        action = LearningAction.objects.select_related(
            "learning_point__partnership", "learning_point__incident"
        ).get(code=code)
    except LearningAction.DoesNotExist:
        raise _deny(request, "learningaction", code) from None
    if not can_manage(request.user, action.learning_point.partnership):
        raise _deny(request, "learningaction", code)
    return action
