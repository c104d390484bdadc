"""`chronicle analyse FILE... [--json] [--born]`: the analysis of three agencies' files, no database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chronicle.cli import main
from tests.support.offline_case import BORN, CSC, GP, POLICE, Case, write_case


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return write_case(tmp_path)


def analysed(case: Case, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main(["analyse", *case.args(), "--json", *extra]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_it_prints_exactly_the_analysis_keys_as_json(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    data = analysed(case, capsys, "--born", BORN)
    assert list(data) == [
        "entries",
        "clusters",
        "conflicts",
        "silent_periods",
        "rules",
        "findings",
        "quality",
    ]
    assert data["entries"] == 11
    assert set(data["quality"]) == {CSC, POLICE, GP}
    first = data["findings"][0]
    assert {"rule", "status", "entries", "evidence", "message"} <= set(first)
    # Each rule's own text is given once, by id, not repeated in each of its findings.
    assert "source" not in first and "title" not in first
    assert {f["rule"] for f in data["findings"]} == set(data["rules"])
    assert data["rules"][first["rule"]]["title"] and data["rules"][first["rule"]]["source"]
    assert set(first["entries"][0]) == {"index", "agency", "date", "row", "reference"}


def test_it_refers_to_entries_by_agency_date_and_row(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    data = analysed(case, capsys, "--born", BORN)
    bruise = next(f for f in data["findings"] if f["rule"] == "SH-INJ-NIM")
    assert bruise["status"] == "not_met"
    assert bruise["entries"][0] | {"index": 0} == {
        "index": 0,
        "agency": GP,
        "date": "2016-05-12",
        "row": 2,
        "reference": f"{GP} 12/05/2016, row 2",
    }


def test_it_lists_the_silence_and_the_missing_health_visitor_contacts(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    periods = analysed(case, capsys, "--born", BORN)["silent_periods"]
    assert [(p["kind"], p["start"], p["end"]) for p in periods if p["kind"] == "no_entries"] == [
        ("no_entries", "2016-03-09", "2016-05-11")
    ]
    assert {p["rule"] for p in periods if p["kind"] == "expected_contact"} == {"CJ-13"}


def test_it_prints_a_readable_summary_without_json(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", *case.args(), "--born", BORN]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Merged 3 files: 11 entries from 3 agencies.")
    assert "Findings: not met (2)" in out
    assert (
        "SH-INJ-NIM not met: GP appointment and Injury observed (Riverside GP Practice 12 May 2016, row 2)"
        in out
    )
    assert "Conflicting accounts of one event (1)" in out
    assert "Events recorded more than once (2)" in out
    assert "Quality of each agency's chronology" in out
    assert f"  {GP}: 9 of 11 checks passed" in out


def test_it_reports_bad_files_like_merge_and_prints_no_analysis(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = case.csc.read_text(encoding="utf-8").replace("08/03/2016", "31/02/2016")
    case.csc.write_text(text, encoding="utf-8")
    assert main(["analyse", *case.args(), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{case.csc} row 3 column 'Date': '31/02/2016' is not a real date" in captured.err
    assert "nothing was merged or written" in captured.err


def test_it_needs_at_least_one_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", "--json"]) == 2
    assert "give at least one chronology file" in capsys.readouterr().err


def test_it_refuses_a_date_of_birth_that_is_not_a_date(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["analyse", *case.args(), "--born", "10/01/2016"])
    assert exit_info.value.code == 2
    assert "'10/01/2016' is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_it_prints_each_stages_seconds_on_standard_error(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyse", *case.args(), "--json", "--timings"]) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)  # standard output stays the JSON alone
    lines = captured.err.splitlines()
    stages = dict(line.split(" ") for line in lines)
    assert list(stages)[:3] == ["read", "merge", "extraction"]
    assert {"clusters", "silent_periods", "compliance", "once_per_event", "quality", "json"} <= set(stages)
    assert all(float(seconds) >= 0 for seconds in stages.values())
    assert not any(line.startswith("events ") for line in lines)


def test_it_prints_no_timings_unless_asked(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", *case.args(), "--json"]) == 0
    assert capsys.readouterr().err == ""


def test_it_shows_context_rows_and_lets_them_be_called_an_agency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "compiled.csv"
    path.write_bytes(
        b"Agency,Date,Source of information,Event details\n"
        b"Police,03/01/2024,Niche 24/101,Police called to the home\n"
        b"Crown Court,20/06/2024,Court record,Father sentenced\n"
    )
    assert main(["analyse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Context, not an agency's record" in out and "Crown Court (1)" in out
    assert "  Crown Court:" not in out.split("Quality of each agency's chronology")[1]
    assert main(["analyse", str(path), "--not-context", "Crown Court"]) == 0
    out = capsys.readouterr().out
    assert "Context, not an agency's record" not in out
    assert "  Crown Court:" in out.split("Quality of each agency's chronology")[1]
