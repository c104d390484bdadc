"""Who may do what, as `rules` predicates over a user and a partnership or agency."""

from __future__ import annotations

from typing import Any

import rules

from chronicle.accounts.models import Agency, Membership, Partnership, Role


def memberships_of(user: Any) -> list[Membership]:
    """The user's memberships, fetched once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Membership] | None = getattr(user, "_chronicle_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, partnership__isnull=False).select_related("agency")
        )
        user._chronicle_memberships = cached
    return cached


def has_role(user: Any, role: str, partnership: Partnership | None = None) -> bool:
    return any(
        m.role == role and (partnership is None or m.partnership_id == partnership.pk)
        for m in memberships_of(user)
    )


@rules.predicate
def is_business_manager(user: Any, partnership: Partnership | None = None) -> bool:
    return has_role(user, Role.BUSINESS_MANAGER, partnership)


@rules.predicate
def is_auditor(user: Any, partnership: Partnership | None = None) -> bool:
    return has_role(user, Role.AUDITOR, partnership)


@rules.predicate
def is_member_of_agency(user: Any, agency: Agency) -> bool:
    return any(m.agency_id == agency.pk for m in memberships_of(user))


@rules.predicate
def is_in_agency_partnership(user: Any, agency: Agency) -> bool:
    return any(m.partnership_id == agency.partnership_id for m in memberships_of(user))


@rules.predicate
def manages_agency_partnership(user: Any, agency: Agency) -> bool:
    return has_role(user, Role.BUSINESS_MANAGER) and is_in_agency_partnership(user, agency)


@rules.predicate
def audits_agency_partnership(user: Any, agency: Agency) -> bool:
    return has_role(user, Role.AUDITOR) and is_in_agency_partnership(user, agency)


rules.add_perm("accounts.manage_partnership", is_business_manager)
rules.add_perm(
    "accounts.view_agency", manages_agency_partnership | audits_agency_partnership | is_member_of_agency
)
rules.add_perm("accounts.change_agency", manages_agency_partnership)
rules.add_perm("audit.view_log", is_auditor)
