"""`chronicle screen FILE.json`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from chronicle.cli import main

SHAKEN_BABY_2012: dict[str, Any] = {
    "occurred_on": "2012-05-31",
    "aware_on": "2012-06-01",
    "child_born_on": "2012-02-20",
    "looked_after": False,
    "care_leaver": False,
    "outcome": "seriously_harmed",
    "harm": "Baby shaken by carer; subdural haemorrhage; potentially life-threatening head injury",
    "abuse_or_neglect": "suspected",
    "in_england": True,
    "concern_about_working_together": None,
    "decided_on": "2012-06-01",
}

HEAD_INJURY_2024: dict[str, Any] = {
    "occurred_on": "2024-03-04",
    "aware_on": "2024-03-05",
    "child_born_on": "2023-12-01",
    "looked_after": False,
    "care_leaver": False,
    "outcome": "other",
    "harm": "Three-month-old with a life-threatening head injury",
    "harm_categories": ["abusive_head_trauma"],
    "abuse_or_neglect": "suspected",
    "in_england": True,
    "concern_about_working_together": None,
    "rapid_review_start": "awareness",
    "decided_on": "2024-03-06",
}


def _run(tmp_path: Path, data: Any, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    path = tmp_path / "incident.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    status = main(["screen", str(path)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_it_prints_the_2012_seed_case_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(tmp_path, SHAKEN_BABY_2012, capsys)
    assert status == 0, err
    result = json.loads(out)
    assert out.startswith('{\n  "regime": "LSCB2006/WT2010"')  # indent 2
    assert result["notifiable"] is True
    assert "Ofsted" in result["notify_to"]
    assert result["notify_by"] == "2012-06-06"
    assert result["rapid_review_by"] is None
    assert result["scr"] == "consider"
    assert {"id", "question", "answer", "source", "verified", "reason"} <= set(result["criteria"][0])
    assert any("unverified" in warning for warning in result["warnings"])


def test_it_prints_the_2024_seed_case_with_its_clocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(tmp_path, HEAD_INJURY_2024, capsys)
    assert status == 0
    result = json.loads(out)
    assert result["regime"] == "WT2023"
    assert result["notifiable"] is True
    assert result["notify_to"][0] == "Child Safeguarding Practice Review Panel"
    assert result["notify_by"] == "2024-03-12"
    assert result["rapid_review_start"] == "awareness"
    assert result["rapid_review_by"] == "2024-03-26"
    assert result["scr"] is None


def test_it_prints_null_when_more_information_is_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(tmp_path, {**HEAD_INJURY_2024, "abuse_or_neglect": "unknown"}, capsys)
    assert status == 0
    result = json.loads(out)
    assert result["notifiable"] is None
    assert result["missing"] == ["CR-20.abuse_or_neglect"]


def test_it_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(SHAKEN_BABY_2012)))
    assert main(["screen", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["regime"] == "LSCB2006/WT2010"


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in SHAKEN_BABY_2012.items() if name != key}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_without("aware_on"), "aware_on: missing (required)"),
        (_without("concern_about_working_together"), "concern_about_working_together: missing"),
        ({**SHAKEN_BABY_2012, "looked_after": "no"}, 'looked_after: expected true or false, got "no"'),
        ({**SHAKEN_BABY_2012, "in_england": None}, "in_england: expected true or false, got null"),
        ({**SHAKEN_BABY_2012, "occurred_on": "31/05/2012"}, "occurred_on: '31/05/2012' is not a date"),
        ({**SHAKEN_BABY_2012, "occurred_on": 20120531}, "occurred_on: expected a date as a string"),
        ({**SHAKEN_BABY_2012, "occurred_on": "2005-01-10"}, "occurred_on: 2005-01-10 is before 1 April 2006"),
        ({**SHAKEN_BABY_2012, "aware_on": "2040-01-02"}, "aware_on: 2040-01-02 is outside the working-day"),
        ({**SHAKEN_BABY_2012, "aware_on": "2012-05-01"}, "aware_on: 2012-05-01 is before the incident"),
        (
            {**SHAKEN_BABY_2012, "outcome": "injured"},
            'outcome: "injured" is not one of died, seriously_harmed',
        ),
        ({**SHAKEN_BABY_2012, "abuse_or_neglect": "yes"}, 'abuse_or_neglect: "yes" is not one of known'),
        ({**SHAKEN_BABY_2012, "harm": 3}, "harm: expected text, got 3"),
        (
            {**SHAKEN_BABY_2012, "harm_categories": ["bites"]},
            "harm_categories: unknown harm category 'bites'",
        ),
        ({**SHAKEN_BABY_2012, "harm_categories": "neglect"}, "harm_categories: expected a list"),
        (
            {**SHAKEN_BABY_2012, "rapid_review_start": "referral"},
            'rapid_review_start: "referral" is not one of',
        ),
        (
            {**SHAKEN_BABY_2012, "child_born_on": "2013-01-01"},
            "child_born_on: 2013-01-01 is after the incident",
        ),
        ({**SHAKEN_BABY_2012, "ocurred_on": "2012-05-31"}, "ocurred_on: unknown key"),
        ([SHAKEN_BABY_2012], "the file must hold one JSON object"),
        ("{not json", "is not valid JSON"),
    ],
)
def test_it_exits_2_naming_the_key_at_fault(
    tmp_path: Path, data: Any, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(tmp_path, data, capsys)
    assert status == 2
    assert out == ""
    assert err.startswith("chronicle screen: error: ")
    assert message in err


def test_it_exits_2_for_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["screen", str(tmp_path / "absent.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
