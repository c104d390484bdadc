"""Importing agency chronologies: guard the upload, read the table, map headings, validate rows.

The web app and the ``chronicle validate`` command both call ``import_file`` (or the
steps one by one: ``check_upload``, ``read_table``, ``map_headings`` /
``apply_user_mapping``, ``import_table``). Nothing here touches a database: a file
goes in, entries and row errors come out, and the caller saves nothing unless
there are no errors.
"""

from __future__ import annotations

from chronicle.core.importing.dates import (
    DateError,
    ParsedDate,
    PrecisionHint,
    parse_cell_date,
    parse_cell_time,
    parse_date_detail,
    parse_precision,
)
from chronicle.core.importing.guards import UploadRefused, check_upload
from chronicle.core.importing.headings import (
    EXTRA,
    FIELDS,
    IGNORE,
    HeadingMapping,
    MappingError,
    apply_user_mapping,
    map_headings,
)
from chronicle.core.importing.readers import ReadError, Table, read_table
from chronicle.core.importing.validate import ImportResult, RowError, import_file, import_table

__all__ = [
    "EXTRA",
    "FIELDS",
    "IGNORE",
    "DateError",
    "HeadingMapping",
    "ImportResult",
    "MappingError",
    "ParsedDate",
    "PrecisionHint",
    "ReadError",
    "RowError",
    "Table",
    "UploadRefused",
    "apply_user_mapping",
    "check_upload",
    "import_file",
    "import_table",
    "map_headings",
    "parse_cell_date",
    "parse_cell_time",
    "parse_date_detail",
    "parse_precision",
    "read_table",
]
