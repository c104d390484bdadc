"""Who is acting: a person (with their partnership, address and browser) or Chronicle itself.

Services take an ``Actor`` rather than the HTTP request, so a task run later by the worker, or a
command run from cron, records in the audit log who asked for the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chronicle.accounts.models import Partnership, User
from chronicle.accounts.network import client_ip
from chronicle.accounts.rules import memberships_of


@dataclass(frozen=True)
class Actor:
    user: Any = None  # a signed-in accounts.User, or None for Chronicle itself or an anonymous visitor
    partnership: Any = None  # the partnership they act for, when known
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""  # the page asked for, or what started the work ("task: ..." / "command: ...")

    @classmethod
    def system(cls, partnership: Any = None, path: str = "") -> Actor:
        """Chronicle itself: a command run from cron, or a task nobody asked for."""
        return cls(partnership=partnership, path=path)

    @classmethod
    def from_request(cls, request: Any) -> Actor:
        """The person behind a web request (anonymous visitors have no user)."""
        if request is None:
            return cls.system()
        user = getattr(request, "user", None)
        return cls.of(
            user if getattr(user, "is_authenticated", False) else None,
            ip_address=client_ip(request),  # through a trusted proxy's header where one is set
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            path=request.path[:300],
        )

    @classmethod
    def of(cls, user: Any, *, ip_address: str | None = None, user_agent: str = "", path: str = "") -> Actor:
        """A person, acting for their first partnership (a web request, or the demo loader)."""
        memberships = memberships_of(user)
        return cls(
            user=user,
            partnership=memberships[0].partnership if memberships else None,
            ip_address=ip_address,
            user_agent=user_agent,
            path=path,
        )

    @property
    def label(self) -> str:
        if self.user is None:
            return ""
        return str(getattr(self.user, "email", "") or getattr(self.user, "username", ""))

    def to_json(self) -> dict[str, Any]:
        """Plain values a task can carry to the worker."""
        return {
            "user": self.user.pk if self.user is not None else None,
            "partnership": self.partnership.pk if self.partnership is not None else None,
            "ip_address": self.ip_address,
            "user_agent": self.user_agent,
            "path": self.path,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, path: str = "") -> Actor:
        user_id: int | None = data.get("user")
        partnership_id: int | None = data.get("partnership")
        user = User.objects.filter(pk=user_id).first() if user_id is not None else None
        partnership = (
            Partnership.objects.filter(pk=partnership_id).first() if partnership_id is not None else None
        )
        return cls(
            user=user,
            partnership=partnership,
            ip_address=data.get("ip_address"),
            user_agent=str(data.get("user_agent") or ""),
            path=path or str(data.get("path") or ""),
        )
