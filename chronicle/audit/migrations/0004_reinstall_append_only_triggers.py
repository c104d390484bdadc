"""Install the append-only triggers again.

SQLite cannot alter a column in place: Django rebuilds the table, and the rebuilt table has none
of the old table's triggers. Any migration that alters the audit table must be followed by this.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from chronicle.audit import triggers as _triggers


def reinstall(apps: Any, schema_editor: Any) -> None:
    _triggers.remove(schema_editor, _triggers.FIRST)
    _triggers.install(schema_editor, _triggers.FIRST)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_longer_object_ids")]
    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
