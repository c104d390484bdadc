"""Who may see and act on a rapid review. Read: the business manager, statutory partner representatives,
auditors and reviewers assigned to the case. Write: the business manager. Positions: statutory partner
representatives, for the partner they represent. Everyone else: 404, audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.accounts.models import Role
from chronicle.accounts.rules import has_role
from chronicle.audit.models import Action
from chronicle.audit.services import record, record_denied
from chronicle.composite.access import can_read
from chronicle.reviews.models import RapidReview


def _get(request: HttpRequest, code: UUID) -> RapidReview:
    try:
        return RapidReview.objects.select_related("incident__partnership").get(code=code)
    except RapidReview.DoesNotExist:
        record_denied(request, "rapid_review", str(code))
        raise Http404 from None


def can_manage(user: Any, review: RapidReview) -> bool:
    return has_role(user, Role.BUSINESS_MANAGER, review.incident.partnership)


def get_review_for_reader(request: HttpRequest, code: UUID, *, audit: bool = True) -> RapidReview:
    review = _get(request, code)
    if not can_read(request.user, review.incident):
        record_denied(request, "rapid_review", str(code))
        raise Http404
    if audit:
        record(request, Action.VIEW, obj=review, partnership=review.incident.partnership)
    return review


def get_review_for_manager(request: HttpRequest, code: UUID) -> RapidReview:
    review = _get(request, code)
    if not can_manage(request.user, review):
        record_denied(request, "rapid_review", str(code))
        raise Http404
    return review


def get_review_for_partner(request: HttpRequest, code: UUID) -> RapidReview:
    review = _get(request, code)
    if not has_role(request.user, Role.STATUTORY_PARTNER, review.incident.partnership):
        record_denied(request, "rapid_review", str(code))
        raise Http404
    return review
