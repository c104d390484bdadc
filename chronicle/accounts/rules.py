"""Who holds which role where: the facts the named access checks (each app's access.py) are built on."""

from __future__ import annotations

from typing import Any

from chronicle.accounts.models import Membership, Partnership


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
