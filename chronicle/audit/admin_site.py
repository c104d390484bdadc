"""The Django admin, with every change it makes written to the audit log.

Django records admin changes in its own ``django_admin_log``, which an administrator can edit. The
site used here mixes ``AuditedModelAdmin`` into every model admin registered with it, so each
addition, change and deletion is an audit event too, with the administrator, address and path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models import Model
from django.http import HttpRequest

ACTIONS = {ADDITION: "create", CHANGE: "update", DELETION: "delete"}


def _partnership_of(obj: Model) -> Any:
    from chronicle.accounts.models import Partnership

    if isinstance(obj, Partnership):
        return obj
    partnership = getattr(obj, "partnership", None)
    return partnership if isinstance(partnership, Partnership) else None


def _entries(logged: Any) -> list[LogEntry]:
    if isinstance(logged, LogEntry):
        return [logged]
    return list(logged or [])


class AuditedModelAdmin(admin.ModelAdmin):
    def _audit(self, request: HttpRequest, objects: Iterable[Model], logged: Any) -> None:
        from chronicle.audit.services import record

        for obj, entry in zip(objects, _entries(logged), strict=False):
            record(
                request,
                ACTIONS[entry.action_flag],
                object_type=obj._meta.model_name or "",
                object_id=str(getattr(obj, "code", None) or entry.object_id),
                object_label=entry.object_repr[:300],
                partnership=_partnership_of(obj),
                detail=f"In the Django admin: {entry.get_change_message() or 'no fields changed'}",
            )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        logged = super().log_addition(request, obj, message)
        self._audit(request, [obj], logged)
        return logged

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        logged = super().log_change(request, obj, message)
        self._audit(request, [obj], logged)
        return logged

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        # Both the delete page and the "delete selected" action come here (Django 5.1+).
        objects = list(queryset)  # read before the deletion, to name each object afterwards
        logged = super().log_deletions(request, queryset)
        self._audit(request, objects, logged)
        return logged


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedModelAdmin):
            base = type(base.__name__, (AuditedModelAdmin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
