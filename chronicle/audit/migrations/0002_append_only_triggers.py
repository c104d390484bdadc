"""Make the audit table append-only in the database itself, not only in the ORM.

UPDATE is refused on SQLite and PostgreSQL. DELETE is refused on PostgreSQL;
on SQLite it is refused by the model and queryset (Django's test runner empties
SQLite tables with DELETE between tests). A production database role should in
addition hold only INSERT and SELECT on this table (docs/operating.md).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from chronicle.audit import triggers as _triggers


def install(apps: Any, schema_editor: Any) -> None:
    _triggers.install(schema_editor, _triggers.FIRST)


def remove(apps: Any, schema_editor: Any) -> None:
    _triggers.remove(schema_editor, _triggers.FIRST)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
