"""Storing an agency's imported file and its entries as draft rows, in one transaction.

The file exactly as the agency sent it, every heading decision needed to read it again (an
``ImportBatch``) and its entries as draft rows are stored in the request's own transaction, under
a lock on the chronology request that submitting takes too: a submit sees the whole import or
none of it, and the same file is never added twice by two quick uploads.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from typing import Any

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as
from chronicle.chronologies.events import schedule_reading
from chronicle.chronologies.models import ChronologyRequest, DraftEntry, ImportBatch, Status
from chronicle.chronologies.store import row_from_entry
from chronicle.core.entries import Entry
from chronicle.core.importing.validate import ImportResult

SQLITE_ROWS_PER_STATEMENT_RUN = 20_000


class AlreadyImported(Exception):
    """The same file (by SHA-256) is already in the draft: adding it again needs a yes."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        super().__init__(f"{batch.filename} is already in the draft")


class RequestClosed(Exception):
    """The chronology was accepted while the file was being read: its draft is kept as it was."""


def lock_request(chronology_request: ChronologyRequest) -> ChronologyRequest:
    """Inside a transaction: the request's row, locked until commit. Importing and submitting both take it."""
    locked = ChronologyRequest.objects.select_for_update().get(pk=chronology_request.pk)
    chronology_request.status = locked.status
    chronology_request.lock_version = locked.lock_version
    return locked


def already_in_draft(chronology_request: ChronologyRequest, content: bytes) -> ImportBatch | None:
    """The import of this very file whose entries are still in the draft, if any."""
    digest = hashlib.sha256(content).hexdigest()
    batch_ids = chronology_request.draft_entries.filter(import_batch__sha256=digest).values("import_batch")
    return chronology_request.imports.filter(pk__in=batch_ids).defer("content").order_by("-pk").first()


@transaction.atomic
def store_import(
    actor: Actor,
    chronology_request: ChronologyRequest,
    filename: str,
    content: bytes,
    result: ImportResult,
    *,
    replace: bool,
    again: bool = False,
) -> ImportBatch:
    """Save a valid import and its draft rows. The caller has checked ``result.errors`` is empty.

    Raises AlreadyImported when adding a file whose entries are already in the draft, unless
    ``again`` (the person said yes), and RequestClosed if the chronology has been accepted.
    """
    if result.errors:
        raise ValueError("an import with errors is never saved")
    lock_request(chronology_request)
    if chronology_request.status == Status.ACCEPTED:
        raise RequestClosed(f"the chronology was accepted before {filename} could be added")
    if not replace and not again and (earlier := already_in_draft(chronology_request, content)):
        raise AlreadyImported(earlier)
    replaced = 0
    if replace:
        # One audit event for the replacement rather than a history row per entry: the replaced
        # entries stay in every submitted version, and the import batch names the new file.
        replaced = chronology_request.draft_entries.all()._raw_delete(chronology_request.draft_entries.db)
    postgres = connection.vendor == "postgresql"
    batch = ImportBatch.objects.create(
        request=chronology_request,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=b"" if postgres else content,
        entries=len(result.entries),
        mapping={str(index): decision for index, decision in result.mapping.decisions().items()},
        event_type_codes=result.event_type_codes,
        replaced_draft=replace,
        imported_by=actor.user,
    )
    if postgres:
        _store_file_as_binary(batch, content)
    _insert_entries(batch, result.entries)
    # The import's draft rows are stored (still inside the transaction); their events are read by
    # a task, queued in this transaction so it runs only once the rows are committed.
    schedule_reading(chronology_request)
    chronology_request.mark_in_progress()
    detail = f"imported {batch.entries} entries from {filename}"
    if replace:
        detail += f", replacing the draft's {replaced} entries"
    if again:
        detail += ", a file already in the draft, added again on request"
    record_as(
        actor, Action.CREATE, obj=batch, partnership=chronology_request.incident.partnership, detail=detail
    )
    return batch


def _store_file_as_binary(batch: ImportBatch, content: bytes) -> None:
    """PostgreSQL: send the file as a binary parameter, in the same transaction.

    Django binds parameters on the client, which would send a 14 MB workbook as 28 MB of hex
    text for the server to decode: twice as slow as this for a 100,000-row file.
    """
    raw = connection.connection
    with psycopg.Cursor(raw) as cursor:
        table = connection.ops.quote_name(ImportBatch._meta.db_table)
        cursor.execute(f"UPDATE {table} SET content = %b WHERE id = %s", [content, batch.pk])  # noqa: S608


def _insert_entries(batch: ImportBatch, entries: Sequence[Entry]) -> None:
    """Insert imported entries in bulk, bypassing model instances.

    Building a model instance per row and Django's bulk_create (about 24 rows a statement on
    SQLite) made storing a 100,000-row file five times slower than reading it. Here each row
    is a tuple adapted per column with the connection's own adapters; PostgreSQL takes the rows
    through COPY, SQLite through one prepared INSERT run many times.
    """
    ops = connection.ops
    fields = {f.name: f for f in DraftEntry._meta.concrete_fields if not f.primary_key}
    fixed = {
        "request": batch.request_id,
        "import_batch": batch.pk,
        "created_by": batch.imported_by_id,
        "updated_at": fields["updated_at"].get_db_prep_save(timezone.now(), connection),
        "lock_version": 0,
    }
    names = [name for name in fields if name not in fixed and name != "code"]
    columns = [fields[name].column for name in ("code", *fixed, *names)]
    postgres = connection.vendor == "postgresql"

    def adapter(name: str) -> Any:
        kind = fields[name].get_internal_type()
        if postgres and kind != "JSONField":
            return None  # psycopg adapts dates, times and UUIDs itself
        if kind == "DateField":
            return ops.adapt_datefield_value
        if kind == "TimeField":
            return ops.adapt_timefield_value
        if kind == "JSONField":
            # What Django's JSON field stores on both databases, without its per-call lookups.
            return lambda value: json.dumps(value) if value else "{}"
        return None

    adapters = [(index, adapt) for index, name in enumerate(names) if (adapt := adapter(name)) is not None]
    fixed_values = tuple(fixed.values())
    rows = []
    for entry in entries:
        row = row_from_entry(entry)
        values = [row.get(name) for name in names]
        for index, adapt in adapters:
            if values[index] is not None:
                values[index] = adapt(values[index])
        code = uuid.uuid4()
        rows.append((code if postgres else code.hex, *fixed_values, *values))
    quote = ops.quote_name
    table = quote(DraftEntry._meta.db_table)
    column_sql = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row_values in rows:
                    copy.write_row(row_values)
            return
        # Table and column names come from the model's metadata; every value is a parameter.
        sql = f"INSERT INTO {table} ({column_sql}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        for start in range(0, len(rows), SQLITE_ROWS_PER_STATEMENT_RUN):
            cursor.executemany(sql, rows[start : start + SQLITE_ROWS_PER_STATEMENT_RUN])
