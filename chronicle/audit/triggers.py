"""The SQL for the audit table's append-only triggers, shared by the migrations that install them and
by the tests that lift them for a moment (a public module: the migrations folder takes only migrations).

FIRST is what migrations 0002 and 0004 installed: UPDATE refused on both databases, DELETE on
PostgreSQL only. CURRENT refuses UPDATE and DELETE on SQLite and UPDATE, DELETE and TRUNCATE on
PostgreSQL. SQLite drops a table's triggers when Django rebuilds it to alter a column: any
migration that alters the audit table must install CURRENT again afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_POSTGRES_FUNCTION = """
    CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'audit events cannot be changed or deleted';
    END;
    $$ LANGUAGE plpgsql
"""


@dataclass(frozen=True)
class Triggers:
    postgres_up: list[str]
    postgres_down: list[str]
    sqlite_up: list[str]
    sqlite_down: list[str]


FIRST = Triggers(
    postgres_up=[
        _POSTGRES_FUNCTION,
        """
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
          FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()
        """,
    ],
    postgres_down=[
        "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_event_is_append_only()",
    ],
    sqlite_up=[
        """
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN
          SELECT RAISE(ABORT, 'audit events cannot be changed or deleted');
        END
        """,
    ],
    sqlite_down=["DROP TRIGGER IF EXISTS audit_event_no_update"],
)

CURRENT = Triggers(
    postgres_up=[
        _POSTGRES_FUNCTION,
        """
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
          FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()
        """,
        """
        CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
          FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()
        """,
    ],
    postgres_down=[
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
        "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_event_is_append_only()",
    ],
    sqlite_up=[
        """
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN
          SELECT RAISE(ABORT, 'audit events cannot be changed or deleted');
        END
        """,
        """
        CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
        BEGIN
          SELECT RAISE(ABORT, 'audit events cannot be changed or deleted');
        END
        """,
    ],
    sqlite_down=[
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
        "DROP TRIGGER IF EXISTS audit_event_no_update",
    ],
)


def install(schema_editor: Any, triggers: Triggers = CURRENT) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in triggers.postgres_up if postgres else triggers.sqlite_up:
        schema_editor.execute(statement)


def remove(schema_editor: Any, triggers: Triggers = CURRENT) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in triggers.postgres_down if postgres else triggers.sqlite_down:
        schema_editor.execute(statement)
