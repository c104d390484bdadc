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


def has_role(user: Any, role: str, partnership: Partnership | None) -> bool:
    """Whether the user holds ``role`` in ``partnership``: the partnership of the object at hand.

    A role is never held "anywhere": someone who manages one partnership is a plain member, or a
    stranger, in another. Without a partnership the answer is no.
    """
    if partnership is None:
        return False
    return any(m.role == role and m.partnership_id == partnership.pk for m in memberships_of(user))


def partnerships_with_role(user: Any, role: str) -> list[Partnership]:
    """The partnerships in which the user holds ``role``, in a stable order."""
    found: dict[int, Partnership] = {}
    for membership in memberships_of(user):
        if membership.role == role:
            found.setdefault(membership.partnership_id, membership.partnership)
    return sorted(found.values(), key=lambda partnership: partnership.pk)


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
    return has_role(user, Role.BUSINESS_MANAGER, agency.partnership)


@rules.predicate
def audits_agency_partnership(user: Any, agency: Agency) -> bool:
    return has_role(user, Role.AUDITOR, agency.partnership)


rules.add_perm("accounts.manage_partnership", is_business_manager)
rules.add_perm(
    "accounts.view_agency", manages_agency_partnership | audits_agency_partnership | is_member_of_agency
)
rules.add_perm("accounts.change_agency", manages_agency_partnership)
rules.add_perm("audit.view_log", is_auditor)
