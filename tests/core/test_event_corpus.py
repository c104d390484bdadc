"""The labelled corpus reads cleanly and is large and varied enough to measure against."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from chronicle.core.events import Event, Subject
from chronicle.core.labelled import STYLES, LabelledEntry, load_corpus, score

CORPUS = Path(__file__).parents[1] / "data" / "events"
RESERVED = (
    "Connelly",
    "Climbi",
    "Pelka",
    "Labinjo",
    "Star Hobson",
    "Ellie Butler",
    "Baby F",
    "Keanu",
    "Hamzah",
    "Khyra",
    "Ishaq",
)


def test_it_reads_every_labelled_entry_of_both_splits() -> None:
    corpus = load_corpus(CORPUS)
    if not corpus:
        pytest.fail("the labelled corpus is empty")
    splits = Counter(e.where.split("(")[1].split(")")[0] for e in corpus)
    assert set(splits) <= {"dev", "test"}
    assert {e.style for e in corpus} <= set(STYLES)


def test_it_never_draws_on_the_cases_kept_for_independent_checking() -> None:
    for entry in load_corpus(CORPUS):
        for name in RESERVED:
            assert name.lower() not in entry.text.lower(), f"{entry.where} names {name}"


def test_it_names_the_file_and_line_of_a_bad_label(tmp_path: Path) -> None:
    (tmp_path / "dev").mkdir()
    good = {
        "id": "a",
        "style": "police",
        "agency": "Police",
        "agency_type": "police",
        "text": "x",
        "events": [],
    }
    bad = dict(good, id="b", events=[{"type": "visit", "subject": "aunt"}])
    (tmp_path / "dev" / "police.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(ValueError, match=r"police.jsonl \(dev\) line 2: event subject 'aunt'"):
        load_corpus(tmp_path)


def test_it_pairs_events_of_one_type_by_their_attributes() -> None:
    entry = LabelledEntry(
        "x",
        "social_care",
        "CSC",
        "childrens_social_care",
        "",
        "Visit cancelled, rearranged for Friday.",
        (Event("visit", negated=True), Event("visit", hypothetical=True)),
        "here",
    )
    perfect = score([entry], lambda e: (Event("visit", hypothetical=True), Event("visit", negated=True)))
    assert perfect.micro.f1 == 1.0
    assert perfect.attribute_accuracy("negated") == 1.0
    one_wrong = score([entry], lambda e: (Event("visit", subject=Subject.SIBLING),))
    assert one_wrong.micro.recall == 0.5
    assert one_wrong.micro.precision == 1.0
    assert one_wrong.attribute_accuracy("subject") == 0.0
