"""Chain every audit event to the one before it by hash, and refuse DELETE (SQLite) and TRUNCATE
(PostgreSQL) in the database as well as UPDATE.

The first triggers are removed while the column is added and the events already stored are hashed
in the order they were written; then the current triggers are installed.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from chronicle.audit import triggers as _triggers
from chronicle.audit.chain import GENESIS, HASHED_FIELDS, event_hash


def remove_first_triggers(apps: Any, schema_editor: Any) -> None:
    _triggers.remove(schema_editor, _triggers.FIRST)


def install_first_triggers(apps: Any, schema_editor: Any) -> None:
    _triggers.install(schema_editor, _triggers.FIRST)


def install_current_triggers(apps: Any, schema_editor: Any) -> None:
    _triggers.install(schema_editor, _triggers.CURRENT)


def remove_current_triggers(apps: Any, schema_editor: Any) -> None:
    _triggers.remove(schema_editor, _triggers.CURRENT)


def hash_stored_events(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.using(schema_editor.connection.alias).order_by("id")
    previous, last_id = GENESIS, 0
    while True:
        # A batch at a time, read in full before writing (SQLite cannot update under an open read).
        batch = list(events.filter(id__gt=last_id).values("id", *HASHED_FIELDS)[:2000])
        if not batch:
            return
        for values in batch:
            previous = event_hash(previous, values)
            events.filter(pk=values["id"]).update(hash=previous)
        last_id = batch[-1]["id"]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_reinstall_append_only_triggers"),
    ]

    operations = [
        migrations.RunPython(remove_first_triggers, install_first_triggers),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"base_manager_name": "objects", "ordering": ["-at", "-id"]},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(hash_stored_events, migrations.RunPython.noop),
        migrations.RunPython(install_current_triggers, remove_current_triggers),
    ]
