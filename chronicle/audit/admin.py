from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chronicle.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin can look, never add, change or delete."""

    list_display = ["at", "user_label", "action", "object_type", "object_id", "outcome", "partnership"]
    list_filter = ["action", "outcome", "object_type"]
    search_fields = ["user_label", "object_id", "object_label"]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
