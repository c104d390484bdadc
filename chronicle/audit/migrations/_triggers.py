"""The SQL for the audit table's append-only triggers, shared by the migrations that install them."""

from __future__ import annotations

from typing import Any

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'audit events cannot be changed or deleted';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
      FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_is_append_only()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN
      SELECT RAISE(ABORT, 'audit events cannot be changed or deleted');
    END
    """,
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_event_no_update"]


def install(schema_editor: Any) -> None:
    statements = POSTGRES_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP
    for statement in statements:
        schema_editor.execute(statement)


def remove(schema_editor: Any) -> None:
    statements = POSTGRES_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN
    for statement in statements:
        schema_editor.execute(statement)
