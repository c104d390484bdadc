"""Validating an agency's table into chronology entries, all or nothing (design §3, rulebook CQ-01, CQ-03).

``import_table`` checks every row and collects every problem, each with the row
number and the column heading as written in the file, so an agency can fix the
whole file in one go. The caller saves nothing unless ``errors`` is empty.

Errors: a missing, unreadable, impossible or ambiguous date (CQ-01); no source of
information (CQ-03); no description; a yes/no cell that is neither; an end before
the start. Warnings: an approximate date written without the precision column
(CQ-01), text that looks like a spreadsheet formula, two-digit years, values from
columns Chronicle does not know (kept with the entry as extra information), and
an agency's own event-type value that is not one of Chronicle's codes.

An event-type value is never a reason to refuse a file: each entry keeps the value
exactly as written (``Entry.agency_event_type``), and gets a code only when the
value is one of Chronicle's codes, labels or common wordings, or when the agency
said which code it means (``event_type_codes``). Anything else is left uncoded
with a warning; Chronicle then reads the entry's events from its words.

A 100,000-row import must cost little more than reading the file (design §8), so
the table is checked column by column rather than cell by cell: one transpose,
each distinct value converted once (chronologies repeat dates, times, codes and
answers), problems put back in row order at the end, and every entry built in one
pass when there is nothing wrong.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import itertools
import operator
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, field, fields
from itertools import compress, repeat
from pathlib import Path
from typing import Any

from chronicle.core.agency_kinds import is_context_source
from chronicle.core.dates import PartialDate, Precision
from chronicle.core.entries import Entry, EntryKind
from chronicle.core.importing.dates import (
    DateError,
    ParsedDate,
    parse_cell_time,
    parse_date_detail,
    parse_precision,
)
from chronicle.core.importing.guards import MAX_UPLOAD_BYTES, check_upload
from chronicle.core.importing.headings import (
    FIELDS,
    FIELDS_BY_NAME,
    FieldKind,
    HeadingMapping,
    apply_user_mapping,
    map_headings,
    synonyms_text,
)
from chronicle.core.importing.readers import SPREADSHEET_FORMATS, CellValue, Table, read_table
from chronicle.core.importing.values import (
    AGENCY_DEPENDENT_EVENT_TYPES,
    event_type_code,
    event_type_key,
    read_first_hand,
    read_yes_no,
)

# Headings as written, or column indexes, to decisions (see headings.apply_user_mapping).
UserChoices = Mapping[str, str | None] | Mapping[int, str | None]


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem in one cell (or the heading row): the row number and column heading as in the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(slots=True)
class ImportResult:
    """Entries made from the valid rows, and every error and warning found."""

    entries: list[Entry]
    errors: list[RowError]
    warnings: list[RowError]
    mapping: HeadingMapping
    unrecognised_headings: list[str]
    sheet: str = ""
    format: str = ""
    notes: list[str] = field(default_factory=list)
    header_row: int = 1
    # The agency's own event-type values that are not Chronicle's codes and that nobody has decided
    # about yet (value as first written -> rows): the questions the value-mapping step asks.
    unknown_event_types: dict[str, int] = field(default_factory=dict)
    # The agency's decisions that were applied (value as written -> code, "" to leave it uncoded).
    event_type_codes: dict[str, str] = field(default_factory=dict)
    # Agency-column values read as context, not an agency (value as written -> rows): "Crown Court",
    # "Family (context)". Their entries are kept as ``EntryKind.CONTEXT``; a person may say otherwise.
    context_sources: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the file can be saved: there is no error at all."""
        return not self.errors

    def date_range(self) -> tuple[PartialDate, PartialDate] | None:
        if not self.entries:
            return None
        dates = [entry.date for entry in self.entries]
        return min(dates, key=PartialDate.sort_key), max(dates, key=PartialDate.sort_key)

    def agencies(self) -> list[str]:
        return sorted({entry.agency for entry in self.entries})


def _text(value: CellValue) -> str:
    """Any cell as text: whole numbers without ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _closest_headings(heading: str) -> str:
    matches = difflib.get_close_matches(heading.lower(), _ALL_SYNONYMS, n=3, cutoff=0.6)
    if not matches:
        return ""
    shown = ", ".join(f"'{match}' ({_SYNONYM_FIELD[match]})" for match in matches)
    return f" The closest known headings are {shown}."


_SYNONYM_FIELD: dict[str, str] = {
    name.lower(): spec.name for spec in FIELDS for name in (spec.heading, *spec.synonyms)
}
_ALL_SYNONYMS = list(_SYNONYM_FIELD)


def unrecognised_heading_message(heading: str) -> str:
    """Why a heading was not matched, with the nearest known headings."""
    return f"'{heading}' is not a heading Chronicle knows.{_closest_headings(heading)}"


def _resolve_mapping(
    table: Table, agency: str | None, mapping: HeadingMapping | UserChoices | None
) -> HeadingMapping:
    agency_given = bool(agency and agency.strip())
    if mapping is None:
        return map_headings(table.headings, agency_given)
    if isinstance(mapping, HeadingMapping):
        if mapping.agency_given != agency_given:
            return apply_user_mapping(mapping, {}, agency_given)
        return mapping
    return apply_user_mapping(map_headings(table.headings, agency_given), mapping, agency_given)


def _heading_errors(table: Table, mapping: HeadingMapping) -> list[RowError]:
    errors: list[RowError] = []
    for name in mapping.missing_required:
        spec = FIELDS_BY_NAME[name]
        extra = " (or choose the agency when uploading)" if name == "agency" else ""
        errors.append(
            RowError(
                table.header_row,
                spec.heading,
                f"no column gives the {spec.heading.lower()}{extra}. Chronicle recognises the headings "
                f"{synonyms_text(name)}.",
            )
        )
    for index, name in mapping.duplicates:
        first = mapping.column_for(name)
        first_heading = mapping.heading_of(first) if first is not None else ""
        errors.append(
            RowError(
                table.header_row,
                mapping.heading_of(index),
                f"this column and '{first_heading}' both mean {FIELDS_BY_NAME[name].heading.lower()}; "
                "say which one to use and ignore the other",
            )
        )
    return errors


def import_table(
    table: Table,
    agency: str | None = None,
    mapping: HeadingMapping | UserChoices | None = None,
    *,
    agency_type: str = "",
    event_type_codes: Mapping[str, str] | None = None,
    not_context: Iterable[str] = (),
) -> ImportResult:
    """Validate every row of ``table`` into entries; save nothing unless ``errors`` is empty.

    ``agency``: the agency the chronology belongs to (required unless the file has an
    agency column). ``mapping``: a ``HeadingMapping`` from the mapping step, or a
    person's choices such as {"Happening": "description", "Notes": "ignore"}.
    ``agency_type``: the kind of agency (an ``accounts.AgencyType`` value), for event-type
    wordings whose meaning depends on it. ``event_type_codes``: the agency's own event-type
    values it has said the code of (value -> code, or "" to leave it uncoded), compared
    ignoring case, spaces and punctuation.

    An agency column's value that names context rather than an agency (the family, a court,
    a coroner, the media, a review: ``agency_kinds.is_context_source``) makes its rows context
    entries, listed in ``result.context_sources``; ``not_context`` names values a person said
    are agencies after all (compared ignoring case).
    """
    mapping = _resolve_mapping(table, agency, mapping)
    errors = _heading_errors(table, mapping)
    warnings: list[RowError] = []
    result = ImportResult(
        entries=[],
        errors=errors,
        warnings=warnings,
        mapping=mapping,
        unrecognised_headings=list(mapping.unrecognised),
        sheet=table.sheet,
        format=table.format,
        notes=list(table.notes),
        header_row=table.header_row,
    )
    for heading in mapping.unrecognised:
        warnings.append(
            RowError(
                table.header_row,
                heading,
                "not a Chronicle field; its values are kept with each entry as extra information",
            )
        )
    if mapping.missing_required:
        return result
    codes = _EventTypeCodes(agency_type, event_type_codes or {})
    agencies_after_all = {value.strip().casefold() for value in not_context}
    _validate_rows(table, mapping, agency.strip() if agency else None, result, codes, agencies_after_all)
    if not result.entries and not result.errors:
        errors.append(RowError(table.header_row, "", "the file has a heading row but no entries under it"))
    return result


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where each field is, worked out once per file."""

    width: int
    date: int
    description: int
    source: int
    agency: int | None
    precision: int | None
    time: int | None
    end_date: int | None
    end_time: int | None
    event_type: int | None
    recorded_on: int | None
    first_hand: int | None
    texts: tuple[tuple[int, str], ...]  # plain text fields other than description, source and agency
    yes_no: tuple[tuple[int, str], ...]
    extras: tuple[tuple[int, str], ...]  # (column, heading) kept as extra information


def _plan(mapping: HeadingMapping) -> _Columns:
    by_field = {name: index for index, name in mapping.mapped.items()}
    plain = {"description", "source", "agency"}
    texts = tuple(
        (index, name)
        for index, name in mapping.mapped.items()
        if FIELDS_BY_NAME[name].kind is FieldKind.TEXT and name not in plain
    )
    yes_no = tuple(
        (index, name)
        for index, name in mapping.mapped.items()
        if FIELDS_BY_NAME[name].kind is FieldKind.YES_NO
    )
    # Columns without a heading (under a merged heading, say) are kept too, never dropped unseen.
    unheaded = {
        index
        for index, heading in enumerate(mapping.headings)
        if not heading.strip() and index not in mapping.mapped and index not in mapping.ignored
    }
    extras = tuple(
        (index, mapping.heading_of(index))
        for index in sorted({*mapping.unrecognised_columns, *mapping.extra, *unheaded})
    )
    width = max([len(mapping.headings), *(index + 1 for index in mapping.mapped)])
    return _Columns(
        width=width,
        date=by_field["date"],
        description=by_field["description"],
        source=by_field["source"],
        agency=by_field.get("agency"),
        precision=by_field.get("date_precision"),
        time=by_field.get("time"),
        end_date=by_field.get("end_date"),
        end_time=by_field.get("end_time"),
        event_type=by_field.get("event_type"),
        recorded_on=by_field.get("recorded_on"),
        first_hand=by_field.get("first_hand"),
        texts=texts,
        yes_no=yes_no,
        extras=extras,
    )


FORMULA_WARNING = "starts with '=' like a spreadsheet formula; it is kept as text and never run"
_BLANK = ("", None)
_FAILED = object()  # a cell whose value could not be converted


class _Collector:
    """Problems found column by column, put back in row order at the end.

    Each is kept as (row position, column index, message) so errors read top to
    bottom and left to right, as a person works through the file.
    """

    def __init__(self, numbers: list[int], mapping: HeadingMapping, check_formulas: bool) -> None:
        self.numbers = numbers
        self.mapping = mapping
        # Spreadsheet readers give formulas' saved values, so only text formats
        # (CSV, or a table from elsewhere) can carry a formula as text.
        self.check_formulas = check_formulas
        self.errors: list[tuple[int, int, str]] = []
        self.warnings: list[tuple[int, int, str]] = []

    def error(self, position: int, column: int, message: str) -> None:
        self.errors.append((position, column, message))

    def warning(self, position: int, column: int, message: str) -> None:
        self.warnings.append((position, column, message))

    def row_errors(self, found: list[tuple[int, int, str]]) -> list[RowError]:
        heading = self.mapping.heading_of
        return [
            RowError(self.numbers[position], heading(column), message)
            for position, column, message in sorted(found, key=lambda item: (item[0], item[1]))
        ]


def _texts(values: Sequence[Any]) -> list[str]:
    try:
        return list(map(str.strip, values))  # the fast path: a column of text
    except TypeError:
        return [
            value.strip()
            if value.__class__ is str
            else str(int(value))
            if value.__class__ is float and value.is_integer()
            else _text(value)
            for value in values
        ]


def _positions(flags: Iterable[Any]) -> Iterator[int]:
    """Positions of the true flags."""
    return compress(itertools.count(), flags)


def _flag_formulas(texts: list[str], column: int, found: _Collector) -> None:
    if not found.check_formulas:
        return
    for position in _positions(map(str.startswith, texts, repeat("="))):
        found.warning(position, column, FORMULA_WARNING)


def _convert_each_value(
    values: Sequence[Any], column: int, convert: Any, found: _Collector, blank: object = None
) -> list[Any]:
    """Convert each distinct value once (chronologies repeat dates, codes and answers a lot).

    ``convert`` returns the converted value or raises ValueError with the message for
    the person; blank cells become ``blank``.
    """
    results: dict[Any, Any] = {}
    failures: dict[Any, str] = {}
    for value in set(values):
        if value in _BLANK:
            results[value] = blank
            continue
        try:
            results[value] = convert(value)
        except ValueError as exc:
            results[value] = _FAILED
            failures[value] = str(exc)
    converted = list(map(results.__getitem__, values))
    if failures:
        for position, value in enumerate(values):
            if results[value] is _FAILED:
                found.error(position, column, failures[value])
    return converted


def _read_dates(
    cols: list[Sequence[CellValue]], columns: _Columns, found: _Collector
) -> tuple[list[PartialDate | None], list[dt.time | None]]:
    """The start dates (with the precision column applied) and any times written in the date cells."""
    values = cols[columns.date]
    hints: list[Any] | None = None
    if columns.precision is not None:
        hints = _convert_each_value(cols[columns.precision], columns.precision, parse_precision, found)
    keys: list[Any] = list(values) if hints is None else list(zip(values, hints, strict=True))
    results: dict[Any, ParsedDate | str] = {}
    for key in set(keys):
        value, hint = (key, None) if hints is None else key
        if hint is _FAILED:
            hint = None
        if value in _BLANK:
            results[key] = "the date is missing"
            continue
        try:
            results[key] = parse_date_detail(value, hint)
        except DateError as exc:
            results[key] = exc.message
    outcomes = list(map(results.__getitem__, keys))
    clean = not any(isinstance(parsed, str) or parsed.warnings for parsed in results.values())
    if clean:
        dates: list[PartialDate | None] = [parsed.date for parsed in outcomes]  # type: ignore[union-attr]
        has_times = any(parsed.time for parsed in results.values())  # type: ignore[union-attr]
        times: list[dt.time | None] = (
            [parsed.time for parsed in outcomes] if has_times else [None] * len(keys)  # type: ignore[union-attr]
        )
        return dates, times
    dates, times = [], []
    for position, parsed in enumerate(outcomes):
        if isinstance(parsed, str):
            found.error(position, columns.date, parsed)
            dates.append(None)
            times.append(None)
            continue
        dates.append(parsed.date)
        times.append(parsed.time)
        for text in parsed.warnings:
            found.warning(position, columns.date, text)
    return dates, times


def _read_recorded_on(value: CellValue) -> dt.date:
    recorded = parse_date_detail(value).date
    if recorded.precision is not Precision.DAY:
        raise DateError(f"'{value}' is not a full date; give the day the record was made")
    return recorded.start


@dataclass(frozen=True, slots=True)
class _EventTypeCodes:
    """How an agency's event-type values become codes: Chronicle's own wordings, then the agency's word."""

    agency_type: str
    decided: Mapping[str, str]

    def read(
        self, written: Sequence[str], heading: str, header_row: int, result: ImportResult
    ) -> list[str | None]:
        """One code (or None) per row; the values left uncoded are listed in ``result``, each once."""
        decided = {event_type_key(value): code for value, code in self.decided.items()}
        codes: dict[str, str | None] = {}
        uncoded: dict[str, str] = {}  # key -> value as first written
        for value in dict.fromkeys(written):
            if not value:
                codes[value] = None
                continue
            code = event_type_code(value, self.agency_type)
            if code is None:
                key = event_type_key(value)
                if key in decided:
                    result.event_type_codes[value] = decided[key]
                    code = decided[key] or None
                if code is None:
                    uncoded.setdefault(key, value)
            codes[value] = code
        coded = list(map(codes.__getitem__, written))
        if uncoded:
            counts = Counter(
                event_type_key(value)
                for value, code in zip(written, coded, strict=True)
                if value and code is None
            )
            for key, value in uncoded.items():
                rows = counts[key]
                if key not in decided:
                    result.unknown_event_types[value] = rows
                result.warnings.append(
                    RowError(
                        header_row,
                        heading,
                        f"{rows:,} {'row has' if rows == 1 else 'rows have'} the event type '{value}', "
                        + (
                            "whose code depends on who wrote it (a police home visit is not a social worker's)"
                            if key in AGENCY_DEPENDENT_EVENT_TYPES
                            else "which is not one of Chronicle's codes"
                        )
                        + ": kept as written and left uncoded, so Chronicle reads those entries' events from "
                        "their words",
                    )
                )
        return coded


def _read_end(
    cols: list[Sequence[CellValue]],
    columns: _Columns,
    starts: list[PartialDate | None],
    start_times: list[dt.time | None],
    found: _Collector,
) -> tuple[list[PartialDate | None], list[dt.time | None]]:
    count = len(starts)
    ends: list[PartialDate | None] = [None] * count
    end_times: list[dt.time | None] = [None] * count
    if columns.end_date is not None:
        parsed = _convert_each_value(cols[columns.end_date], columns.end_date, parse_date_detail, found)
        for position, item in enumerate(parsed):
            if isinstance(item, ParsedDate):
                ends[position], end_times[position] = item.date, item.time
                for text in item.warnings:
                    found.warning(position, columns.end_date, text)
    if columns.end_time is not None:
        written = _convert_each_value(cols[columns.end_time], columns.end_time, parse_cell_time, found)
        end_times = [
            time if isinstance(time, dt.time) else end_times[position]
            for position, time in enumerate(written)
        ]
    column = columns.end_date if columns.end_date is not None else columns.end_time
    assert column is not None
    for position in range(count):
        start, end, end_time = starts[position], ends[position], end_times[position]
        if start is None or (end is None and end_time is None):
            continue
        if end is not None and end.end < start.start:
            found.error(
                position, column, f"the end date {end.display()} is before the start date {start.display()}"
            )
            continue
        start_time = start_times[position]
        same_day = start.precision is Precision.DAY and (end is None or end == start)
        if same_day and start_time is not None and end_time is not None and end_time < start_time:
            found.error(
                position,
                column,
                f"the end time {end_time:%H:%M} is before the start time {start_time:%H:%M} on the same day",
            )
    return ends, end_times


def _validate_rows(
    table: Table,
    mapping: HeadingMapping,
    agency: str | None,
    result: ImportResult,
    codes: _EventTypeCodes,
    not_context: set[str],
) -> None:
    """Check the table column by column, then make every entry at once if nothing is wrong."""
    columns = _plan(mapping)
    width = columns.width
    grid = table.grid
    if grid and min(map(len, grid)) < width:
        grid = [[*cells, *([""] * (width - len(cells)))] for cells in grid]
    date_col, description_col, source_col = columns.date, columns.description, columns.source
    numbers = table.numbers
    # Column by column: one transpose, then each check runs over a whole column.
    cols: list[Sequence[CellValue]] = list(zip(*grid, strict=False)) or [()] * width
    # Blank rows are skipped; only rows with no date are candidates, so this is cheap.
    blank_rows = [
        index
        for index in _positions(map(_BLANK.__contains__, cols[date_col]))
        if cols[description_col][index] in _BLANK
        and cols[source_col][index] in _BLANK
        and all(cell in _BLANK for cell in grid[index])
    ]
    if blank_rows:
        skip = set(blank_rows)
        grid = [cells for index, cells in enumerate(grid) if index not in skip]
        numbers = [number for index, number in enumerate(numbers) if index not in skip]
        cols = list(zip(*grid, strict=False)) or [()] * width
    count = len(grid)
    found = _Collector(numbers, mapping, table.format not in SPREADSHEET_FORMATS)
    by_field: dict[str, list[Any]] = {"row": numbers}

    dates, date_times = _read_dates(cols, columns, found)
    by_field["date"] = dates
    times = date_times
    if columns.time is not None:
        written = _convert_each_value(cols[columns.time], columns.time, parse_cell_time, found)
        if any(date_times):  # a time written in the date cell fills a blank time cell
            times = [
                time if isinstance(time, dt.time) else date_times[position]
                for position, time in enumerate(written)
            ]
        else:
            times = written
    by_field["time"] = times
    if columns.end_date is not None or columns.end_time is not None:
        by_field["end_date"], by_field["end_time"] = _read_end(cols, columns, dates, times, found)

    for name, column, missing in (
        ("description", description_col, "the description of the event is missing"),
        (
            "source",
            source_col,
            "the source of information is missing (CQ-03): name the record, document or person",
        ),
    ):
        texts = _texts(cols[column])
        for position in _positions(map(operator.not_, texts)):
            found.error(position, column, missing)
        _flag_formulas(texts, column, found)
        by_field[name] = texts

    context_rows: list[str] = []
    if columns.agency is not None:
        written_agencies = _texts(cols[columns.agency])
        context = {
            name
            for name in set(written_agencies)
            if name and name.casefold() not in not_context and is_context_source(name)
        }
        if context:
            context_rows = [name if name in context else "" for name in written_agencies]
            result.context_sources = dict(sorted(Counter(filter(None, context_rows)).items()))
            by_field["kind"] = [EntryKind.CONTEXT if name else EntryKind.RECORD for name in context_rows]
        if agency:
            others = Counter(
                name for name in written_agencies if name and name != agency and name not in context
            )
            if others:
                examples = ", ".join(f"'{name}'" for name, _ in others.most_common(3))
                result.warnings.append(
                    RowError(
                        table.header_row,
                        mapping.heading_of(columns.agency),
                        f"{sum(others.values())} rows name another agency ({examples}); every entry is "
                        f"recorded under '{agency}', the agency chosen for this upload",
                    )
                )
        else:
            for position in _positions(map(operator.not_, written_agencies)):
                found.error(position, columns.agency, "the agency is missing")
            by_field["agency"] = written_agencies
    if agency:
        by_field["agency"] = [agency] * count

    for column, name in columns.texts:
        texts = _texts(cols[column])
        _flag_formulas(texts, column, found)
        by_field[name] = texts
    if columns.event_type is not None:
        written_types = _texts(cols[columns.event_type])
        _flag_formulas(written_types, columns.event_type, found)
        by_field["event_type"] = codes.read(
            written_types,
            mapping.heading_of(columns.event_type),
            table.header_row,
            result,
        )
        by_field["agency_event_type"] = written_types
    for column, name in columns.yes_no:
        by_field[name] = _convert_each_value(cols[column], column, read_yes_no, found)
    if columns.first_hand is not None:
        by_field["first_hand"] = _convert_each_value(
            cols[columns.first_hand], columns.first_hand, read_first_hand, found
        )
    if columns.recorded_on is not None:
        by_field["recorded_on"] = _convert_each_value(
            cols[columns.recorded_on], columns.recorded_on, _read_recorded_on, found
        )
    if columns.extras:
        names = [name for _, name in columns.extras]
        extra_texts = [_texts(cols[column]) for column, _ in columns.extras]
        by_field["extra"] = [
            {name: text for name, text in zip(names, row_texts, strict=True) if text}
            for row_texts in zip(*extra_texts, strict=True)
        ]
    if agency and context_rows and columns.agency is not None:
        # Every entry is recorded under the agency chosen at upload; a context row keeps what it was.
        heading = mapping.heading_of(columns.agency)
        extras = by_field.setdefault("extra", [{} for _ in range(count)])
        for extra, name in zip(extras, context_rows, strict=True):
            if name:
                extra[heading] = name

    result.errors.extend(found.row_errors(found.errors))
    result.warnings.extend(found.row_errors(found.warnings))
    if result.errors:
        return  # all or nothing: no partial set of entries is handed back
    result.entries.extend(_make_entries(by_field, count))


def _make_entries(by_field: dict[str, list[Any]], count: int) -> list[Entry]:
    """Build every entry in one pass, passing each field by position in Entry's own order."""
    arguments: list[Any] = []
    names = [item.name for item in fields(Entry)]
    last = max(names.index(name) for name in by_field)
    for item in fields(Entry)[: last + 1]:
        if item.name in by_field:
            arguments.append(by_field[item.name])
        elif item.default_factory is not MISSING:
            factory = item.default_factory
            arguments.append([factory() for _ in range(count)])
        else:
            arguments.append(repeat(item.default, count))
    return list(map(Entry, *arguments))


def import_file(
    source: str | Path | bytes,
    filename: str | None = None,
    agency: str | None = None,
    mapping: HeadingMapping | UserChoices | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    *,
    agency_type: str = "",
    event_type_codes: Mapping[str, str] | None = None,
    not_context: Iterable[str] = (),
) -> ImportResult:
    """Guard, read and validate one uploaded file.

    Raises ``UploadRefused`` (guards) or ``ReadError`` (reader) when the file is refused
    or cannot be read at all; otherwise every row problem is in ``result.errors``.
    ``agency_type``, ``event_type_codes`` and ``not_context``: as for ``import_table``.
    """
    if isinstance(source, bytes):
        if not filename:
            raise ValueError("a file name is needed with the file's bytes")
        data = source
    else:
        data = Path(source).read_bytes()
        filename = filename or Path(source).name
    check_upload(filename, data, max_bytes=max_bytes)
    with _collector_paused():
        table = read_table(data, filename)
        result = import_table(
            table,
            agency=agency,
            mapping=mapping,
            agency_type=agency_type,
            event_type_codes=event_type_codes,
            not_context=not_context,
        )
        del table  # free the cells now, before the collector would scan them
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a file is read and validated.

    An import allocates millions of small objects (cells, dates, entries) and no
    reference cycles; without the pause the collector rescans them over and over,
    which costs more than the validation itself on a 100,000-row file. The pause is
    process-wide for the second or so an import takes; other threads simply see
    their next collection a little later.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
