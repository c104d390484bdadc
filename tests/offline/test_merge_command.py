"""`chronicle merge FILE... -o OUT`: three agencies' real files in, one composite chronology out."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from python_calamine import CalamineWorkbook

from chronicle.cli import main
from tests.support.offline_case import BORN, CSC, FORMULA, GP, POLICE, Case, write_case


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return write_case(tmp_path)


def merged_json(case: Case, tmp_path: Path, *extra: str) -> dict[str, Any]:
    out = tmp_path / "composite.json"
    assert main(["merge", *case.args(), "-o", str(out), *extra]) == 0
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def finding(data: dict[str, Any], rule: str, agency: str, date: str) -> dict[str, Any]:
    found = [
        f
        for f in data["analysis"]["findings"]
        if f["rule"] == rule and f["entries"][0]["agency"] == agency and f["entries"][0]["date"] == date
    ]
    assert len(found) == 1, f"expected one {rule} finding for {agency} {date}, got {found}"
    result: dict[str, Any] = found[0]
    return result


def test_it_merges_three_agencies_files_into_one_ordered_chronology(case: Case, tmp_path: Path) -> None:
    data = merged_json(case, tmp_path, "--born", BORN)
    entries = data["entries"]
    assert len(entries) == 11 == data["analysis"]["entries"]
    assert {e["agency"] for e in entries} == {CSC, POLICE, GP}
    assert [e["date"] for e in entries] == [
        "2016-03-02",
        "2016-03-08",
        "2016-05-12",
        "2016-06-05",
        "2016-06-06",
        "2016-06-14",
        "2016-06-14",
        "2016-06-20",
        "2016-06-20",
        "?2016-06",  # month-only and uncertain: after every day of June
        "2016-07-01",
    ]
    police_call = entries[3]
    assert (police_call["agency"], police_call["time"], police_call["row"]) == (POLICE, "22:15", 2)


def test_it_groups_two_agencies_accounts_of_one_event(case: Case, tmp_path: Path) -> None:
    clusters = merged_json(case, tmp_path)["analysis"]["clusters"]
    assert [[(e["agency"], e["date"], e["row"]) for e in cluster["accounts"]] for cluster in clusters] == [
        [(CSC, "2016-06-14", 5), (POLICE, "2016-06-14", 3)],
        [(CSC, "2016-06-20", 6), (POLICE, "2016-06-20", 4)],
    ]


def test_it_flags_a_conflict_between_two_accounts_of_one_visit(case: Case, tmp_path: Path) -> None:
    conflicts = merged_json(case, tmp_path)["analysis"]["conflicts"]
    assert len(conflicts) == 1
    assert [(e["agency"], e["date"]) for e in conflicts[0]["entries"]] == [
        (CSC, "2016-06-20"),
        (POLICE, "2016-06-20"),
    ]
    assert any("child was not seen" in reason for reason in conflicts[0]["reasons"])


def test_it_finds_a_referral_decided_after_one_working_day_not_met(case: Case, tmp_path: Path) -> None:
    late = finding(merged_json(case, tmp_path), "CJ-01", CSC, "2016-03-02")
    assert late["status"] == "not_met"
    assert [(e["agency"], e["date"], e["row"]) for e in late["evidence"]] == [(CSC, "2016-03-08", 3)]


def test_it_cannot_determine_a_referral_with_no_decision_recorded(case: Case, tmp_path: Path) -> None:
    missing = finding(merged_json(case, tmp_path), "CJ-01", CSC, "2016-06-06")
    assert missing["status"] == "cannot_be_determined"
    assert missing["evidence"] == []


def test_it_flags_a_gp_noting_a_bruise_on_a_four_month_old_with_no_referral(
    case: Case, tmp_path: Path
) -> None:
    data = merged_json(case, tmp_path, "--born", BORN)
    bruise = finding(data, "SH-INJ-NIM", GP, "2016-05-12")
    assert bruise["status"] == "not_met"
    assert data["analysis"]["rules"]["SH-INJ-NIM"]["verified"] is False  # the rulebook marks it [G]


def test_it_cannot_judge_the_bruise_without_the_childs_age(case: Case, tmp_path: Path) -> None:
    bruise = finding(merged_json(case, tmp_path), "SH-INJ-NIM", GP, "2016-05-12")
    assert bruise["status"] == "cannot_be_determined"


def test_it_writes_no_formula_into_the_workbook(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "composite.xlsx"
    assert main(["merge", *case.args(), "-o", str(out)]) == 0
    workbook = CalamineWorkbook.from_path(str(out))
    assert workbook.sheet_names[:4] == ["Composite chronology", "Findings", "Quality", "Silent periods"]
    rows = workbook.get_sheet_by_name("Composite chronology").to_python()
    description = rows[0].index("Description")
    assert rows[-1][description] == "'" + FORMULA
    with zipfile.ZipFile(out) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert "<f>" not in archive.read(name).decode("utf-8")


def test_it_writes_a_csv_excel_opens_without_formulas(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "composite.csv"
    assert main(["merge", *case.args(), "-o", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    description = rows[0].index("Description")
    assert len(rows) == 12
    assert rows[-1][description] == "'" + FORMULA
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    findings = rows[0].index("Findings")
    assert rows[1][findings].splitlines()[0] == (
        "Decision on a referral within one working day: not met (awaiting a person)"
    )
    assert (
        rows[2][findings]
        == "Decision on a referral within one working day: the step recorded for No. 1 (not met)"
    )


def test_it_writes_a_word_report_with_the_table_and_a_picture(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "composite.docx"
    assert main(["merge", *case.args(), "-o", str(out), "--born", BORN, "--title", "Child A"]) == 0
    document = docx.Document(str(out))
    assert len(document.inline_shapes) == 1
    composite = [t for t in document.tables if t.rows[0].cells[0].text == "No."]
    assert len(composite) == 1 and len(composite[0].rows) == 12
    findings = [t for t in document.tables if t.rows[0].cells[0].text == "Requirement"]
    assert any("bruise" in row.cells[0].text.lower() for row in findings[0].rows)


def test_it_writes_a_tagged_pdf(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "composite.pdf"
    assert main(["merge", *case.args(), "-o", str(out), "--born", BORN]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    assert "Page size:       841.89 x 595.276 pts (A4)" in info  # landscape


def test_it_gives_one_person_the_same_pseudonym_in_two_agencies_files(case: Case, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("# people named in the chronologies\nJane Brown | Mum\n", encoding="utf-8")
    key = tmp_path / "partnership.key"
    key.write_bytes(b"0123456789abcdef0123456789abcdef\n")
    out = tmp_path / "composite.csv"
    assert (
        main(["merge", *case.args(), "-o", str(out), "--pseudonymise", str(names), "--key-file", str(key)])
        == 0
    )
    text = out.read_text(encoding="utf-8-sig")
    assert "Jane Brown" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    police = next(
        r["Description"] for r in rows if r["Agency"] == POLICE and "domestic incident" in r["Description"]
    )
    gp = next(r["Description"] for r in rows if r["Agency"] == GP and "bruise" in r["Description"])
    pseudonym = police.split("home of ")[1].split(";")[0]
    assert pseudonym.startswith("Person ")
    assert f"mother {pseudonym} for immunisations" in gp


def test_it_refuses_an_output_it_cannot_write_with_exit_2(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "composite.txt"
    assert main(["merge", *case.args(), "-o", str(out)]) == 2
    assert "must end in .xlsx, .csv, .docx, .pdf, .json" in capsys.readouterr().err
    assert not out.exists()


def test_it_writes_nothing_when_one_file_has_a_bad_row(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = case.csc.read_text(encoding="utf-8").replace("08/03/2016", "31/02/2016")
    case.csc.write_text(text, encoding="utf-8")
    out = tmp_path / "composite.xlsx"
    assert main(["merge", *case.args(), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert f"{case.csc} row 3 column 'Date': '31/02/2016' is not a real date" in captured.err
    assert "nothing was merged or written" in captured.err
    assert captured.out == ""
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".composite")] == []


def test_it_lists_every_problem_in_every_file(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "composite.json"
    # Without --agency the Word file has no agency; a missing file is reported too.
    assert main(["merge", str(case.csc), str(case.gp), str(tmp_path / "missing.xlsx"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{case.gp} row 1 column 'Agency': no column gives the agency" in err
    assert f"{tmp_path / 'missing.xlsx'}: there is no such file" in err
    assert not out.exists()


def test_it_says_which_mapping_matched_no_column(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "composite.json"
    assert main(["merge", *case.args(), "-o", str(out), "--map", "Happening=description"]) == 1
    assert "--map \"Happening=...\": no file has a column headed 'Happening'" in capsys.readouterr().err


def test_it_prints_a_short_summary(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "composite.xlsx"
    assert main(["merge", *case.args(), "-o", str(out), "--born", BORN]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Merged 3 files: 11 entries from 3 agencies."
    assert f"  {POLICE}: 4 entries" in lines
    assert "Dates: 02/03/2016 to 01/07/2016" in lines
    assert "Events recorded more than once: 2; conflicting accounts: 1" in lines
    assert any(line.startswith("Findings: 2 not met, ") for line in lines)
    assert lines[-1] == f"Wrote {out}"


def test_it_needs_both_the_names_and_the_key(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Jane Brown\n", encoding="utf-8")
    assert main(["merge", *case.args(), "-o", str(tmp_path / "x.csv"), "--pseudonymise", str(names)]) == 2
    assert "--pseudonymise and --key-file go together" in capsys.readouterr().err


def test_it_merges_a_file_named_only_by_agency(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "composite.json"
    assert main(["merge", str(case.csc), "--agency", f"{GP}={case.gp}", "-o", str(out)]) == 0
    agencies = {entry["agency"] for entry in json.loads(out.read_text(encoding="utf-8"))["entries"]}
    assert agencies == {CSC, GP}


def test_it_refuses_two_agencies_for_one_file(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["merge", str(case.gp), "--agency", f"{GP}={case.gp}", "--agency", f"Other={case.gp}"]
    assert main([*args, "-o", str(tmp_path / "x.json")]) == 2
    assert "two agencies" in capsys.readouterr().err
