"""An uploaded file's way from the import page to stored draft rows, without the web request.

The import views parse their form and call one function here; the answer (an ``UploadOutcome``)
says what the person sees next: the column mapping, the list of problems, a question about the
agency's own event types or context rows, the question whether to add a file already in the
draft again, or the stored import. Files not stored at once are kept as a ``PendingUpload``
(one per person and request) for the next step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings

from chronicle.audit.actor import Actor
from chronicle.chronologies.agency_event_types import remembered
from chronicle.chronologies.imports import AlreadyImported, RequestClosed, store_import
from chronicle.chronologies.models import ChronologyRequest, ImportBatch, PendingUpload
from chronicle.core.importing.guards import UploadRefused
from chronicle.core.importing.headings import HeadingMapping, apply_user_mapping, map_headings
from chronicle.core.importing.readers import ReadError, Table, read_table
from chronicle.core.importing.validate import ImportResult, import_table
from chronicle.core.importing.validate import import_file as validate_file


class Next(StrEnum):
    """What the person is shown after a step of an import."""

    MAP = "map"  # columns Chronicle could not name, or two columns for one field
    PROBLEMS = "problems"  # rows with errors, listed; nothing is stored
    EVENT_TYPES = "event-types"  # the agency's own event-type values Chronicle does not know
    CONTEXT = "context"  # rows whose agency column names context (a court, the family)
    ASK_AGAIN = "again"  # the same file's entries are already in the draft
    STORED = "stored"
    CLOSED = "closed"  # the chronology was accepted meanwhile: its draft is kept as it was
    REFUSED = "refused"  # the file could not be read, or is past a limit


@dataclass(frozen=True)
class UploadOutcome:
    next: Next
    upload: PendingUpload | None = None  # the file kept for the next step
    result: ImportResult | None = None
    batch: ImportBatch | None = None  # when stored
    refusal: str = ""  # when refused: why, naming the row or limit


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_MB) * 1024 * 1024


def event_type_options(chronology_request: ChronologyRequest) -> dict[str, Any]:
    """How the agency's own event-type values are read: by its kind, and as it said before."""
    agency = chronology_request.agency
    return {"agency_type": agency.agency_type, "event_type_codes": remembered(agency)}


def needs_mapping(mapping: HeadingMapping) -> bool:
    return bool(mapping.unrecognised_columns or mapping.duplicates)


def keep_upload(
    actor: Actor, chronology_request: ChronologyRequest, filename: str, data: bytes, replace: bool
) -> PendingUpload:
    """Hold the file for the mapping step or the list of problems; one per person and request."""
    PendingUpload.objects.filter(request=chronology_request, uploaded_by=actor.user).delete()
    return PendingUpload.objects.create(
        request=chronology_request,
        filename=filename,
        content=data,
        replace_draft=replace,
        uploaded_by=actor.user,
    )


def receive_upload(
    actor: Actor, chronology_request: ChronologyRequest, filename: str, data: bytes, *, replace: bool
) -> UploadOutcome:
    """Read, map and check a file just uploaded, and store it if nothing needs asking."""
    try:
        result = validate_file(
            data,
            filename,
            agency=chronology_request.agency.name,
            max_bytes=max_bytes(),
            **event_type_options(chronology_request),
        )
    except (UploadRefused, ReadError) as refused:
        return UploadOutcome(Next.REFUSED, refusal=str(refused))
    for asks, step in (
        (needs_mapping(result.mapping), Next.MAP),
        (bool(result.errors), Next.PROBLEMS),
        (bool(result.unknown_event_types), Next.EVENT_TYPES),
        (bool(result.context_sources), Next.CONTEXT),
    ):
        if asks:
            upload = keep_upload(actor, chronology_request, filename, data, replace)
            return UploadOutcome(step, upload=upload, result=result)
    return store_upload(actor, chronology_request, filename, data, result, replace=replace)


def read_upload(
    upload: PendingUpload,
    chronology_request: ChronologyRequest,
    choices: dict[int, str],
    not_context: Iterable[str] = (),
) -> ImportResult:
    """Validate a kept upload again with the person's mapping (the file passed the guards when uploaded).

    Raises ReadError if the kept file can no longer be read.
    """
    table = read_table(bytes(upload.content), upload.filename)
    mapping = apply_user_mapping(map_headings(table.headings, agency_given=True), choices)
    return import_table(
        table,
        agency=chronology_request.agency.name,
        mapping=mapping,
        not_context=not_context,
        **event_type_options(chronology_request),
    )


def store_upload(
    actor: Actor,
    chronology_request: ChronologyRequest,
    filename: str,
    data: bytes,
    result: ImportResult,
    *,
    replace: bool,
    upload: PendingUpload | None = None,
    again: bool = False,
) -> UploadOutcome:
    """Store a valid import; a file already in the draft is kept and asked about, not added twice."""
    try:
        batch = store_import(actor, chronology_request, filename, data, result, replace=replace, again=again)
    except AlreadyImported:
        # Nothing is added until the person says yes: keep the file for the question.
        upload = upload or keep_upload(actor, chronology_request, filename, data, replace)
        return UploadOutcome(Next.ASK_AGAIN, upload=upload, result=result)
    except RequestClosed:
        return UploadOutcome(Next.CLOSED, upload=upload, result=result)
    PendingUpload.objects.filter(request=chronology_request, uploaded_by=actor.user).delete()
    return UploadOutcome(Next.STORED, result=result, batch=batch)


def continue_upload(
    actor: Actor,
    chronology_request: ChronologyRequest,
    upload: PendingUpload,
    result: ImportResult,
    *,
    asks: set[Next],
) -> UploadOutcome:
    """After an answer about a kept upload: the next question in ``asks`` it needs, or the stored import.

    Unknown event types the person may no longer be asked about (the file was valid a moment ago)
    are shown with the problems rather than stored.
    """
    if result.errors:
        return UploadOutcome(Next.PROBLEMS, upload=upload, result=result)
    if result.unknown_event_types:
        step = Next.EVENT_TYPES if Next.EVENT_TYPES in asks else Next.PROBLEMS
        return UploadOutcome(step, upload=upload, result=result)
    if Next.CONTEXT in asks and result.context_sources:
        return UploadOutcome(Next.CONTEXT, upload=upload, result=result)
    return store_upload(
        actor,
        chronology_request,
        upload.filename,
        bytes(upload.content),
        result,
        replace=upload.replace_draft,
        upload=upload,
    )


def map_upload(
    actor: Actor,
    chronology_request: ChronologyRequest,
    upload: PendingUpload,
    table: Table,
    mapping: HeadingMapping,
    *,
    asks: set[Next],
) -> UploadOutcome:
    """Read a kept upload's table with the headings as the person mapped them, then go on."""
    result = import_table(
        table,
        agency=chronology_request.agency.name,
        mapping=mapping,
        **event_type_options(chronology_request),
    )
    return continue_upload(actor, chronology_request, upload, result, asks=asks)


def add_again(
    actor: Actor, chronology_request: ChronologyRequest, upload: PendingUpload, result: ImportResult
) -> UploadOutcome:
    """The person said yes: add a file whose entries are already in the draft once more."""
    if result.errors:
        return UploadOutcome(Next.PROBLEMS, upload=upload, result=result)
    return store_upload(
        actor,
        chronology_request,
        upload.filename,
        bytes(upload.content),
        result,
        replace=False,
        upload=upload,
        again=True,
    )
