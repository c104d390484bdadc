"""`chronicle merge FILE... -o OUT`: merge agency chronologies into one, with findings, no database needed.

chronicle merge csc.xlsx police.csv gp.docx -o composite.xlsx
chronicle merge police.csv gp.docx -o composite.pdf --agency "Northshire Police=police.csv" \\
    --agency "Riverside GP=gp.docx" --born 2016-01-10
chronicle merge *.xlsx -o composite.docx --pseudonymise names.txt --key-file partnership.key

OUT ends in .xlsx, .csv, .docx, .pdf or .json. Each file is checked exactly as
`chronicle validate` checks it, and the merge is all or nothing: if any file has
a problem, every problem is listed (file, row and column) and nothing is written.
The agency of each entry comes from an Agency column in the file, or from
--agency NAME=FILE.

The names file lists one person a line; aliases follow on the same line after
"|", e.g. "Jane Brown | Mum | Jane Smith". Lines starting with # are ignored.
The key file holds the partnership's secret (at least 16 bytes); keep it apart
from the exports, since with it anyone can check a guess at a pseudonym.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from chronicle.core.agency_kinds import guess_agency_types
from chronicle.core.analysis import Analysis, analyse
from chronicle.core.compliance import Status
from chronicle.core.entries import Entry
from chronicle.core.exports import FORMATS, ExportError, export_composite
from chronicle.core.importing.guards import UploadRefused, check_upload
from chronicle.core.importing.headings import MappingError, normalise_heading
from chronicle.core.importing.readers import ReadError, read_table
from chronicle.core.importing.validate import ImportResult, import_table
from chronicle.core.pseudonyms import MIN_KEY_BYTES, Person, Pseudonymiser
from chronicle.offline.validate import check, mapping_choice

HELP = (
    "merge agency chronology files into one composite chronology with findings (XLSX, CSV, DOCX, PDF, JSON)"
)

USAGE_ERROR = 2  # the command was asked for something it cannot do; nothing was read
FILE_ERROR = 1  # a file has problems; nothing was written


class UsageError(ValueError):
    """A problem with the command's options, not the files."""


def agency_choice(text: str) -> tuple[str, str]:
    """An argparse type: "NAME=FILE"."""
    name, sep, file = text.partition("=")
    if not sep or not name.strip() or not file.strip():
        raise argparse.ArgumentTypeError(f'{text!r} is not in the form "Agency name=FILE"')
    return name.strip(), file.strip()


def birth_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The options `merge` and `analyse` share: files, agencies, heading mappings, date of birth."""
    parser.add_argument("files", type=Path, nargs="*", metavar="FILE", help="agency chronology files")
    parser.add_argument(
        "--agency",
        dest="agencies",
        action="append",
        type=agency_choice,
        default=[],
        metavar="NAME=FILE",
        help='the agency a file belongs to, when it has no Agency column, e.g. --agency "Northshire '
        'Police=police.xlsx". Repeat for more files.',
    )
    parser.add_argument(
        "--map",
        dest="mappings",
        action="append",
        type=mapping_choice,
        default=[],
        metavar="HEADING=FIELD",
        help='say what a column holds, e.g. --map "Happening=description" (or =ignore, =extra); it applies '
        "to every file with that heading. Repeat for more columns.",
    )
    parser.add_argument(
        "--not-context",
        dest="not_context",
        action="append",
        default=[],
        metavar="NAME",
        help="an Agency column value that is an agency, though its name reads as context (a family, "
        'a court, a coroner, the media, a review), e.g. --not-context "Family Court Advisers". Repeat for more.',
    )
    parser.add_argument(
        "--born",
        type=birth_date,
        metavar="YYYY-MM-DD",
        help="the child's date of birth, so the rules can use the child's age (e.g. injuries to babies)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT",
        help=f"the file to write; its ending chooses the format: {', '.join('.' + f for f in FORMATS)}",
    )
    parser.add_argument("--title", default="Composite chronology", help="the report's title")
    parser.add_argument(
        "--pseudonymise",
        type=Path,
        metavar="NAMES_FILE",
        help='replace these people\'s names by pseudonyms everywhere (one person a line, aliases after "|")',
    )
    parser.add_argument(
        "--key-file", type=Path, metavar="KEY", help="the partnership's secret key for pseudonyms"
    )


@dataclass
class Loaded:
    """Every file's entries, or every problem found in them."""

    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: dict[Path, int] = field(default_factory=dict)
    counts: dict[Path, int] = field(default_factory=dict)
    context_sources: Counter[str] = field(default_factory=Counter)  # context rows per Agency value


def input_files(args: argparse.Namespace) -> tuple[list[Path], dict[Path, str]]:
    """The files to read, in the order given, and the agency named for each by --agency."""
    files: list[Path] = list(args.files)
    known = {path.resolve(): path for path in files}
    agency_of: dict[Path, str] = {}
    for name, text in args.agencies:
        path = Path(text)
        resolved = path.resolve()
        if resolved not in known:
            known[resolved] = path
            files.append(path)  # a file named only by --agency is merged too
        if resolved in agency_of and agency_of[resolved] != name:
            raise UsageError(f"--agency gives {path} two agencies: {agency_of[resolved]!r} and {name!r}")
        agency_of[resolved] = name
    if not files:
        raise UsageError("give at least one chronology file to read")
    return files, agency_of


def _choices_for(headings: Sequence[str], mappings: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The --map choices whose heading this file has."""
    present = {normalise_heading(h) for h in headings} | {h.strip() for h in headings}
    return {
        heading: choice
        for heading, choice in mappings
        if heading in present or normalise_heading(heading) in present
    }


def load(args: argparse.Namespace) -> Loaded:
    """Guard, read and validate every file; all or nothing."""
    files, agency_of = input_files(args)
    mappings: list[tuple[str, str]] = list(args.mappings)
    loaded = Loaded()
    used: set[str] = set()
    was_enabled = gc.isenabled()
    gc.disable()  # many small objects and no cycles: the collector would only rescan them
    try:
        for path in files:
            try:
                data = path.read_bytes()
                check_upload(path.name, data)
                table = read_table(data, path.name)
                choices = _choices_for(table.headings, mappings)
                used.update(choices)
                result = import_table(
                    table,
                    agency=agency_of.get(path.resolve()),
                    mapping=choices or None,
                    not_context=getattr(args, "not_context", ()),
                )
                del table, data
            except FileNotFoundError:
                loaded.errors.append(f"{path}: there is no such file")
                continue
            except IsADirectoryError:
                loaded.errors.append(f"{path}: this is a folder, not a file")
                continue
            except (UploadRefused, ReadError, MappingError) as exc:
                loaded.errors.append(f"{path}: {exc}")
                continue
            _collect(path, result, loaded)
    finally:
        if was_enabled:
            gc.enable()
    for heading, _choice in mappings:
        if heading not in used:
            loaded.errors.append(f'--map "{heading}=...": no file has a column headed {heading!r}')
    if loaded.errors:
        loaded.entries = []
    return loaded


def _collect(path: Path, result: ImportResult, loaded: Loaded) -> None:
    errors, warnings = check(result)
    for error in errors:
        column = f" column {error.column!r}" if error.column else ""
        loaded.errors.append(f"{path} row {error.row}{column}: {error.message}")
    if warnings:
        loaded.warnings[path] = len(warnings)
    if not errors:
        loaded.entries.extend(result.entries)
        loaded.counts[path] = len(result.entries)
        loaded.context_sources.update(result.context_sources)


def analyse_loaded(loaded: Loaded, born: dt.date | None) -> Analysis:
    """Analyse the loaded entries on every core, with each agency's type guessed from its name."""
    return analyse(
        loaded.entries,
        child_born_on=born,
        agency_types=guess_agency_types(e.agency for e in loaded.entries),
        processes=os.cpu_count() or 1,
    )


def report_errors(loaded: Loaded) -> None:
    count = len(loaded.errors)
    print(
        f"{count} problem{'' if count == 1 else 's'} to fix; nothing was merged or written:", file=sys.stderr
    )
    for line in loaded.errors:
        print(line, file=sys.stderr)


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def summary_lines(analysis: Analysis, loaded: Loaded) -> list[str]:
    """The few figures a business manager wants first."""
    by_agency = Counter(entry.agency for entry in analysis.entries)
    lines = [
        f"Merged {_plural(len(loaded.counts), 'file')}: {_plural(len(analysis.entries), 'entry', 'entries')} "
        f"from {_plural(len(by_agency), 'agency', 'agencies')}."
    ]
    lines += [
        f"  {agency}: {_plural(count, 'entry', 'entries')}" for agency, count in sorted(by_agency.items())
    ]
    if loaded.context_sources:
        named = ", ".join(f"{name} ({count})" for name, count in sorted(loaded.context_sources.items()))
        lines.append(
            f"Context, not an agency's record (kept and shown; no quality scorecard; ends no silence): {named}. "
            "Use --not-context NAME if one of them is an agency."
        )
    if analysis.entries:
        lines.append(f"Dates: {analysis.entries[0].date.display()} to {analysis.entries[-1].date.display()}")
    lines.append(
        f"Events recorded more than once: {len(analysis.clusters)}; "
        f"conflicting accounts: {len(analysis.conflicts)}"
    )
    lines.append(
        f"Silent periods: {len(analysis.silent_periods)}; expected contacts not recorded: "
        f"{len(analysis.expected_contact_gaps)}"
    )
    by_status = analysis.findings_by_status()
    order = [
        Status.NOT_MET,
        Status.CANNOT_BE_DETERMINED,
        Status.BORDERLINE,
        Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
        Status.MET,
    ]
    statuses = ", ".join(f"{by_status[s.value]} {s.words}" for s in order if s.value in by_status)
    lines.append(f"Findings: {statuses or 'none'}")
    for path, count in loaded.warnings.items():
        lines.append(f"Note: {path}: {_plural(count, 'warning')}; `chronicle validate {path}` lists them.")
    return lines


def read_people(path: Path) -> list[Person]:
    """One person a line, aliases after "|"; # starts a comment line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"--pseudonymise: there is no file {path}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--pseudonymise: {path} is not a UTF-8 text file") from None
    people = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        names = [part.strip() for part in line.split("|")]
        if not all(names):
            raise UsageError(f"--pseudonymise: {path} line {number}: a name or alias is empty")
        people.append(Person(names[0], tuple(names[1:])))
    if not people:
        raise UsageError(f"--pseudonymise: {path} names nobody")
    return people


def read_key(path: Path) -> Pseudonymiser:
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        raise UsageError(f"--key-file: there is no file {path}") from None
    if len(key) < MIN_KEY_BYTES:
        raise UsageError(
            f"--key-file: {path} holds {len(key)} bytes; the key must be at least {MIN_KEY_BYTES} random bytes "
            "(e.g. made with: openssl rand -hex 32 > partnership.key)"
        )
    return Pseudonymiser(key)


def output_format(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(
            f"cannot tell what to write from '{path.name}': the output must end in "
            f"{', '.join('.' + f for f in FORMATS)}"
        )
    return fmt


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written export."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    try:
        fmt = output_format(args.output)
        if (args.pseudonymise is None) != (args.key_file is None):
            raise UsageError("--pseudonymise and --key-file go together: give both or neither")
        people = read_people(args.pseudonymise) if args.pseudonymise else []
        pseudonymiser = read_key(args.key_file) if args.key_file else None
        if not args.output.parent.is_dir() and str(args.output.parent):
            raise UsageError(f"there is no folder {args.output.parent} to write {args.output.name} in")
        input_files(args)
    except UsageError as exc:
        print(f"chronicle merge: {exc}", file=sys.stderr)
        return USAGE_ERROR

    loaded = load(args)
    if loaded.errors:
        report_errors(loaded)
        return FILE_ERROR
    analysis = analyse_loaded(loaded, args.born)
    try:
        data = export_composite(analysis, fmt, title=args.title, pseudonymiser=pseudonymiser, names=people)
    except (ExportError, ValueError) as exc:
        print(f"chronicle merge: {exc}; nothing was written", file=sys.stderr)
        return USAGE_ERROR
    write_atomically(args.output, data)
    for line in summary_lines(analysis, loaded):
        print(line)
    print(f"Wrote {args.output}")
    return 0
