"""django.contrib.admin with the audited site as its default (see chronicle.audit.admin_site)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "chronicle.audit.admin_site.AuditedAdminSite"
