"""Writing audit events. Every view of a case-level record, change, export and sign-in goes through here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chronicle.audit.models import Action, AuditEvent, Outcome


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, through a trusted proxy's header where one is configured."""
    from chronicle.accounts.network import client_ip as address_of

    return address_of(request) if request is not None else None


def _partnership_of(request: HttpRequest | None) -> Any:
    from chronicle.accounts.rules import memberships_of

    if request is None:
        return None
    memberships = memberships_of(getattr(request, "user", None))
    return memberships[0].partnership if memberships else None


def record(
    request: HttpRequest | None,
    action: str,
    *,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    partnership: Any = None,
    outcome: str = Outcome.SUCCESS,
    detail: str = "",
    user: Any = None,
) -> AuditEvent:
    """Append one event. ``obj`` fills the object type, id (its UUID code) and label."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(getattr(obj, "code", obj.pk))
        object_label = object_label or str(obj)[:300]
    if partnership is None:
        partnership = _partnership_of(request)
    return AuditEvent.objects.create(
        user=user,
        user_label=(getattr(user, "email", "") or getattr(user, "username", "")) if user else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        partnership=partnership,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        path=(request.path if request else "")[:300],
        outcome=outcome,
        detail=detail,
    )


def record_denied(request: HttpRequest, object_type: str, object_id: str) -> AuditEvent:
    return record(
        request,
        Action.ACCESS_DENIED,
        object_type=object_type,
        object_id=object_id,
        outcome=Outcome.DENIED,
    )
