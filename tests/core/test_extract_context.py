"""The fast reading gives what medspaCy's own components and one process give (docs/performance.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import Doc

import chronicle.core.extract as extractor
from chronicle.core.extract import Source, extract_many
from chronicle.core.extract.reader import (
    CONTEXT,
    TARGET_MATCHER,
    TARGETS,
    _context,
    _sentences,
    pipeline,
    quiet_pipe,
)
from chronicle.core.labelled import load_corpus

CORPUS = Path(__file__).resolve().parent.parent / "data" / "events"
TEXTS = [
    "Discharged home; no initial child protection conference was convened.",
    "The planned home visit was called off because the worker was unwell. Visit rearranged for Monday.",
    "Mother attended ED with bruising to her arms after an argument with her partner.",
    "Younger brother born at the maternity unit. No concerns. Home visit planned.",
]


def _medspacy(doc: Doc) -> list[tuple[int, int, str, tuple[tuple[str, int, int], ...]]]:
    return [
        (
            span.start,
            span.end,
            span.label_,
            tuple((m.category, *m.modifier_span) for m in span._.modifiers),
        )
        for span in doc.spans.get(TARGETS, ())
    ]


def _ours(doc: Doc) -> list[tuple[int, int, str, tuple[tuple[str, int, int], ...]]]:
    return [(t.start, t.end, t.label, t.modifiers) for t in _context(doc, *_sentences(doc))]


def test_it_finds_the_targets_and_modifiers_medspacys_context_finds() -> None:
    texts = TEXTS + [entry.text for entry in load_corpus(CORPUS, "dev")]
    nlp = pipeline()
    ours = [_ours(doc) for doc in quiet_pipe(nlp, texts)]
    nlp.enable_pipe(TARGET_MATCHER)
    nlp.enable_pipe(CONTEXT)
    try:
        theirs = [_medspacy(doc) for doc in quiet_pipe(nlp, texts)]
    finally:
        nlp.disable_pipe(TARGET_MATCHER)
        nlp.disable_pipe(CONTEXT)
    assert sum(len(found) for found in theirs) > len(texts)  # most entries name events
    assert any(modifiers for found in theirs for *_, modifiers in found)
    assert ours == theirs


_PIPE = extractor.quiet_pipe
_PIDS: list[Path] = []  # where worker processes write their process ids (forked: they inherit it)


def _pipe_and_record(nlp: Any, texts: Any) -> Any:
    """The pipe each batch of texts is read through, noting which process reads it."""
    with _PIDS[0].open("a") as file:
        file.write(f"{os.getpid()}\n")
    return _PIPE(nlp, texts)


def test_it_reads_the_same_events_in_worker_processes_as_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [Source(e.text, e.agency_type, e.agency_event_type) for e in load_corpus(CORPUS, "dev")]
    serial = extract_many(sources)
    _PIDS.clear()
    _PIDS.append(tmp_path / "pids")
    monkeypatch.setattr(extractor, "MIN_TEXTS_PER_PROCESS", 100)
    monkeypatch.setattr(extractor, "quiet_pipe", _pipe_and_record)
    assert extract_many(sources, processes=2) == serial
    workers = set(_PIDS[0].read_text().split())
    assert len(workers) == 2 and str(os.getpid()) not in workers  # read by two worker processes
