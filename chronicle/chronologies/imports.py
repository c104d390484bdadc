"""Storing an agency's imported file and turning its entries into draft rows.

An import is stored in one write: the file exactly as the agency sent it, with every heading
decision needed to read it again (an ``ImportBatch``). The entries then become draft rows in a
background thread that already holds them, so a 100,000-row file is safe in the database as
soon as it is validated and the person is not kept waiting while 100,000 rows are written.
If that thread never finishes (the server restarted, say), the next person to open the draft
makes the rows from the stored file, so no import is ever lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any

import psycopg
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.chronologies.events import schedule_reading
from chronicle.chronologies.models import ChronologyRequest, DraftEntry, ImportBatch
from chronicle.chronologies.store import row_from_entry
from chronicle.core.entries import Entry
from chronicle.core.importing.guards import UploadRefused
from chronicle.core.importing.readers import ReadError
from chronicle.core.importing.validate import ImportResult, import_file
from chronicle.web.http import AuthenticatedHttpRequest as HttpRequest

logger = logging.getLogger(__name__)

# A claim older than this is taken to be lost work (a restarted server), and is taken over.
STALE_CLAIM = dt.timedelta(minutes=5)
# How long a page waits for this process's own background work before saying it is still going.
WAIT_SECONDS = 10.0
SQLITE_ROWS_PER_STATEMENT_RUN = 20_000
# Seconds between a background worker's attempts when the database is busy (None: give up).
WORKER_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 4.0, 8.0, None)

_workers: dict[int, threading.Thread] = {}
_workers_lock = threading.Lock()


class RowsPending(Exception):
    """Entries from an import are still being added to the draft."""

    def __init__(self, batches: Sequence[ImportBatch]) -> None:
        self.batches = list(batches)
        names = ", ".join(batch.filename for batch in self.batches)
        super().__init__(f"the entries from {names} are still being added to the draft")


class ImportChanged(Exception):
    """A stored file that no longer gives the entries it gave when it was validated."""


@transaction.atomic
def store_import(
    request: HttpRequest,
    chronology_request: ChronologyRequest,
    filename: str,
    content: bytes,
    result: ImportResult,
    *,
    replace: bool,
) -> ImportBatch:
    """Save a valid import. The caller has checked ``result.errors`` is empty: one error means nothing is saved."""
    if result.errors:
        raise ValueError("an import with errors is never saved")
    replaced = 0
    if replace:
        # Earlier imports whose rows are not made yet are replaced too: their rows never will be.
        chronology_request.imports.filter(rows_pending=True).update(rows_pending=False, rows_claimed_at=None)
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
        imported_by=request.user,
        rows_pending=True,
    )
    if postgres:
        _store_file_as_binary(batch, content)
    chronology_request.mark_in_progress()
    detail = f"imported {batch.entries} entries from {filename}"
    if replace:
        detail += f", replacing the draft's {replaced} entries"
    record(
        request, Action.CREATE, obj=batch, partnership=chronology_request.incident.partnership, detail=detail
    )
    entries = result.entries
    if settings.IMPORT_ROWS_IN_BACKGROUND:
        transaction.on_commit(lambda: _start_worker(batch.pk, entries))
    else:
        make_rows(batch.pk, entries)
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


def make_waiting_rows(chronology_request: ChronologyRequest, wait: float = WAIT_SECONDS) -> list[ImportBatch]:
    """Make the draft rows of every import still waiting for them; return those still being made elsewhere.

    Work this process started is waited for (up to ``wait`` seconds); imports nobody is working
    on, or whose worker was lost, are made here and now from the stored file.
    """
    pending = list(chronology_request.imports.filter(rows_pending=True).values_list("pk", flat=True))
    if not pending:
        return []
    _wait_for_workers(pending, wait)
    for batch_pk in sorted(pending):
        make_rows(batch_pk)
    return list(chronology_request.imports.filter(rows_pending=True).defer("content").order_by("pk"))


def make_rows(batch_pk: int, entries: Sequence[Entry] | None = None) -> bool:
    """Make one import's draft rows, once. ``entries``: the validated entries, if still in memory.

    Returns True when this call made them. Another worker's fresh claim is left alone; the rows
    of an import replaced in the meantime are never made.
    """
    claimed_at = timezone.now()
    claimable = Q(rows_claimed_at__isnull=True) | Q(rows_claimed_at__lt=claimed_at - STALE_CLAIM)
    # The claim is committed on its own (outside a caller's transaction) so that other server
    # processes can see this work is under way and show "Entries being added" meanwhile.
    with transaction.atomic():
        claimed = (
            ImportBatch.objects.filter(pk=batch_pk, rows_pending=True)
            .filter(claimable)
            .update(rows_claimed_at=claimed_at)
        )
    if not claimed:
        return False
    batch = ImportBatch.objects.select_related("request__agency").defer("content").get(pk=batch_pk)
    try:
        if entries is None:
            entries = _read_again(batch)
        with transaction.atomic():
            _insert_entries(batch, entries)
            finished = ImportBatch.objects.filter(
                pk=batch_pk, rows_pending=True, rows_claimed_at=claimed_at
            ).update(rows_pending=False)
            if not finished:
                transaction.set_rollback(True)  # replaced while its rows were being made
                return False
            schedule_reading(batch.request)  # the rows' events are read by a task, never here
    except ImportChanged as change:
        # The file no longer reads as it did when validated (Chronicle was updated in between).
        # Nothing is added; the agency is told on its draft page and can import the file again.
        ImportBatch.objects.filter(pk=batch_pk, rows_claimed_at=claimed_at).update(
            rows_pending=False, problem=str(change)
        )
        logger.error("import %s: %s", batch.code, change)
        return False
    except BaseException:
        ImportBatch.objects.filter(pk=batch_pk, rows_claimed_at=claimed_at).update(rows_claimed_at=None)
        raise
    return True


def _read_again(batch: ImportBatch) -> list[Entry]:
    """The entries of a stored import, read from the file with the decisions made when it was imported."""
    content = bytes(batch.content)
    decisions = {int(index): decision for index, decision in batch.mapping.items()}
    try:
        result = import_file(
            content,
            batch.filename,
            agency=batch.request.agency.name,
            mapping=decisions,
            max_bytes=max(len(content), 1),  # the size limit was checked on upload; it may change since
            agency_type=batch.request.agency.agency_type,
            event_type_codes=batch.event_type_codes,
        )
    except (UploadRefused, ReadError) as refused:
        raise ImportChanged(f"{batch.filename} can no longer be read: {refused}") from refused
    if result.errors or len(result.entries) != batch.entries:
        raise ImportChanged(
            f"{batch.filename} now gives {len(result.entries):,} entries and {len(result.errors):,} errors "
            f"rather than the {batch.entries:,} entries it gave when imported"
        )
    return result.entries


def _start_worker(batch_pk: int, entries: Sequence[Entry]) -> None:
    worker = threading.Thread(
        target=_work, args=(batch_pk, entries), name=f"chronicle-import-{batch_pk}", daemon=False
    )
    with _workers_lock:
        _workers[batch_pk] = worker
    worker.start()


def _work(batch_pk: int, entries: Sequence[Entry]) -> None:
    try:
        for delay in WORKER_RETRY_DELAYS:
            try:
                make_rows(batch_pk, entries)
                break
            except OperationalError:
                # SQLite allows one writer at a time: the request that stored the import may still
                # be saving its session. Try again shortly; nobody is waiting on this thread.
                if delay is None:
                    raise
                time.sleep(delay)
    except Exception:
        # Nothing is lost: the file is stored, and the draft's next reader makes the rows from it.
        logger.exception(
            "import batch %s: the background work failed; the next reader will redo it", batch_pk
        )
    finally:
        connection.close()  # this thread's own connection
        with _workers_lock:
            _workers.pop(batch_pk, None)


def _wait_for_workers(batch_pks: Sequence[int], wait: float) -> None:
    with _workers_lock:
        workers = [_workers[pk] for pk in batch_pks if pk in _workers]
    deadline = time.monotonic() + wait
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))


def wait_for_background_rows(timeout: float | None = None) -> None:
    """Wait for every import this process is still adding (the benchmark, tests, commands that exit)."""
    with _workers_lock:
        workers = list(_workers.values())
    for worker in workers:
        worker.join(timeout)


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
