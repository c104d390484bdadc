from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from chronicle.accounts.models import AGENCY_ROLES, Role
from chronicle.accounts.rules import memberships_of


def chronicle(request: HttpRequest) -> dict[str, Any]:
    """The partnership and roles shown in the header and navigation."""
    memberships = memberships_of(getattr(request, "user", None))
    roles = {m.role for m in memberships}
    return {
        "current_partnership": memberships[0].partnership if memberships else None,
        "current_roles": roles,
        "current_memberships": memberships,
        "can_report_incidents": bool(roles & {*AGENCY_ROLES, Role.BUSINESS_MANAGER}),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        "demo_mode": settings.DEMO,
    }
