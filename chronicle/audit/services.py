"""Writing audit events. Every view of a case-level record, change, export and sign-in goes through here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.http import HttpRequest

from chronicle.accounts.network import client_ip as address_of
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action, AuditEvent, Outcome


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, through a trusted proxy's header where one is configured."""
    return address_of(request) if request is not None else None


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
    """Append one event at the web edge (views, access checks, sign-in); services call ``record_as``."""
    actor = Actor.from_request(request)
    if user is not None:
        actor = replace(actor, user=user)
    return record_as(
        actor,
        action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        partnership=partnership,
        outcome=outcome,
        detail=detail,
    )


def record_as(
    actor: Actor,
    action: str,
    *,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    partnership: Any = None,
    outcome: str = Outcome.SUCCESS,
    detail: str = "",
) -> AuditEvent:
    """Append one event by ``actor``. ``obj`` fills the object type, id (its UUID code) and label."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(getattr(obj, "code", obj.pk))
        object_label = object_label or str(obj)[:300]
    return AuditEvent.objects.create(
        user=actor.user,
        user_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        partnership=partnership if partnership is not None else actor.partnership,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent[:300],
        path=actor.path[:300],
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
