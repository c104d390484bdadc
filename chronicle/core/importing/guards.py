"""Checks on an uploaded file before anything reads it (design §7).

Agency uploads are untrusted. Before a reader sees a file, ``check_upload``
refuses: files over the size limit; extensions other than .xlsx .xls .ods .csv
.docx; macro-enabled files (by extension, by a VBA project or macro sheet inside,
or by a macro content type); password-protected (encrypted) files; decompression
bombs (too large uncompressed, too high a compression ratio, too many parts,
archives inside the archive); and content that is not what the extension says.

The table inside is bounded too, before any reader builds it: ``check_table_bounds`` refuses
more than ``MAX_COLUMNS`` columns, ``MAX_ROWS`` rows or ``MAX_CELLS`` cells (a 1,000,000-column CSV
of 8 MB would otherwise take a web process past 700 MB), and a NUL character anywhere in a CSV.
CSV files are counted line by line; spreadsheets and Word files by the cell and row elements of
their XML, streamed a piece at a time. ``read_table`` calls it on every file before parsing, so a
file stored before a limit existed is refused the same way when it is read again.

Decompression bombs are refused on the sizes the archive declares, and those sizes
hold: each part's local header must agree with the directory, and both readers stop
at the declared size (python-calamine's zip reader fails with "File is larger than
its declared uncompressed size"; Python's zipfile stops there and fails the CRC
check). So a part that understates its size cannot inflate past the limits, and the
whole file need not be inflated twice. A test pins that behaviour of each reader.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FLOOR = 10 * 1024 * 1024  # below this much unpacked data, a high ratio is harmless
MAX_ZIP_ENTRIES = 10_000
# The largest table Chronicle reads: far above a real chronology (a few thousand rows of a dozen
# columns), far below what a web process's memory can hold.
MAX_COLUMNS = 200
MAX_ROWS = 200_000
MAX_CELLS = 2_000_000
SMALL_PART_BYTES = 1024 * 1024  # content types, manifest, mimetype

ALLOWED_EXTENSIONS = frozenset({".xlsx", ".xls", ".ods", ".csv", ".docx"})
MACRO_EXTENSIONS = frozenset({".xlsm", ".xlsb", ".xltm", ".xlam", ".docm", ".dotm", ".ots", ".xla"})

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# Parts that only exist in files carrying macros.
MACRO_PART_MARKERS = (
    "vbaproject.bin",
    "vbadata.xml",
    "xl/macrosheets/",
    "word/vbadata",
    "basic/",
    "scripts/",
)
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.vbaproject", b"macrosheet")
# Archives inside the archive. Office files embedded in a document (a chart's data,
# an object) live under an "embeddings" folder and are never opened by Chronicle.
NESTED_ARCHIVE_SUFFIXES = (".zip", ".gz", ".7z", ".rar", ".tar", ".tgz", ".bz2", ".xz", ".jar", ".cab")

# Names of streams inside an OLE (old Office) container, as UTF-16LE.
_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_VBA_STORAGES = ("_VBA_PROJECT".encode("utf-16-le"),)  # Excel keeps VBA in _VBA_PROJECT_CUR

# What must be inside each zip-based format.
_REQUIRED_PARTS = {
    ".xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    ".docx": ("[Content_Types].xml", "word/document.xml"),
    ".ods": ("mimetype", "content.xml"),
}


class UploadRefused(ValueError):
    """The upload is refused before reading; the message says why and what to do."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True)
class UploadLimits:
    max_bytes: int = MAX_UPLOAD_BYTES
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
    max_ratio: int = MAX_COMPRESSION_RATIO
    max_entries: int = MAX_ZIP_ENTRIES


@dataclass(frozen=True, slots=True)
class TableLimits:
    max_columns: int = MAX_COLUMNS
    max_rows: int = MAX_ROWS
    max_cells: int = MAX_CELLS


def column_letters(number: int) -> str:
    """Spreadsheet column letters for a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def too_many_columns(name: str, row: int, columns: int, limits: TableLimits) -> UploadRefused:
    column = limits.max_columns + 1
    return UploadRefused(
        f"'{name}' has {columns:,} columns on row {row}; Chronicle reads at most {limits.max_columns} "
        f"columns, and column {column} ({column_letters(column)}) is past that limit. Delete the empty "
        "or unneeded columns and upload it again."
    )


def too_many_rows(name: str, limits: TableLimits) -> UploadRefused:
    return UploadRefused(
        f"'{name}' has more than {limits.max_rows:,} rows (row {limits.max_rows + 1:,} is past the "
        "limit). Split the chronology by year and upload each part."
    )


def too_many_cells(name: str, row: int, limits: TableLimits) -> UploadRefused:
    return UploadRefused(
        f"'{name}' has more than {limits.max_cells:,} cells (the limit is reached on row {row:,}). "
        "Delete the empty or unneeded columns, or split the chronology, and upload each part."
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_upload(
    filename: str,
    data: bytes,
    max_bytes: int = MAX_UPLOAD_BYTES,
    limits: UploadLimits | None = None,
) -> str:
    """Refuse (raise UploadRefused) anything unsafe or not what it claims; return the extension."""
    limits = limits or UploadLimits(max_bytes=max_bytes)
    name = PurePath(filename.replace("\\", "/")).name
    extension = PurePath(name).suffix.lower()
    if len(data) > limits.max_bytes:
        raise UploadRefused(
            f"'{name}' is {_megabytes(len(data))}; the largest file Chronicle accepts is "
            f"{_megabytes(limits.max_bytes)}. Split the chronology by year and upload each part."
        )
    if extension in MACRO_EXTENSIONS:
        raise UploadRefused(
            f"'{name}' is a macro-enabled file ({extension}). Macros are never accepted: save it as "
            ".xlsx or .docx (File > Save As) and upload that."
        )
    if extension not in ALLOWED_EXTENSIONS:
        shown = extension or "no extension"
        raise UploadRefused(
            f"'{name}' has {shown}; Chronicle accepts .xlsx, .xls, .ods, .csv and .docx files only."
        )
    if not data:
        raise UploadRefused(f"'{name}' is empty.")

    if data.startswith(OLE_MAGIC):
        _check_ole(name, extension, data)
    elif extension == ".xls":
        raise UploadRefused(f"'{name}' is not an Excel 97-2003 workbook, whatever its name says.")
    elif extension == ".csv":
        _check_text(name, data)
    else:
        _check_zip(name, extension, data, limits)
    return extension


def _check_ole(name: str, extension: str, data: bytes) -> None:
    """Old Office containers: password-protected new-style files, .xls, and anything else pretending."""
    if any(stream in data for stream in _ENCRYPTED_STREAMS):
        raise UploadRefused(
            f"'{name}' is password-protected (encrypted). Remove the password (File > Info > Protect), "
            "save, and upload again; send the password-protected copy by your secure route only if asked."
        )
    if extension != ".xls":
        raise UploadRefused(
            f"'{name}' is an old-style Office file, not a {extension} file. Open it and save it as {extension}."
        )
    if any(storage in data for storage in _VBA_STORAGES):
        raise UploadRefused(f"'{name}' contains macros. Save it as .xlsx without macros and upload that.")


def _check_text(name: str, data: bytes) -> None:
    head = data[:8192]
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC, b"%PDF", b"{\\rtf")):
        raise UploadRefused(f"'{name}' is not a CSV text file, whatever its name says. Save it as CSV.")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head and not utf16:
        raise UploadRefused(f"'{name}' is not a CSV text file (it holds binary data). Save it as CSV.")


# --- the size of the table inside -------------------------------------------------------------


def check_table_bounds(name: str, data: bytes, extension: str, limits: TableLimits | None = None) -> None:
    """Refuse a table wider, longer or larger than the limits, before anything parses it."""
    limits = limits or TableLimits()
    if extension == ".csv":
        _check_csv_table(name, data, limits)
    elif extension in (".xlsx", ".docx", ".ods") and data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if extension == ".xlsx":
                    _check_xlsx_table(name, archive, limits)
                elif extension == ".docx":
                    _check_docx_table(name, archive, limits)
                else:
                    _check_ods_table(name, archive, limits)
        except (
            zipfile.BadZipFile,
            KeyError,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            zlib.error,
        ):
            return  # damaged: the reader says so in its own words


def _csv_text(data: bytes) -> str:
    """The text as the CSV reader decodes it (readers.decode_text), for the NUL and size checks."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _check_csv_table(name: str, data: bytes, limits: TableLimits) -> None:
    text = _csv_text(data)
    nul = text.find("\x00")
    if nul >= 0:
        row = text.count("\n", 0, nul) + 1
        column = text.count(",", text.rfind("\n", 0, nul) + 1, nul) + 1
        raise UploadRefused(
            f"'{name}' holds a NUL character (binary data) on row {row}, column {column}; a CSV file "
            "is text only. Open it in a spreadsheet, save it as CSV again and upload that."
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    # Quick bound: delimiters and line breaks inside quotes only add to these counts, so a file
    # within them on this count is within them.
    lines = text.count("\n") + 1
    widest = max((line.count(delimiter) + 1 for line in text.split("\n")), default=0)
    if lines <= limits.max_rows and widest <= limits.max_columns and lines * widest <= limits.max_cells:
        return
    # Otherwise count exactly, one record at a time, keeping none of them.
    cells = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row, record in enumerate(reader, start=1):
            if row > limits.max_rows:
                raise too_many_rows(name, limits)
            if len(record) > limits.max_columns:
                raise too_many_columns(name, row, len(record), limits)
            cells += len(record)
            if cells > limits.max_cells:
                raise too_many_cells(name, row, limits)
    except csv.Error:
        return  # the reader reports a malformed file in its own words


# Streamed XML is read this much at a time; a tag split across two pieces is kept whole by the overlap.
_CHUNK = 1024 * 1024
_OVERLAP = 256


def _xml_matches(
    archive: zipfile.ZipFile, part: str, pattern: re.Pattern[bytes]
) -> Iterator[re.Match[bytes]]:
    """Each match of ``pattern`` in a part, streamed; matches must be shorter than the overlap."""
    tail = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            window = tail + chunk
            # Matches that end inside the overlap are found again in the next window.
            limit = len(window) - _OVERLAP if len(chunk) == _CHUNK else len(window)
            for match in pattern.finditer(window):
                if match.end() <= limit:
                    yield match
            tail = window[limit:] if len(chunk) == _CHUNK else b""


_XLSX_CELL_OR_ROW = re.compile(rb"<(?:\w+:)?(c|row)\b([^>]{0,200})")
_XLSX_REF = re.compile(rb'\br="\$?([A-Z]{1,3})\$?([0-9]{1,7})"')


def _check_xlsx_table(name: str, archive: zipfile.ZipFile, limits: TableLimits) -> None:
    """Cells and rows of every worksheet, and where each cell is (a single cell at XFD900000
    would make the reader hold the whole rectangle up to it)."""
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    for sheet in sheets:
        cells = rows = 0
        for match in _xml_matches(archive, sheet, _XLSX_CELL_OR_ROW):
            attributes = match.group(2)
            if match.group(1) == b"row":
                rows += 1
                if rows > limits.max_rows:
                    raise too_many_rows(name, limits)
                continue
            cells += 1
            reference = _XLSX_REF.search(attributes)
            if reference:
                column, row = _column_number(reference.group(1).decode()), int(reference.group(2))
                if column > limits.max_columns:
                    raise UploadRefused(
                        f"'{name}' has a cell in column {column:,} ({reference.group(1).decode()}{row}); "
                        f"Chronicle reads at most {limits.max_columns} columns (up to column "
                        f"{column_letters(limits.max_columns)}). Delete the columns past it and upload it again."
                    )
                if row > limits.max_rows:
                    raise too_many_rows(name, limits)
            if cells > limits.max_cells:
                raise too_many_cells(name, rows, limits)


_DOCX_ROW_OR_CELL = re.compile(rb"<w:(tr|tc)\b")


def _check_docx_table(name: str, archive: zipfile.ZipFile, limits: TableLimits) -> None:
    if "word/document.xml" not in archive.namelist():
        return
    rows = cells = in_row = 0
    for match in _xml_matches(archive, "word/document.xml", _DOCX_ROW_OR_CELL):
        if match.group(1) == b"tr":
            rows, in_row = rows + 1, 0
            if rows > limits.max_rows:
                raise too_many_rows(name, limits)
            continue
        cells, in_row = cells + 1, in_row + 1
        if in_row > limits.max_columns:
            raise too_many_columns(name, rows, in_row, limits)
        if cells > limits.max_cells:
            raise too_many_cells(name, rows, limits)


_ODS_ROW_OR_CELL = re.compile(rb"<table:(table-row|table-cell|covered-table-cell)\b")


def _check_ods_table(name: str, archive: zipfile.ZipFile, limits: TableLimits) -> None:
    """Rows and cells as written (repeated empty cells count once; the reader checks the rest)."""
    rows = cells = in_row = 0
    for match in _xml_matches(archive, "content.xml", _ODS_ROW_OR_CELL):
        if match.group(1) == b"table-row":
            rows, in_row = rows + 1, 0
            if rows > limits.max_rows:
                raise too_many_rows(name, limits)
            continue
        cells, in_row = cells + 1, in_row + 1
        if in_row > limits.max_columns:
            raise too_many_columns(name, rows, in_row, limits)
        if cells > limits.max_cells:
            raise too_many_cells(name, rows, limits)


def _check_zip(name: str, extension: str, data: bytes, limits: UploadLimits) -> None:
    if not data.startswith(ZIP_MAGIC):
        raise UploadRefused(f"'{name}' is not a real {extension} file (its content does not match its name).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(
            f"'{name}' is damaged and cannot be opened. Save it again and upload the new copy."
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_entries:
            raise UploadRefused(
                f"'{name}' has {len(members)} parts inside; that is not a normal {extension} file."
            )
        names = {member.filename for member in members}
        lowered = [member.filename.lower() for member in members]

        for part in _REQUIRED_PARTS[extension]:
            if part not in names:
                kind = {
                    ".xlsx": "Excel workbook",
                    ".docx": "Word document",
                    ".ods": "OpenDocument spreadsheet",
                }
                raise UploadRefused(
                    f"'{name}' is not a real {kind[extension]} (its content does not match its name)."
                )
        for lower in lowered:
            if any(marker in lower for marker in MACRO_PART_MARKERS) and (
                extension != ".ods" or lower.startswith(("basic/", "scripts/"))
            ):
                raise UploadRefused(
                    f"'{name}' contains macros. Save it without macros (as {extension}) and upload that."
                )
            if lower.endswith(NESTED_ARCHIVE_SUFFIXES) and "/embeddings/" not in f"/{lower}":
                raise UploadRefused(f"'{name}' has another archive inside it; that is not accepted.")

        declared = sum(member.file_size for member in members)
        _check_sizes(name, declared, len(data), limits)

        _check_parts(name, data, archive, members)
        if extension == ".ods":
            _check_ods(name, archive)
        else:
            content_types = _read_small(name, archive, "[Content_Types].xml").lower()
            if any(marker in content_types for marker in MACRO_CONTENT_TYPES):
                raise UploadRefused(
                    f"'{name}' is a macro-enabled file saved under a {extension} name. Save it as a "
                    f"plain {extension} without macros and upload that."
                )


def _check_sizes(name: str, unpacked: int, packed: int, limits: UploadLimits) -> None:
    if unpacked > limits.max_uncompressed_bytes:
        raise UploadRefused(
            f"'{name}' unpacks to more than {_megabytes(limits.max_uncompressed_bytes)}; it is refused "
            "as a possible decompression bomb. Split the chronology and upload each part."
        )
    if unpacked > RATIO_CHECK_FLOOR and unpacked > limits.max_ratio * max(packed, 1):
        raise UploadRefused(
            f"'{name}' unpacks to over {limits.max_ratio} times its size; it is refused as a possible "
            "decompression bomb."
        )


def _read_small(name: str, archive: zipfile.ZipFile, part: str) -> bytes:
    """Read a part that is a few kilobytes in any real file."""
    if archive.getinfo(part).file_size > SMALL_PART_BYTES:
        raise UploadRefused(f"'{name}' is not a normal file: its '{part}' part is far too large.")
    return archive.read(part)


def _check_ods(name: str, archive: zipfile.ZipFile) -> None:
    if _read_small(name, archive, "mimetype").strip() != ODS_MIMETYPE:
        raise UploadRefused(
            f"'{name}' is not an OpenDocument spreadsheet (its content does not match its name)."
        )
    if "META-INF/manifest.xml" in archive.namelist():
        manifest = _read_small(name, archive, "META-INF/manifest.xml")
        if b"encryption-data" in manifest:
            raise UploadRefused(
                f"'{name}' is password-protected (encrypted). Save it again without a password and upload that."
            )


def _check_parts(name: str, data: bytes, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Each part's local header must agree with the directory, and no part may be an archive itself."""
    for member in members:
        offset = member.header_offset
        header = data[offset : offset + 30]
        if len(header) < 30 or not header.startswith(ZIP_MAGIC):
            raise UploadRefused(
                f"'{name}' is damaged and cannot be opened. Save it again and upload the new copy."
            )
        flags, packed, unpacked = struct.unpack("<H", header[6:8])[0], *struct.unpack("<II", header[18:26])
        # Bit 3: sizes follow the data instead; the directory's sizes are then the only ones.
        if not flags & 0x08 and (packed, unpacked) != (member.compress_size, member.file_size):
            raise UploadRefused(
                f"'{name}' is damaged: the sizes recorded for '{member.filename}' do not agree. "
                "Save it again and upload the new copy."
            )
        if member.is_dir() or member.file_size < 4:
            continue
        try:
            with archive.open(member) as stream:
                head = stream.read(4)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error) as exc:
            # RuntimeError: a part that is encrypted inside the zip.
            raise UploadRefused(f"'{name}' is damaged or protected and cannot be opened ({exc}).") from None
        if head in (ZIP_MAGIC, EMPTY_ZIP_MAGIC) and "/embeddings/" not in f"/{member.filename.lower()}":
            raise UploadRefused(f"'{name}' has another archive inside it; that is not accepted.")
