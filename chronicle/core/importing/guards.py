"""Checks on an uploaded file before anything reads it (design §7).

Agency uploads are untrusted. Before a reader sees a file, ``check_upload``
refuses: files over the size limit; extensions other than .xlsx .xls .ods .csv
.docx; macro-enabled files (by extension, by a VBA project or macro sheet inside,
or by a macro content type); password-protected (encrypted) files; decompression
bombs (too large uncompressed, too high a compression ratio, too many parts,
archives inside the archive); and content that is not what the extension says.

Decompression bombs are refused on the sizes the archive declares, and those sizes
hold: each part's local header must agree with the directory, and both readers stop
at the declared size (python-calamine's zip reader fails with "File is larger than
its declared uncompressed size"; Python's zipfile stops there and fails the CRC
check). So a part that understates its size cannot inflate past the limits, and the
whole file need not be inflated twice. A test pins that behaviour of each reader.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FLOOR = 10 * 1024 * 1024  # below this much unpacked data, a high ratio is harmless
MAX_ZIP_ENTRIES = 10_000
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
