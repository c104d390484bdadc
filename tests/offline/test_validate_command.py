"""`chronicle validate FILE [--agency NAME] [--json] [--map HEADING=FIELD]`: no database, exit 0 or 1."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from chronicle.cli import main
from tests.core.import_files import docx_bytes, xlsx_bytes

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def test_it_accepts_a_csv_with_month_precision_dates_and_no_mapping(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(DATA / "month-precision.csv")]) == 0
    out = capsys.readouterr().out
    assert "OK, 4 entries would be imported" in out
    assert "Dates: March 2016 to 2017" in out
    assert "Agencies: Northshire Health" in out


def test_it_prints_json_counts_errors_and_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "month-precision.csv"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"entries": 4, "errors": [], "warnings": []}


@pytest.fixture(scope="module")
def ten_thousand_rows(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10,000-row workbook with one impossible date, on spreadsheet row 7,502."""
    headings = ["Ref", "Date", "Agency", "Source of information", "Event type", "Event details"]
    rows: list[list[object]] = []
    for number in range(10_000):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=number % 900)
        rows.append(
            [number + 1, day, "Northshire Police", f"Log {number}", "Police call-out", "Call to the home"]
        )
    rows[7500][1] = "31/02/2016"
    path = tmp_path_factory.mktemp("validate") / "police.xlsx"
    path.write_bytes(xlsx_bytes(headings, rows))  # type: ignore[arg-type]
    return path


def test_it_names_the_row_and_column_of_one_bad_date_in_ten_thousand(
    ten_thousand_rows: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(ten_thousand_rows)]) == 1
    out = capsys.readouterr().out
    assert "1 problem to fix; nothing would be imported" in out
    assert "Row 7502, column 'Date': '31/02/2016' is not a real date" in out


def test_it_reports_the_bad_date_in_json(ten_thousand_rows: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ten_thousand_rows), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["entries"] == 0
    assert [(error["row"], error["column"]) for error in payload["errors"]] == [(7502, "Date")]


@pytest.fixture
def word_chronology(tmp_path: Path) -> Path:
    grid = [
        ["When", "Happening", "Where recorded", "Notes"],
        ["22 May 2016", "Baby seen at surgery with a bruise", "EMIS consultation", "locum"],
        ["?June 2016", "Missed appointment", "EMIS", ""],
    ]
    path = tmp_path / "gp.docx"
    path.write_bytes(docx_bytes([grid], ["GP chronology for Child A"]))
    return path


def test_it_needs_a_mapping_for_unknown_docx_headings(
    word_chronology: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(word_chronology), "--agency", "Riverside GP"]) == 1
    out = capsys.readouterr().out
    assert "Row 1, column 'When': 'When' is not a heading Chronicle knows" in out
    assert "Row 1, column 'Notes'" in out
    assert '--map "Happening=FIELD"' in out
    assert "date: Date, Event date, Start date" in out  # the known headings are listed


def test_it_passes_a_docx_once_the_headings_are_mapped(
    word_chronology: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "validate", str(word_chronology), "--agency", "Riverside GP",
        "--map", "When=date", "--map", "Happening=description", "--map", "Notes=extra",
    ]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "OK, 2 entries would be imported" in out
    assert "Agencies: Riverside GP" in out


def test_it_explains_a_refused_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "police.xlsm"
    path.write_bytes(b"PK\x03\x04")
    assert main(["validate", str(path)]) == 1
    assert "macro-enabled" in capsys.readouterr().err
    assert main(["validate", str(path), "--json"]) == 1
    assert "macro-enabled" in json.loads(capsys.readouterr().out)["errors"][0]["message"]


def test_it_explains_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nowhere.csv")]) == 1
    assert "there is no file" in capsys.readouterr().err


def test_it_names_an_unknown_field_in_a_mapping(
    word_chronology: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(word_chronology), "--map", "When=colour"]) == 1
    assert "'colour' is not a field" in capsys.readouterr().err


def test_it_rejects_a_mapping_without_an_equals_sign(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "x.csv", "--map", "When"])
    assert caught.value.code == 2
    assert "Heading=field" in capsys.readouterr().err
