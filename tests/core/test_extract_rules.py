"""The extractor's data files load, and a wrong rule is refused naming its file and rule."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chronicle.core.extract import rules
from chronicle.core.extract.rules import RuleError, fingerprint, load_rules, phrase_pattern


def test_it_loads_every_data_file() -> None:
    loaded = load_rules()
    assert any(rule.types == ("referral",) for rule in loaded.targets)
    assert {m.category for m in loaded.modifiers} >= {"NEGATED_EXISTENCE", "HYPOTHETICAL", "HISTORICAL"}
    assert loaded.agency_values["police"]["home visit"] == "police_visit"
    phrases = {m.phrase for m in loaded.modifiers}
    assert {"called off", "to be convened", "before his|her death", "not met"} <= phrases


def test_it_reads_the_phrase_syntax() -> None:
    where = Path("x.json")
    assert phrase_pattern("case conference", where, "r") is None
    assert phrase_pattern("referr* to|into _ mash?", where, "r") == [
        {"LOWER": {"REGEX": "^referr"}},
        {"LOWER": {"IN": ["to", "into"]}},
        {"OP": "?"},
        {"LOWER": "mash", "OP": "?"},
    ]


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def load_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, Path], object]]:
    """``load_with("CONTEXT_FILE", path)`` loads the rules with that one data file swapped for ``path``."""

    def load(name: str, path: Path) -> object:
        monkeypatch.setattr(rules, name, path)
        load_rules.cache_clear()
        return load_rules()

    yield load
    load_rules.cache_clear()  # the next reader loads the files as shipped


def test_it_names_the_file_and_rule_of_an_unknown_code(tmp_path: Path, load_with: Any) -> None:
    path = write(
        tmp_path,
        "event_targets.json",
        {"types": {"referal": ["referral"]}, "ignore": [], "actors": {}, "suppresses": {}},
    )
    with pytest.raises(RuleError, match=r"event_targets.json, types.referal: not an event-type code"):
        load_with("TARGETS_FILE", path)


def test_it_names_the_group_of_a_bad_modifier(tmp_path: Path, load_with: Any) -> None:
    path = write(
        tmp_path,
        "event_context.json",
        {"modifiers": [{"category": "NEGATED", "direction": "FORWARD", "phrases": ["no"]}]},
    )
    with pytest.raises(
        RuleError, match=r"event_context.json, modifiers #1 \(NEGATED FORWARD\): category must be"
    ):
        load_with("CONTEXT_FILE", path)
    path = write(
        tmp_path,
        "event_context.json",
        {
            "modifiers": [
                {"category": "HYPOTHETICAL", "direction": "FORWARD", "max_scope": 0, "phrases": ["if"]}
            ]
        },
    )
    with pytest.raises(RuleError, match="max_scope must be a whole number"):
        load_with("CONTEXT_FILE", path)


def test_it_refuses_a_file_that_is_not_json(tmp_path: Path, load_with: Any) -> None:
    path = tmp_path / "agency_event_types.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RuleError, match=r"agency_event_types\.json: not valid JSON"):
        load_with("AGENCY_FILE", path)


def test_it_refuses_an_unknown_injury_site(tmp_path: Path, load_with: Any) -> None:
    data = {
        "kinds": {},
        "sites": {"elbowz": ["elbow"]},
        "explained": [],
        "unexplained": [],
        "referral_made": [],
        "referral_not_made": [],
    }
    path = write(tmp_path, "injury_terms.json", data)
    with pytest.raises(RuleError, match=r"injury_terms\.json, sites\.elbowz: not one of"):
        load_with("INJURY_FILE", path)


def test_it_changes_its_fingerprint_when_a_data_file_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", {"x": 1})
    before = fingerprint([path])
    write(tmp_path, "a.json", {"x": 2})
    assert fingerprint([path]) != before


def test_it_keeps_every_phrase_to_a_few_hundred_plain_phrases() -> None:
    # A choice of several words written "a|b c" is two words of choices, not two choices: such a
    # slip multiplies a phrase into many thousands, which slows loading and reading and matches
    # nonsense. No phrase in the data files needs more than a few hundred.
    loaded = load_rules()
    phrases = [rule.phrase for rule in loaded.targets] + [rule.phrase for rule in loaded.modifiers]
    too_many = [p for p in phrases if len(rules.variants(p) or ()) > 600]
    assert too_many == []
