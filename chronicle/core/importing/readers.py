"""Reading an agency's file into a plain table of cells (design §3: XLSX, XLS, ODS, CSV, DOCX).

A ``Table`` is the heading row and the data rows, each with the row number a
person sees in Excel or Word (the heading row of a sheet starting at A1 is row 1,
the first data row row 2), so every error can point at the right row.

Spreadsheets are read with python-calamine, which gives each formula's cached
value and never evaluates anything. CSV cells are always text: "=SUM(A1)" stays
the text "=SUM(A1)" (the validator warns about it). Word chronologies are read
from the table with a date heading, or the largest table.

The heading row is the first row where at least two cells are known headings
(agencies often put a title or case name above the table); failing that, the first
row with anything in it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from chronicle.core.importing.guards import (
    TableLimits,
    UploadRefused,
    check_table_bounds,
    too_many_cells,
    too_many_columns,
    too_many_rows,
)
from chronicle.core.importing.headings import field_for_heading, normalise_heading

CellValue: TypeAlias = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
Row: TypeAlias = tuple[int, list[CellValue]]

SPREADSHEET_FORMATS = frozenset({"xlsx", "xls", "ods"})
FORMATS = frozenset({"xlsx", "xls", "ods", "csv", "docx"})
HEADER_SEARCH_ROWS = 30  # how far down to look for the heading row
CSV_ENCODINGS = ("utf-8", "cp1252")


class ReadError(ValueError):
    """The file cannot be read as a chronology table; the message says why."""


@dataclass(slots=True)
class Table:
    """A heading row and data rows as read from a file, with spreadsheet row numbers.

    The cells of data row ``i`` are ``grid[i]`` and its row number is ``numbers[i]``
    (kept apart rather than as pairs: a 100,000-row file is then 100,000 fewer objects).
    """

    headings: list[str]
    grid: list[list[CellValue]]
    numbers: list[int]
    sheet: str = ""
    format: str = ""
    header_row: int = 1
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_rows(
        cls, headings: Sequence[str], rows: Iterable[Row], sheet: str = "", fmt: str = "", header_row: int = 1
    ) -> Table:
        """A table from (row number, cells) pairs."""
        pairs = list(rows)
        return cls(
            list(headings),
            [list(cells) for _, cells in pairs],
            [number for number, _ in pairs],
            sheet,
            fmt,
            header_row,
        )

    @property
    def rows(self) -> list[Row]:
        """The data rows as (row number, cells) pairs."""
        return list(zip(self.numbers, self.grid, strict=True))

    def __len__(self) -> int:
        return len(self.grid)


def file_format(filename: str) -> str:
    """The format named by a file's extension ("xlsx", "csv"...), lower case, without the dot."""
    return Path(filename).suffix.lower().lstrip(".")


def _cell_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _known_headings(cells: Sequence[CellValue]) -> int:
    return sum(1 for cell in cells if isinstance(cell, str) and cell.strip() and field_for_heading(cell))


def _is_blank(cells: Sequence[CellValue]) -> bool:
    return all(cell == "" or cell is None for cell in cells)


def _find_header(rows: Sequence[Sequence[CellValue]]) -> int | None:
    """Index of the heading row among the first rows, or None if every row is blank."""
    first_filled: int | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _is_blank(cells):
            continue
        if first_filled is None:
            first_filled = index
        if _known_headings(cells) >= 2:
            return index
    return first_filled


def _build_table(
    grid: list[list[CellValue]], first_row_number: int, sheet: str, fmt: str, pad: bool
) -> Table:
    """Turn a grid (list of rows, the first at ``first_row_number``) into a Table."""
    header_index = _find_header(grid)
    if header_index is None:
        raise ReadError(f"{_where(sheet, fmt)} is empty")
    header_cells = grid[header_index]
    headings = [_cell_text(cell) for cell in header_cells]
    while headings and not headings[-1]:
        headings.pop()
    width = len(headings)
    if width == 0:
        raise ReadError(f"{_where(sheet, fmt)} has no heading row")
    data = grid[header_index + 1 :]
    # Values typed to the right of the last heading are kept (under "column N"), not lost.
    beyond = [
        offset
        for cells in data
        if len(cells) > width
        for offset, cell in enumerate(cells[width:], start=width)
        if cell != "" and cell is not None
    ]
    if beyond:
        headings += [""] * (max(beyond) + 1 - width)
        width = len(headings)
    if pad and any(len(cells) < width for cells in data):
        data = [cells + [""] * (width - len(cells)) if len(cells) < width else cells for cells in data]
    start = first_row_number + header_index + 1
    numbers = list(range(start, start + len(data)))
    # A heading row repeated on every page of a Word table (or pasted twice) is not data.
    first_heading = header_cells[0]
    header_key = [normalise_heading(h) for h in headings]
    repeats = [
        index
        for index, cells in enumerate(data)
        if cells[0] == first_heading
        and [normalise_heading(_cell_text(c)) for c in cells[:width]] == header_key
    ]
    for index in reversed(repeats):
        del data[index]
        del numbers[index]
    notes = []
    if header_index:
        notes.append(f"the headings were found on row {first_row_number + header_index}")
    return Table(headings, data, numbers, sheet, fmt, first_row_number + header_index, notes)


def _where(sheet: str, fmt: str) -> str:
    return f"the sheet '{sheet}'" if sheet else f"the {fmt.upper()} file"


# --- spreadsheets -----------------------------------------------------------------------


def _check_sheet_size(sheet: object, name: str, first_row: int, limits: TableLimits) -> None:
    """The sheet's extent as the reader holds it, before any of it becomes Python values."""
    height, width = int(getattr(sheet, "height", 0)), int(getattr(sheet, "width", 0))
    if width > limits.max_columns:
        raise too_many_columns(name, first_row, width, limits)
    if height > limits.max_rows:
        raise too_many_rows(name, limits)
    if height * width > limits.max_cells:
        raise too_many_cells(name, first_row + limits.max_cells // max(width, 1), limits)


def _read_spreadsheet(data: bytes | Path, fmt: str, filename: str = "") -> Table:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        if isinstance(data, Path):
            workbook = CalamineWorkbook.from_path(str(data))
        else:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own types for corrupt or protected files
        raise ReadError(f"the file could not be read as {fmt.upper()}: {exc}") from None
    with workbook:
        metadata = workbook.sheets_metadata
        if any(sheet.typ in (SheetTypeEnum.MacroSheet, SheetTypeEnum.Vba) for sheet in metadata):
            raise ReadError("the workbook contains macros; save it as a plain .xlsx without macros")
        candidates = [
            sheet.name
            for sheet in metadata
            if sheet.typ is SheetTypeEnum.WorkSheet and sheet.visible is SheetVisibleEnum.Visible
        ]
        # A sheet named like "Chronology" wins; otherwise the first sheet with data.
        preferred = [name for name in candidates if "chronolog" in normalise_heading(name)]
        others = [name for name in candidates if name not in preferred]
        for name in (*preferred, *others):
            try:
                sheet = workbook.get_sheet_by_name(name)
            except Exception as exc:
                raise ReadError(f"the sheet '{name}' could not be read: {exc}") from None
            try:
                _check_sheet_size(sheet, filename or name, (sheet.start or (0, 0))[0] + 1, TableLimits())
            except UploadRefused as refused:
                raise ReadError(str(refused)) from None
            try:
                grid: list[list[CellValue]] = sheet.to_python()  # type: ignore[assignment]
            except Exception as exc:
                raise ReadError(f"the sheet '{name}' could not be read: {exc}") from None
            if not grid or all(_is_blank(row) for row in grid[:HEADER_SEARCH_ROWS]):
                continue
            start = sheet.start or (0, 0)
            table = _build_table(grid, start[0] + 1, name, fmt, pad=False)
            if start[1]:
                table.notes.append(f"the table starts in column {start[1] + 1}")
            if len(candidates) > 1:
                table.notes.insert(0, f"read the sheet '{name}' (the workbook has {len(candidates)} sheets)")
            return table
    raise ReadError("the workbook has no sheet with data in it")


# --- CSV --------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with a mark, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the heading line uses most."""
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Table:
    text = decode_text(data)
    delimiter = sniff_delimiter(text)
    try:
        grid: list[list[CellValue]] = [
            list(cells) for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise ReadError(f"the CSV file could not be read: {exc}") from None
    return _build_table(grid, 1, "", "csv", pad=True)


# --- Word --------------------------------------------------------------------------------


def _read_docx(data: bytes) -> Table:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for corrupt files
        raise ReadError(f"the file could not be read as DOCX: {exc}") from None
    grids: list[list[list[CellValue]]] = []
    for word_table in document.tables:
        grid: list[list[CellValue]] = []
        for row in word_table.rows:
            cells = row.cells
            # A cell merged across columns appears once per column; keep its text in the
            # first so the columns stay aligned and a merged heading is not read twice.
            grid.append(
                [
                    "" if index and cell._tc is cells[index - 1]._tc else cell.text.strip()
                    for index, cell in enumerate(cells)
                ]
            )
        if grid:
            grids.append(grid)
    if not grids:
        raise ReadError("the Word document has no table; put the chronology in a table with a heading row")

    def has_date_heading(grid: list[list[CellValue]]) -> bool:
        header = _find_header(grid)
        return header is not None and any(
            field_for_heading(str(cell)) == "date" for cell in grid[header] if isinstance(cell, str)
        )

    dated = [index for index, grid in enumerate(grids) if has_date_heading(grid)]
    chosen = dated[0] if dated else max(range(len(grids)), key=lambda index: len(grids[index]))
    result = _build_table(grids[chosen], 1, f"table {chosen + 1}", "docx", pad=True)
    if len(grids) > 1:
        result.notes.insert(0, f"read table {chosen + 1} of the {len(grids)} tables in the document")
    return result


# --- entry point ----------------------------------------------------------------------------


def read_table(source: str | Path | bytes, filename: str | None = None) -> Table:
    """Read the chronology table from a file path, or from bytes with the uploaded file's name."""
    if isinstance(source, bytes):
        if not filename:
            raise ReadError("a file name is needed to know the file's format")
        name = filename
    else:
        name = filename or str(source)
    fmt = file_format(name)
    if fmt not in FORMATS:
        raise ReadError(
            f"'{Path(name).name}' is not a file Chronicle can import (use .xlsx, .xls, .ods, .csv or .docx)"
        )
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    # Bounded before parsing: columns, rows, cells, and NUL in text (guards.check_table_bounds).
    try:
        check_table_bounds(Path(name).name, data, f".{fmt}")
    except UploadRefused as refused:
        raise ReadError(str(refused)) from None
    if fmt in SPREADSHEET_FORMATS:
        return _read_spreadsheet(data, fmt, Path(name).name)
    if fmt == "csv":
        return _read_csv(data)
    return _read_docx(data)
