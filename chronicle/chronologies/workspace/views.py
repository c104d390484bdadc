"""The agency's workspace for one chronology request: entries, importing, submitting, versions.

Drafts are seen only by the agency (get_draft_for_agency), submitting is the agency lead's
(get_draft_for_lead), and submitted versions are read by everyone get_request_for_reader lets in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.db.models.functions import Length
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from chronicle.accounts.access import get_partnership_for_user
from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record, record_denied
from chronicle.chronologies import services
from chronicle.chronologies.access import (
    acts_for,
    get_draft_for_agency,
    get_draft_for_lead,
    get_request_for_reader,
    get_version_for_reader,
    is_agency_lead,
)
from chronicle.chronologies.agency_event_types import remember, suggestion_for, uncoded_on_draft
from chronicle.chronologies.events import ShownEvent, count_unread, shown_events
from chronicle.chronologies.imports import RequestClosed
from chronicle.chronologies.models import (
    ChronologyRequest,
    ChronologyVersion,
    DraftEntry,
    PendingUpload,
    Status,
    VersionEntry,
)
from chronicle.chronologies.workspace import uploads
from chronicle.chronologies.workspace.forms import (
    ADD,
    FIELD_LABELS,
    INFORMATION_STATUS_LABELS,
    OBTAINED_HOW_LABELS,
    REPLACE,
    AddAgainForm,
    CompareForm,
    ContextRowsForm,
    EventTypeValuesForm,
    ImportForm,
    MappingForm,
    SubmitForm,
    entry_form_class,
)
from chronicle.chronologies.workspace.uploads import Next, UploadOutcome
from chronicle.core.dates import PartialDate
from chronicle.core.entries import EntryKind
from chronicle.core.event_types import label as event_label
from chronicle.core.extract import Suggestion
from chronicle.core.importing.headings import FIELDS, HeadingMapping, apply_user_mapping, map_headings
from chronicle.core.importing.readers import ReadError, read_table
from chronicle.core.importing.validate import ImportResult, RowError, unrecognised_heading_message
from chronicle.core.templates_xlsx import build_csv_template, build_xlsx_template
from chronicle.incidents.services import calendar_for
from chronicle.ui.concurrency import AlreadyDone, EditConflict, once

ENTRIES_PER_PAGE = 50
PROBLEMS_SHOWN = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLOSED_MESSAGE = (
    "This chronology has been accepted, so it can no longer be changed. If the partnership needs more, "
    "it will reopen the chronology and you will get a new request."
)


# --- Presentation helpers -----------------------------------------------------------------------


def ordered_drafts(chronology_request: ChronologyRequest) -> QuerySet[DraftEntry]:
    """By date as recorded: a span ends before anything certainly later, finer dates first (PartialDate.sort_key)."""
    return chronology_request.draft_entries.order_by(
        "date_end", F("date_start").desc(), F("time").asc(nulls_first=True), "id"
    )


@dataclass(frozen=True)
class Row:
    """An entry as a listing shows it."""

    entry: DraftEntry | VersionEntry
    date: str
    event_type: str
    practitioner: bool
    events: list[ShownEvent] | None = None  # as stored; None: not read yet
    suggestion: Suggestion | None = None  # for an uncoded value of the agency's own

    @property
    def suggested_label(self) -> str:
        return event_label(self.suggestion.code) if self.suggestion else ""


def _rows(
    entries: Iterable[DraftEntry | VersionEntry], suggestions: dict[str, Suggestion | None] | None = None
) -> list[Row]:
    return [
        Row(
            entry=e,
            date=PartialDate.from_isoformat(e.date_text).display(),
            event_type=event_label(e.event_type) if e.event_type else "",
            practitioner=e.kind == EntryKind.PRACTITIONER,
            events=shown_events(e.events),
            suggestion=(suggestions or {}).get(e.agency_event_type) if not e.event_type else None,
        )
        for e in entries
    ]


def _page(
    request: HttpRequest, entries: QuerySet[Any], suggestions: dict[str, Suggestion | None] | None = None
) -> tuple[Page[Any], list[Row]]:
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return page, _rows(page.object_list, suggestions)


def shown(name: str, value: Any) -> str:
    """A stored field's value as people read it."""
    if value is None or value == "":
        return "Not recorded" if name in {"child_seen", "seen_alone", "first_hand", "significant"} else ""
    if name in {"date_text", "end_date_text"}:
        return PartialDate.from_isoformat(value).display()
    if name == "first_hand":
        return "First-hand" if value else "Third-party"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "event_type":
        return event_label(value)
    if name == "obtained_how":
        return OBTAINED_HOW_LABELS.get(value, value)
    if name == "information_status":
        return INFORMATION_STATUS_LABELS.get(value, value)
    if name == "kind":
        if value == EntryKind.CONTEXT:
            return "Context, not an agency's record"
        return "Practitioner information" if value == EntryKind.PRACTITIONER else "From the record"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def due_in_words(chronology_request: ChronologyRequest, today: dt.date | None = None) -> str:
    """'14 March 2026, in 9 working days' (or today, or how many working days late)."""
    today = today or timezone.localdate()
    due = chronology_request.due_on
    when = f"{due.day} {due:%B %Y}"
    if not chronology_request.is_open:
        return when
    days = calendar_for(chronology_request.incident.partnership).working_days_between(today, due)
    if due == today:
        return f"{when}: today"
    if due > today:
        return f"{when}, in {days} working day{'s' if days != 1 else ''}"
    late = -days
    return f"{when}: {late} working day{'s' if late != 1 else ''} overdue" if late else f"{when}: overdue"


def _closed(request: HttpRequest, chronology_request: ChronologyRequest) -> HttpResponse | None:
    """Drafts of accepted chronologies are kept as they were."""
    if chronology_request.status == Status.ACCEPTED:
        messages.info(request, CLOSED_MESSAGE)
        return redirect("chronology", code=chronology_request.code)
    return None


def _entry_or_404(request: HttpRequest, chronology_request: ChronologyRequest, code: UUID) -> DraftEntry:
    entry = chronology_request.draft_entries.filter(code=code).first()
    if entry is None:
        record_denied(request, "draftentry", str(code))
        raise Http404
    return entry


# --- The workspace ------------------------------------------------------------------------------


@login_required
def workspace(request: HttpRequest, code: UUID) -> HttpResponse:
    chronology_request = get_draft_for_agency(request, code)
    record(
        request,
        Action.VIEW,
        obj=chronology_request,
        partnership=chronology_request.incident.partnership,
        detail="draft workspace",
    )
    uncoded = uncoded_on_draft(chronology_request)
    page, rows = _page(request, ordered_drafts(chronology_request), {u.value: u.suggestion for u in uncoded})
    context = {
        "chronology_request": chronology_request,
        "incident": chronology_request.incident,
        "due": due_in_words(chronology_request),
        "page": page,
        "rows": rows,
        "is_lead": is_agency_lead(request.user, chronology_request.agency_id),
        "versions": chronology_request.versions.select_related("submitted_by").order_by("-number"),
        "imports": chronology_request.imports.defer("content")
        .annotate(stored_bytes=Length("content"))
        .order_by("-imported_at")[:5],
        "editable": chronology_request.status != Status.ACCEPTED,
        "uncoded": uncoded,
        "unread": count_unread(chronology_request.draft_entries.all()),
    }
    return render(request, "chronologies/workspace/workspace.html", context)


@login_required
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    get_partnership_for_user(request)
    if fmt == "xlsx":
        response = HttpResponse(build_xlsx_template(), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(build_csv_template(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="chronology-template.{fmt}"'
    return response


# --- Entries ------------------------------------------------------------------------------------


def _entry_page(
    request: HttpRequest, chronology_request: ChronologyRequest, entry: DraftEntry | None, kind: str
) -> HttpResponse:
    if (closed := _closed(request, chronology_request)) is not None:
        return closed
    form = entry_form_class(kind)(request.POST if request.method == "POST" else None, instance=entry)
    if request.method == "POST" and form.is_valid():
        workspace_url = reverse("chronology", args=[chronology_request.code])
        try:
            saved = once(
                request,
                form.token(),
                lambda: services.save_entry(
                    Actor.from_request(request), chronology_request, entry, form.values(), form.version_read()
                ),
                lambda _: workspace_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or workspace_url)
        except EditConflict as conflict:
            form.show_conflict(
                conflict, FIELD_LABELS | dict.fromkeys(("date_text", "date_start", "date_end"), "Date")
            )
        else:
            date = PartialDate.from_isoformat(saved.date_text).display()
            messages.success(request, f"The entry for {date} has been {'saved' if entry else 'added'}")
            return redirect(workspace_url)
    context = {
        "chronology_request": chronology_request,
        "form": form,
        "entry": entry,
        "practitioner": kind == EntryKind.PRACTITIONER,
    }
    return render(request, "chronologies/workspace/entry_form.html", context)


@login_required
def entry_new(request: HttpRequest, code: UUID) -> HttpResponse:
    chronology_request = get_draft_for_agency(request, code)
    kind = EntryKind.PRACTITIONER if request.GET.get("kind") == "practitioner" else EntryKind.RECORD
    return _entry_page(request, chronology_request, None, kind)


@login_required
def entry_edit(request: HttpRequest, code: UUID, entry: UUID) -> HttpResponse:
    chronology_request = get_draft_for_agency(request, code)
    found = _entry_or_404(request, chronology_request, entry)
    return _entry_page(request, chronology_request, found, found.kind)


@login_required
def entry_delete(request: HttpRequest, code: UUID, entry: UUID) -> HttpResponse:
    chronology_request = get_draft_for_agency(request, code)
    found = _entry_or_404(request, chronology_request, entry)
    if (closed := _closed(request, chronology_request)) is not None:
        return closed
    if request.method == "POST":
        date = PartialDate.from_isoformat(found.date_text).display()
        services.delete_entry(Actor.from_request(request), found)
        messages.success(request, f"The entry for {date} has been removed")
        return redirect("chronology", code=chronology_request.code)
    context = {"chronology_request": chronology_request, "row": _rows([found])[0]}
    return render(request, "chronologies/workspace/entry_delete.html", context)


# --- Importing ----------------------------------------------------------------------------------


def _mapping_key(upload: PendingUpload) -> str:
    return f"chronology-import-{upload.code}"


def _context_key(upload: PendingUpload) -> str:
    return f"chronology-import-context-{upload.code}"


def _not_context(request: HttpRequest, upload: PendingUpload) -> list[str] | None:
    """The agency-column values the person said are the agency's record; None until asked."""
    found: list[str] | None = request.session.get(_context_key(upload))
    return found


def _stored_choices(request: HttpRequest, upload: PendingUpload) -> dict[int, str]:
    stored: dict[str, str] = request.session.get(_mapping_key(upload), {})
    return {int(index): choice for index, choice in stored.items()}


def _read_again(
    request: HttpRequest, chronology_request: ChronologyRequest, upload: PendingUpload
) -> ImportResult:
    """The kept file read with every answer the person has given so far."""
    return uploads.read_upload(
        upload, chronology_request, _stored_choices(request, upload), _not_context(request, upload) or ()
    )


def _could_not_read(
    request: HttpRequest, chronology_request: ChronologyRequest, upload: PendingUpload, failure: ReadError
) -> HttpResponse:
    # The file was read when uploaded; this is not expected.
    messages.info(request, f"'{upload.filename}' could not be read again ({failure}). Upload it again.")
    return redirect("chronology-import", code=chronology_request.code)


def _kept(outcome: UploadOutcome) -> PendingUpload:
    assert outcome.upload is not None, f"an import's {outcome.next} step keeps the file"
    return outcome.upload


def _next_page(
    request: HttpRequest,
    chronology_request: ChronologyRequest,
    outcome: UploadOutcome,
    form: ImportForm | None = None,
) -> HttpResponse:
    """The page an import's outcome leads to: a question about the kept file, its problems, or the draft."""
    code = chronology_request.code
    if outcome.next in QUESTION_PAGES:
        return redirect(QUESTION_PAGES[outcome.next], code=code, upload=_kept(outcome).code)
    if outcome.next == Next.PROBLEMS:
        upload = _kept(outcome)
        assert outcome.result is not None
        form = form or ImportForm(initial={"mode": REPLACE if upload.replace_draft else ADD})
        return _problems_page(request, chronology_request, form, upload, outcome.result)
    if outcome.next == Next.CLOSED:
        messages.info(request, CLOSED_MESSAGE)
    elif outcome.next == Next.STORED:
        _tell_stored(request, chronology_request, outcome)
    return redirect("chronology", code=code)


QUESTION_PAGES = {
    Next.MAP: "chronology-import-map",
    Next.EVENT_TYPES: "chronology-import-values",
    Next.CONTEXT: "chronology-import-context",
    Next.ASK_AGAIN: "chronology-import-again",
}


def _tell_stored(request: HttpRequest, chronology_request: ChronologyRequest, outcome: UploadOutcome) -> None:
    batch, result = outcome.batch, outcome.result
    assert batch is not None and result is not None
    noun = "entry" if batch.entries == 1 else "entries"
    messages.success(request, f"{batch.entries:,} {noun} imported from {batch.filename}")
    if result.context_sources:
        kept = sum(result.context_sources.values())
        named = ", ".join(f"‘{value}’" for value in result.context_sources)
        messages.info(
            request,
            f"{kept:,} {'entry is' if kept == 1 else 'entries are'} kept as context, not "
            f"{chronology_request.agency.name}’s record: {named}.",
        )
    if result.warnings:
        first = "; ".join(str(w) for w in result.warnings[:3])
        more = f" and {len(result.warnings) - 3:,} more" if len(result.warnings) > 3 else ""
        messages.info(request, f"Check these in the draft: {first}{more}.")


def _problems_page(
    request: HttpRequest,
    chronology_request: ChronologyRequest,
    form: ImportForm,
    upload: PendingUpload,
    result: ImportResult,
) -> HttpResponse:
    context = {
        "chronology_request": chronology_request,
        "form": form,
        "upload": upload,
        "result": result,
        "problems": result.errors[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(result.errors) - PROBLEMS_SHOWN),
        "max_mb": settings.UPLOAD_MAX_MB,
    }
    return render(request, "chronologies/workspace/import.html", context)


@login_required
def import_file(request: HttpRequest, code: UUID) -> HttpResponse:
    chronology_request = get_draft_for_agency(request, code)
    if (closed := _closed(request, chronology_request)) is not None:
        return closed
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        outcome = uploads.receive_upload(
            Actor.from_request(request),
            chronology_request,
            form.filename(),
            form.cleaned_data["file"].read(),
            replace=form.replaces(),
        )
        if outcome.next != Next.REFUSED:
            return _next_page(request, chronology_request, outcome, form)
        form.add_error("file", outcome.refusal)
    context = {"chronology_request": chronology_request, "form": form, "max_mb": settings.UPLOAD_MAX_MB}
    return render(request, "chronologies/workspace/import.html", context)


def _upload_or_404(request: HttpRequest, chronology_request: ChronologyRequest, code: UUID) -> PendingUpload:
    upload = PendingUpload.objects.filter(code=code, request=chronology_request).first()
    if upload is None:
        record_denied(request, "pendingupload", str(code))
        raise Http404
    return upload


def _columns_to_map(mapping: HeadingMapping) -> list[tuple[int, str, str]]:
    """(column, heading, hint) for each column a person must decide about."""
    columns = [
        (index, mapping.heading_of(index), unrecognised_heading_message(mapping.heading_of(index)))
        for index in mapping.unrecognised_columns
    ]
    for index, name in mapping.duplicates:
        first = mapping.column_for(name)
        other = mapping.heading_of(first) if first is not None else ""
        columns.append(
            (
                index,
                mapping.heading_of(index),
                f"This column and ‘{other}’ both look like {FIELD_HEADINGS[name].lower()}; "
                "choose what this one holds, or ignore it.",
            )
        )
    return sorted(columns)


FIELD_HEADINGS = {spec.name: spec.heading for spec in FIELDS}


def _still_to_ask(request: HttpRequest, pending: PendingUpload, *steps: Next) -> set[Next]:
    """The questions an import page may still lead to; rows read as context are asked about once."""
    return {step for step in steps if step != Next.CONTEXT or _not_context(request, pending) is None}


@login_required
def import_map(request: HttpRequest, code: UUID, upload: UUID) -> HttpResponse:
    chronology_request = get_draft_for_agency(request, code)
    if (closed := _closed(request, chronology_request)) is not None:
        return closed
    pending = _upload_or_404(request, chronology_request, upload)
    try:
        table = read_table(bytes(pending.content), pending.filename)
    except ReadError as failure:
        return _could_not_read(request, chronology_request, pending, failure)
    mapping = map_headings(table.headings, agency_given=True)
    form = MappingForm(request.POST if request.method == "POST" else None, columns=_columns_to_map(mapping))
    if request.method == "POST" and form.is_valid():
        choices = form.choices()
        request.session[_mapping_key(pending)] = {str(index): choice for index, choice in choices.items()}
        outcome = uploads.map_upload(
            Actor.from_request(request),
            chronology_request,
            pending,
            table,
            apply_user_mapping(mapping, choices),
            asks=_still_to_ask(request, pending, Next.EVENT_TYPES, Next.CONTEXT),
        )
        return _next_page(request, chronology_request, outcome)
    context = {
        "chronology_request": chronology_request,
        "form": form,
        "upload": pending,
        "recognised": [(mapping.heading_of(i), FIELD_HEADINGS[name]) for i, name in mapping.mapped.items()],
        "missing": [FIELD_HEADINGS[name] for name in mapping.missing_required],
        "fields": [(spec.heading, ", ".join(spec.synonyms)) for spec in FIELDS],
    }
    return render(request, "chronologies/workspace/import_map.html", context)


@login_required
def import_values(request: HttpRequest, code: UUID, upload: UUID) -> HttpResponse:
    """One question per event-type value of the agency's own that Chronicle does not know."""
    chronology_request = get_draft_for_agency(request, code)
    if (closed := _closed(request, chronology_request)) is not None:
        return closed
    pending = _upload_or_404(request, chronology_request, upload)
    try:
        result = _read_again(request, chronology_request, pending)
    except ReadError as failure:
        return _could_not_read(request, chronology_request, pending, failure)
    agency = chronology_request.agency
    questions = [
        (value, rows, suggestion_for(value, agency)) for value, rows in result.unknown_event_types.items()
    ]
    form = EventTypeValuesForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        remember(Actor.from_request(request), agency, form.decisions())
        outcome = uploads.continue_upload(
            Actor.from_request(request),
            chronology_request,
            pending,
            _read_again(request, chronology_request, pending),
            asks=_still_to_ask(request, pending, Next.CONTEXT),
        )
        return _next_page(request, chronology_request, outcome)
    context = {"chronology_request": chronology_request, "form": form, "upload": pending}
    return render(request, "chronologies/workspace/import_values.html", context)


@login_required
def import_context(request: HttpRequest, code: UUID, upload: UUID) -> HttpResponse:
    """Rows whose agency column names context, not an agency (a court, the family): the person confirms."""
    chronology_request = get_draft_for_agency(request, code)
    if (closed := _closed(request, chronology_request)) is not None:
        return closed
    pending = _upload_or_404(request, chronology_request, upload)
    choices = _stored_choices(request, pending)
    try:
        result = uploads.read_upload(pending, chronology_request, choices)
    except ReadError as failure:
        return _could_not_read(request, chronology_request, pending, failure)
    agency = chronology_request.agency.name
    form = ContextRowsForm(
        request.POST if request.method == "POST" else None, sources=result.context_sources, agency=agency
    )
    if request.method == "POST" and form.is_valid():
        not_context = form.not_context()
        request.session[_context_key(pending)] = not_context
        outcome = uploads.continue_upload(
            Actor.from_request(request),
            chronology_request,
            pending,
            uploads.read_upload(pending, chronology_request, choices, not_context),
            asks=set(),
        )
        return _next_page(request, chronology_request, outcome)
    context = {"chronology_request": chronology_request, "form": form, "upload": pending}
    return render(request, "chronologies/workspace/import_context.html", context)


@login_required
def import_again(request: HttpRequest, code: UUID, upload: UUID) -> HttpResponse:
    """The same file is already in the draft: add its entries again only if the person says yes."""
    chronology_request = get_draft_for_agency(request, code)
    if (closed := _closed(request, chronology_request)) is not None:
        return closed
    pending = _upload_or_404(request, chronology_request, upload)
    earlier = services.imported_before(chronology_request, bytes(pending.content))
    form = AddAgainForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["add_again"] != "yes":
            pending.delete()
            messages.info(
                request, f"Nothing was added: the entries from {pending.filename} are in the draft once"
            )
            return redirect("chronology", code=chronology_request.code)
        try:
            result = _read_again(request, chronology_request, pending)
        except ReadError as failure:
            return _could_not_read(request, chronology_request, pending, failure)
        outcome = uploads.add_again(Actor.from_request(request), chronology_request, pending, result)
        return _next_page(request, chronology_request, outcome)
    context = {"chronology_request": chronology_request, "form": form, "upload": pending, "earlier": earlier}
    return render(request, "chronologies/workspace/import_again.html", context)


@login_required
def import_errors(request: HttpRequest, code: UUID, upload: UUID) -> HttpResponse:
    chronology_request = get_draft_for_agency(request, code)
    pending = _upload_or_404(request, chronology_request, upload)
    try:
        problems: list[RowError] = _read_again(request, chronology_request, pending).errors
    except ReadError as failure:
        problems = [RowError(0, "", str(failure))]
    record(
        request,
        Action.EXPORT,
        obj=pending,
        partnership=chronology_request.incident.partnership,
        detail=f"list of {len(problems)} problems in {pending.filename}",
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Row", "Column", "Problem"])
    writer.writerows([problem.row, problem.column, problem.message] for problem in problems)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stem = PurePath(pending.filename).stem or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-problems.csv"'
    return response


@login_required
def import_download(request: HttpRequest, code: UUID, batch: UUID) -> FileResponse:
    """The file exactly as the agency sent it: what its draft entries were read from."""
    chronology_request = get_draft_for_agency(request, code)
    imported = chronology_request.imports.filter(code=batch).exclude(content=b"").first()
    if imported is None:
        record_denied(request, "importbatch", str(batch))
        raise Http404
    record(
        request,
        Action.EXPORT,
        obj=imported,
        partnership=chronology_request.incident.partnership,
        detail=f"the file as imported: {imported.filename}",
    )
    # As a download, never shown in the browser, whatever the file holds.
    return FileResponse(
        io.BytesIO(bytes(imported.content)),
        as_attachment=True,
        filename=imported.filename,
        content_type="application/octet-stream",
    )


# --- Submitting ---------------------------------------------------------------------------------


@login_required
def submit(request: HttpRequest, code: UUID) -> HttpResponse:
    chronology_request = get_draft_for_lead(request, code)
    if (closed := _closed(request, chronology_request)) is not None:
        return closed
    count = chronology_request.draft_entries.count()
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        workspace_url = reverse("chronology", args=[chronology_request.code])
        if count == 0:
            form.add_error(None, "Add at least one entry before you submit the chronology")
        else:
            try:
                version = once(
                    request,
                    form.token(),
                    lambda: services.submit(
                        Actor.from_request(request), chronology_request, form.cleaned_data["note"]
                    ),
                    lambda _: workspace_url,
                )
            except AlreadyDone as done:
                return redirect(done.url or workspace_url)
            except services.NothingChanged as unchanged:
                form.add_error(None, str(unchanged))
            except RequestClosed:
                messages.info(request, CLOSED_MESSAGE)
                return redirect(workspace_url)
            else:
                messages.success(
                    request,
                    f"Version {version.number} has been submitted to the partnership "
                    f"with {version.entry_count:,} entries",
                )
                return redirect(workspace_url)
    context = {
        "chronology_request": chronology_request,
        "form": form,
        "count": count,
        "practitioner_count": chronology_request.draft_entries.filter(kind=EntryKind.PRACTITIONER).count(),
        "latest": ChronologyVersion.objects.newest_of(chronology_request),
    }
    return render(request, "chronologies/workspace/submit.html", context)


# --- Versions -----------------------------------------------------------------------------------


def _back_to(request: HttpRequest, chronology_request: ChronologyRequest) -> tuple[str, str]:
    """Agencies go back to their workspace; everyone else to the case's chronologies."""
    if acts_for(request.user, chronology_request.agency_id):
        return reverse("chronology", args=[chronology_request.code]), "Back to the chronology"
    return reverse(
        "case-chronologies", args=[chronology_request.incident.code]
    ), "Back to the case's chronologies"


@login_required
def version(request: HttpRequest, code: UUID, number: int) -> HttpResponse:
    found = get_version_for_reader(request, code, number)
    chronology_request = found.request
    page, rows = _page(request, found.entries.all())
    back_url, back_text = _back_to(request, chronology_request)
    context = {
        "chronology_request": chronology_request,
        "version": found,
        "page": page,
        "rows": rows,
        "numbers": list(chronology_request.versions.values_list("number", flat=True)),
        "back_url": back_url,
        "back_text": back_text,
        "unread": count_unread(found.entries.all()),
    }
    return render(request, "chronologies/workspace/version.html", context)


@dataclass(frozen=True)
class Change:
    before: Row
    after: Row
    fields: list[tuple[str, str, str]]  # label, before, after


def _changes(comparison: services.Comparison) -> list[Change]:
    changes = []
    for before, after, names in comparison.changed:
        fields = [
            (FIELD_LABELS.get(n, n), shown(n, getattr(before, n)), shown(n, getattr(after, n))) for n in names
        ]
        changes.append(Change(_rows([before])[0], _rows([after])[0], fields))
    return changes


@login_required
def compare(request: HttpRequest, code: UUID) -> HttpResponse:
    chronology_request = get_request_for_reader(request, code)
    versions = {v.number: v for v in chronology_request.versions.order_by("number")}
    numbers = sorted(versions)
    asked = "from" in request.GET or "to" in request.GET
    defaults = {"from": str(numbers[-2]), "to": str(numbers[-1])} if len(numbers) > 1 else {}
    form = CompareForm(request.GET if asked else None, initial=defaults, numbers=numbers)
    comparison = older = newer = None
    chosen = form.cleaned_data if asked and form.is_valid() else (defaults if not asked else None)
    if chosen:
        older, newer = versions[int(chosen["from"])], versions[int(chosen["to"])]
        comparison = services.compare(older, newer)
        record(
            request,
            Action.VIEW,
            obj=newer,
            partnership=chronology_request.incident.partnership,
            detail=f"compared version {older.number} with version {newer.number}",
        )
    back_url, back_text = _back_to(request, chronology_request)
    context: dict[str, Any] = {
        "chronology_request": chronology_request,
        "form": form,
        "numbers": numbers,
        "older": older,
        "newer": newer,
        "comparison": comparison,
        "back_url": back_url,
        "back_text": back_text,
    }
    if comparison is not None:
        context.update(
            added=_rows(comparison.added),
            removed=_rows(comparison.removed),
            changes=_changes(comparison),
        )
    return render(request, "chronologies/workspace/compare.html", context)
