"""Refusing unsafe uploads before anything reads them (design §7): size, type, macros, encryption, bombs."""

from __future__ import annotations

import io
import zipfile

import pytest

from chronicle.core.importing.guards import (
    OLE_MAGIC,
    UploadLimits,
    UploadRefused,
    check_upload,
)
from chronicle.core.importing.readers import ReadError, read_table
from chronicle.core.templates_xlsx import build_xlsx_template
from tests.core.import_files import STANDARD_HEADINGS, csv_bytes, docx_bytes, ods_bytes, xlsx_bytes

ROW = ["22/05/2016", "Police", "Log 1", "", "Call to the home", "yes"]


def _xlsx() -> bytes:
    return xlsx_bytes(STANDARD_HEADINGS, [ROW])


def _rezip(
    data: bytes, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None
) -> bytes:
    """A copy of a zip-based file with parts added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = (replace or {}).get(info.filename, source.read(info))
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def _refusal(filename: str, data: bytes, **kwargs: object) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(filename, data, **kwargs)  # type: ignore[arg-type]
    return caught.value.message


def test_it_accepts_ordinary_files_of_every_allowed_type() -> None:
    assert check_upload("police.xlsx", _xlsx()) == ".xlsx"
    assert check_upload("Police Chronology.CSV", csv_bytes(STANDARD_HEADINGS, [ROW])) == ".csv"
    assert check_upload("gp.docx", docx_bytes([[list(STANDARD_HEADINGS), ROW]])) == ".docx"
    assert check_upload("health.ods", ods_bytes(STANDARD_HEADINGS, [ROW])) == ".ods"
    assert check_upload("template.xlsx", build_xlsx_template()) == ".xlsx"


def test_it_refuses_files_over_the_size_limit_before_looking_inside() -> None:
    message = _refusal("police.csv", b"x" * 2048, max_bytes=1024)
    assert "largest file" in message


@pytest.mark.parametrize(
    "name", ["chronology.pdf", "chronology.txt", "chronology", "chronology.exe", "chronology.zip"]
)
def test_it_refuses_extensions_other_than_the_five_allowed(name: str) -> None:
    assert "accepts .xlsx, .xls, .ods, .csv and .docx" in _refusal(name, b"Date,Event\n")


@pytest.mark.parametrize("name", ["police.xlsm", "police.xlsb", "gp.docm", "police.XLSM"])
def test_it_refuses_macro_enabled_extensions(name: str) -> None:
    assert "macro-enabled" in _refusal(name, _xlsx())


def test_it_refuses_a_workbook_with_a_vba_project_inside() -> None:
    data = _rezip(_xlsx(), add={"xl/vbaProject.bin": b"\x00" * 100})
    assert "macros" in _refusal("police.xlsx", data)


def test_it_refuses_an_xlsm_renamed_to_xlsx_by_its_content_type() -> None:
    original = zipfile.ZipFile(io.BytesIO(_xlsx())).read("[Content_Types].xml")
    macro_types = original.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert macro_types != original
    data = _rezip(_xlsx(), replace={"[Content_Types].xml": macro_types})
    assert "macro-enabled" in _refusal("police.xlsx", data)


def test_it_refuses_a_workbook_with_excel_4_macro_sheets() -> None:
    data = _rezip(_xlsx(), add={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"})
    assert "macros" in _refusal("police.xlsx", data)


def test_it_refuses_an_ods_with_basic_macros() -> None:
    data = _rezip(ods_bytes(STANDARD_HEADINGS, [ROW]), add={"Basic/Standard/Module1.xml": b"<script/>"})
    assert "macros" in _refusal("health.ods", data)


def _fake_ole(*streams: str) -> bytes:
    """An OLE compound file header followed by directory names, as UTF-16LE."""
    body = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in streams)
    return OLE_MAGIC + b"\x00" * 504 + body


def test_it_refuses_a_password_protected_office_file() -> None:
    data = _fake_ole("EncryptionInfo", "EncryptedPackage")
    assert "password-protected" in _refusal("police.xlsx", data)
    assert "password-protected" in _refusal("gp.docx", data)


def test_it_refuses_a_password_protected_ods() -> None:
    extra = '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
    assert "password-protected" in _refusal(
        "health.ods", ods_bytes(STANDARD_HEADINGS, [ROW], manifest_extra=extra)
    )


def test_it_refuses_an_old_office_file_under_a_new_name() -> None:
    assert "old-style Office file" in _refusal("police.xlsx", _fake_ole("Workbook"))


def test_it_refuses_an_xls_with_macros_and_accepts_a_plain_one() -> None:
    assert "macros" in _refusal("police.xls", _fake_ole("Workbook", "_VBA_PROJECT_CUR"))
    assert check_upload("police.xls", _fake_ole("Workbook")) == ".xls"


def test_it_refuses_a_zip_bomb_by_its_total_size() -> None:
    source = zipfile.ZipFile(io.BytesIO(_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        archive.writestr("xl/media/padding.xml", b"\x00" * (64 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024  # 64 MB of zeros packs into well under 1 MB
    limits = UploadLimits(max_uncompressed_bytes=32 * 1024 * 1024)
    assert "decompression bomb" in _refusal("police.xlsx", data, limits=limits)
    # Under the default 500 MB limit the same file still fails the 100:1 ratio check.
    assert "100 times" in _refusal("police.xlsx", data)


def _understate(data: bytes, part: str, size: int, local: bool = True) -> bytes:
    """A copy of a zip whose directory (and local header) claim ``part`` unpacks to ``size`` bytes."""
    changed = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    if local:
        changed[info.header_offset + 22 : info.header_offset + 26] = size.to_bytes(4, "little")
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length] == part.encode():
            changed[position + 24 : position + 28] = size.to_bytes(4, "little")
            break
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(changed)


def test_it_refuses_a_part_whose_local_header_disagrees_with_the_directory() -> None:
    data = _understate(_xlsx(), "xl/worksheets/sheet1.xml", 10, local=False)
    assert "do not agree" in _refusal("police.xlsx", data)


def test_it_relies_on_both_readers_refusing_a_part_larger_than_declared() -> None:
    """A consistent lie can pass the size checks, so the readers must stop at the declared size.

    The readers are called directly here, without the guard. If an upgrade of python-calamine
    or python-docx ever inflated past the declared size, this test fails and the guard must go
    back to inflating every part through a counter.
    """
    rows = [
        [f"{day:02d}/05/2016", "Police", f"Log {day}", "", "Call to the home " * 20, "yes"]
        for day in range(1, 29)
    ]
    workbook = _understate(xlsx_bytes(STANDARD_HEADINGS, rows), "xl/worksheets/sheet1.xml", 1000)
    with pytest.raises(ReadError, match="larger than its declared uncompressed size"):
        read_table(workbook, "police.xlsx")
    document = _understate(docx_bytes([[list(STANDARD_HEADINGS), *rows]]), "word/document.xml", 1000)
    with pytest.raises(ReadError, match="could not be read as DOCX"):
        read_table(document, "gp.docx")


def test_it_refuses_an_oversized_content_types_part() -> None:
    padded = zipfile.ZipFile(io.BytesIO(_xlsx())).read("[Content_Types].xml") + b" " * (2 * 1024 * 1024)
    assert "far too large" in _refusal(
        "police.xlsx", _rezip(_xlsx(), replace={"[Content_Types].xml": padded})
    )


def test_it_refuses_too_many_parts() -> None:
    source = zipfile.ZipFile(io.BytesIO(_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        for number in range(60):
            archive.writestr(f"xl/media/part{number}.xml", b"")
    assert "parts inside" in _refusal("police.xlsx", buffer.getvalue(), limits=UploadLimits(max_entries=50))


def test_it_refuses_an_archive_inside_the_file() -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert "another archive" in _refusal(
        "police.xlsx", _rezip(_xlsx(), add={"xl/media/extra.zip": inner.getvalue()})
    )
    # Also when the nested archive hides behind another name.
    assert "another archive" in _refusal(
        "police.xlsx", _rezip(_xlsx(), add={"xl/media/image1.png": inner.getvalue()})
    )


def test_it_allows_office_files_embedded_in_a_document() -> None:
    data = _rezip(docx_bytes([[list(STANDARD_HEADINGS), ROW]]), add={"word/embeddings/Chart1.xlsx": _xlsx()})
    assert check_upload("gp.docx", data) == ".docx"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("police.xlsx", b"Date,Event\r\n22/05/2016,Call\r\n"),
        ("police.docx", b"%PDF-1.7 something"),
        ("police.xls", b"Date,Event\r\n"),
    ],
)
def test_it_refuses_content_that_does_not_match_the_extension(name: str, data: bytes) -> None:
    assert "not a real" in _refusal(name, data) or "whatever its name says" in _refusal(name, data)


def test_it_refuses_a_workbook_named_as_a_document() -> None:
    assert "not a real Word document" in _refusal("gp.docx", _xlsx())
    assert "not a real Excel workbook" in _refusal(
        "police.xlsx", docx_bytes([[list(STANDARD_HEADINGS), ROW]])
    )
    assert "not an OpenDocument spreadsheet" in _refusal(
        "health.ods",
        _rezip(
            ods_bytes(STANDARD_HEADINGS, [ROW]),
            replace={"mimetype": b"application/vnd.oasis.opendocument.text"},
        ),
    )


def test_it_refuses_binary_content_named_csv() -> None:
    assert "not a CSV" in _refusal("police.csv", _xlsx())
    assert "binary data" in _refusal("police.csv", b"Date,Event\x00\x01\x02")


def test_it_refuses_an_empty_file() -> None:
    assert "empty" in _refusal("police.csv", b"")


def test_it_uses_only_the_last_part_of_a_windows_path_in_messages() -> None:
    assert "'evil.exe'" in _refusal("C:\\Users\\x\\evil.exe", b"MZ")
