"""`chronicle validate FILE`: check an agency chronology file before sending it, no database needed.

chronicle validate police.xlsx --agency "Northshire Police"
chronicle validate gp.docx --map "Happening=description" --map "Notes=ignore"
chronicle validate health.csv --json

Exit 0 with a summary when the whole file would import; exit 1 with every problem
(row and column) when it would not. The same checks run when the file is uploaded.
Offline there is no step where a person maps unknown headings, so a heading
Chronicle does not know is an error until --map says what the column holds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from chronicle.core.importing.guards import UploadRefused
from chronicle.core.importing.headings import FIELDS, MappingError
from chronicle.core.importing.readers import ReadError
from chronicle.core.importing.validate import (
    ImportResult,
    RowError,
    import_file,
    unrecognised_heading_message,
)

HELP = "check an agency chronology file (XLSX, XLS, ODS, CSV or DOCX) without saving anything"


def mapping_choice(text: str) -> tuple[str, str]:
    """An argparse type: "Heading=field" (or "Heading=ignore", "Heading=extra")."""
    heading, sep, choice = text.rpartition("=")
    if not sep or not heading.strip() or not choice.strip():
        raise argparse.ArgumentTypeError(f'{text!r} is not in the form "Heading=field"')
    return heading.strip(), choice.strip()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="the chronology file to check")
    parser.add_argument(
        "--agency",
        metavar="NAME",
        help="the agency the chronology belongs to (then no Agency column is needed)",
    )
    parser.add_argument(
        "--map",
        dest="mappings",
        action="append",
        type=mapping_choice,
        default=[],
        metavar="HEADING=FIELD",
        help="say what a column holds, e.g. --map \"Happening=description\"; FIELD may also be 'ignore' or "
        "'extra' (keep as extra information). Repeat for more columns.",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def known_headings_text() -> str:
    """Every field with the headings it is recognised by."""
    lines = ["Fields, and the headings Chronicle recognises for each:"]
    for spec in FIELDS:
        lines.append(f"  {spec.name}: {', '.join((spec.heading, *spec.synonyms))}")
    return "\n".join(lines)


def check(result: ImportResult) -> tuple[list[RowError], list[RowError]]:
    """Errors (undecided headings first) and the warnings still worth showing."""
    mapping = result.mapping
    undecided = {mapping.heading_of(index) for index in mapping.unrecognised_columns}
    heading_errors = [
        RowError(
            result.header_row,
            heading,
            f'{unrecognised_heading_message(heading)} Say what the column holds with --map "{heading}=FIELD", '
            f'or --map "{heading}=ignore".',
        )
        for heading in (mapping.heading_of(index) for index in mapping.unrecognised_columns)
    ]
    warnings = [
        warning
        for warning in result.warnings
        if not (warning.row == result.header_row and warning.column in undecided)
    ]
    return heading_errors + result.errors, warnings


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        result = import_file(path, agency=args.agency, mapping=dict(args.mappings) or None)
    except FileNotFoundError:
        return _refused(args, f"there is no file {path}")
    except (UploadRefused, ReadError, MappingError) as exc:
        return _refused(args, str(exc))
    errors, warnings = check(result)

    if args.json:
        payload: dict[str, Any] = {
            "entries": 0 if errors else len(result.entries),
            "errors": [error.as_dict() for error in errors],
            "warnings": [warning.as_dict() for warning in warnings],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 1 if errors else 0

    for note in result.notes:
        print(f"Note: {note}")
    if errors:
        print(f"{path.name}: {_plural(len(errors), 'problem')} to fix; nothing would be imported.")
        for error in errors:
            print(f"  {error}")
        if any(error.row == result.header_row and "--map" in error.message for error in errors):
            print()
            print(known_headings_text())
    else:
        count = len(result.entries)
        print(f"{path.name}: OK, {count} {'entry' if count == 1 else 'entries'} would be imported.")
        span = result.date_range()
        if span:
            print(f"Dates: {span[0].display()} to {span[1].display()}")
        print(f"Agencies: {', '.join(result.agencies())}")
    if warnings:
        print(f"{_plural(len(warnings), 'warning')}:")
        for warning in warnings:
            print(f"  {warning}")
    return 1 if errors else 0


def _refused(args: argparse.Namespace, message: str) -> int:
    if args.json:
        print(
            json.dumps(
                {"entries": 0, "errors": [{"row": 0, "column": "", "message": message}], "warnings": []}
            )
        )
    else:
        print(f"{args.file.name}: {message}", file=sys.stderr)
    return 1
