"""`chronicle extract FILE... [--json]`: every entry's events, no database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chronicle.cli import main
from tests.support.offline_case import CSC, GP, Case, csv_file, write_case

SENTENCES = [
    ("Discharged home; no initial child protection conference was convened.", None),
    ("The planned home visit was called off because the worker was unwell.", None),
    (
        "Referral from an aunt reporting finger-mark bruising to the boy's upper arm.",
        {"referral", "injury_observed"},
    ),
    ("Younger brother born at the maternity unit.", None),
    ("Legal gateway meeting: threshold for proceedings not reached.", {"legal_proceedings"}),
]


def test_it_prints_every_entrys_events_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "csc.csv"
    path.write_bytes(
        csv_file(
            ["Date", "Agency", "Source", "Description"],
            [["02/03/2020", CSC, "Case note", text] for text, _ in SENTENCES],
        )
    )
    assert main(["extract", str(path), "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    entries = data["entries"]
    assert [(e["agency"], e["row"], e["date"]) for e in entries] == [
        (CSC, row, "2020-03-02") for row in range(2, 7)
    ]
    icpc = [ev for ev in entries[0]["events"] if ev["type"] == "icpc"]
    assert icpc and all(ev["negated"] for ev in icpc)
    assert next(ev for ev in entries[1]["events"] if ev["type"] == "visit")["negated"] is True
    assert {ev["type"] for ev in entries[2]["events"]} >= {"referral", "injury_observed"}
    assert entries[3]["events"][0] == {
        "type": "birth",
        "negated": False,
        "hypothetical": False,
        "historical": False,
        "subject": "sibling",
        "words": ["born"],
    }
    assert "lac_start" not in {ev["type"] for ev in entries[4]["events"]}


# The issue's ten sentences and the events in brackets: (type, negated, hypothetical, historical, subject)
# that must be read, and types that must not be read as having happened.
ISSUE_SENTENCES: list[tuple[str, set[tuple[str, bool, str]], set[str]]] = [
    (
        "Discharged home; no initial child protection conference was convened.",
        {("icpc", True, "child")},
        {"icpc"},
    ),
    (
        "The planned home visit was called off because the worker was unwell.",
        {("visit", True, "child")},
        {"visit"},
    ),
    (
        "Paramedics found the toddler in respiratory arrest and began CPR.",
        set(),
        {"police_callout", "arrest"},
    ),
    ("Three weeks before she died the nursery reported she was thriving.", set(), {"death"}),
    (
        "Referral from an aunt reporting finger-mark bruising to the boy's upper arm.",
        {("referral", False, "child"), ("injury_observed", False, "child")},
        set(),
    ),
    ("Younger brother born at the maternity unit.", {("birth", False, "sibling")}, set()),
    (
        "Mother attended ED with bruising to her arms after an argument with her partner.",
        {("injury_observed", False, "parent_or_carer")},
        set(),
    ),
    (
        "Two anonymous referrals received about the family within a fortnight.",
        {("referral", False, "child")},
        set(),
    ),
    (
        "Team manager closed the case; concern judged to be malicious.",
        {("referral_decision", False, "child"), ("case_closed", False, "child")},
        set(),
    ),
    ("Legal gateway meeting: threshold for proceedings not reached.", set(), {"lac_start"}),
]


def _happened(event: dict[str, Any]) -> bool:
    return not (event["negated"] or event["hypothetical"] or event["historical"])


def test_it_reads_the_issues_sentences_as_the_events_in_brackets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sentences.csv"
    path.write_bytes(
        csv_file(
            ["Date", "Agency", "Source", "Description"],
            [["02/03/2020", CSC, "Case note", text] for text, _, _ in ISSUE_SENTENCES],
        )
    )
    assert main(["extract", str(path), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert len(entries) == len(ISSUE_SENTENCES)
    for entry, (text, expected, not_happened) in zip(entries, ISSUE_SENTENCES, strict=True):
        events = entry["events"]
        read = {
            (e["type"], e["negated"], e["subject"])
            for e in events
            if not e["hypothetical"] and not e["historical"]
        }
        assert expected <= read, text
        assert not {e["type"] for e in events if _happened(e)} & not_happened, text
        assert all(e["words"] for e in events), text


def test_it_prints_a_readable_listing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case: Case = write_case(tmp_path)
    assert main(["extract", *case.args()]) == 0
    out = capsys.readouterr().out
    assert f"{GP} 12/05/2016, row 2" in out
    assert "- Injury observed [injury_observed] from “bruise”; kinds: bruise; sites: face" in out
    assert "entries read by context-" in out


def test_it_refuses_a_bad_file_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file(["Date", "Agency", "Description"], [["31/02/2020", CSC, "Home visit"]]))
    assert main(["extract", str(path)]) != 0
    assert "bad.csv" in capsys.readouterr().err
