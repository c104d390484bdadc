"""Whom an event is about, from a pronoun and the people named before it (docs/accuracy.md)."""

from __future__ import annotations

import pytest

from chronicle.core.events import Subject
from chronicle.core.extract import Source, extract


def subject_of(text: str, code: str) -> Subject:
    (event,) = [e for e in extract(Source(text)) if e.type == code]
    return event.subject


@pytest.mark.parametrize(
    ("text", "code", "subject"),
    [
        # reported speech: "her" is the speaker, not the partner who did it
        ("Mother has a cut to her lip, says partner hit her.", "allegation", Subject.PARENT_OR_CARER),
        (
            "Mother disclosed that she had been assaulted by a former partner.",
            "allegation",
            Subject.PARENT_OR_CARER,
        ),
        ("Mum rang to withdraw her allegation.", "allegation", Subject.PARENT_OR_CARER),
        # the child's account: "her" is the child, not "Mr F" and not "mum" in "mum's partner"
        ("Child A said that Mr F hit her with a belt.", "allegation", Subject.CHILD),
        ("Child disclosed mum's partner pushed her into the wardrobe.", "allegation", Subject.CHILD),
        # "his" cannot be the mother
        (
            "Father states Mother threw a mug at him causing a cut to his forehead.",
            "injury_observed",
            Subject.PARENT_OR_CARER,
        ),
    ],
)
def test_it_reads_whom_a_pronoun_at_the_event_means(text: str, code: str, subject: Subject) -> None:
    assert subject_of(text, code) is subject


def test_it_reads_a_relative_clause_as_about_the_person_before_who() -> None:
    assert (
        subject_of("Child seen with father, who has a black eye.", "injury_observed")
        is Subject.PARENT_OR_CARER
    )


def test_it_reads_an_arrest_as_about_the_person_the_sentence_before_names() -> None:
    assert subject_of("Father's van stopped by officers, suspected drink driving. Arrested.", "arrest") is (
        Subject.PARENT_OR_CARER
    )


def test_it_reads_a_court_hearing_as_about_the_person_charged_but_care_proceedings_as_the_childs() -> None:
    criminal = "Stepfather charged with ABH. Bailed to appear at the Crown Court next month."
    assert subject_of(criminal, "legal_proceedings") is Subject.PARENT_OR_CARER
    assert (
        subject_of("Legal planning meeting: care proceedings to be issued.", "legal_proceedings")
        is Subject.CHILD
    )


def test_it_keeps_the_childs_events_about_the_child_in_an_entry_that_opens_on_the_mother() -> None:
    text = "Telephone consultation with mother re baby's poor feeding. Advised to contact HV."
    assert subject_of(text, "hv_contact") is Subject.CHILD
