"""`chronicle analyse --json` writes the analysis item by item: the same text as the dicts, quicker."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from chronicle.core.analysis import Analysis, analyse, analysis_to_json, write_analysis_json
from chronicle.core.compliance.cases import analyse_case, load_case
from tests.core.crowded_case import crowded_case

CASES = Path(__file__).resolve().parent.parent / "data" / "cases"


def _written(analysis: Analysis) -> str:
    out = io.StringIO()
    write_analysis_json(analysis, out)
    return out.getvalue()


def _dumped(analysis: Analysis) -> str:
    return json.dumps(analysis_to_json(analysis), ensure_ascii=False, separators=(",", ":"))


def test_it_writes_exactly_the_compact_json_of_the_dicts_on_a_crowded_case() -> None:
    entries, events = crowded_case(3_000)
    analysis = analyse(entries, events=events)
    assert len(analysis.clusters) > 100 and analysis.conflicts and len(analysis.findings) > 10
    assert _written(analysis) == _dumped(analysis)


@pytest.mark.parametrize("name", ["01-bruised-baby", "04-returned-on-bail", "11-crowded-multiagency"])
def test_it_writes_exactly_the_compact_json_of_the_dicts_on_a_case_chronology(name: str) -> None:
    analysis = analyse_case(load_case(CASES / name))
    assert analysis.findings
    assert _written(analysis) == _dumped(analysis)


def test_it_writes_an_empty_analysis() -> None:
    analysis = analyse([])
    assert json.loads(_written(analysis)) == analysis_to_json(analysis)
