"""Events spoken of as planned, requested or not done (docs/accuracy.md)."""

from __future__ import annotations

from chronicle.core.events import Event
from chronicle.core.extract import Source, extract


def one(text: str, code: str) -> Event:
    (event,) = [e for e in extract(Source(text)) if e.type == code]
    return event


def test_it_reads_a_conference_someone_is_invited_to_as_planned() -> None:
    # "invitation" is an event of its own; the plan in its words still reaches the conference
    assert one("Invitation to initial child protection conference on 14/11 received.", "icpc").hypothetical


def test_it_reads_a_plan_considered_but_not_made_as_not_done() -> None:
    referral = one("A referral to MARAC was considered but not made.", "referral")
    assert referral.negated and not referral.hypothetical


def test_it_reads_a_step_that_would_be_taken_as_planned() -> None:
    text = "The team manager decided that a child and family assessment would be undertaken."
    assert one(text, "assessment_start").hypothetical


def test_it_reads_every_event_of_a_planned_list_as_planned() -> None:
    events = [e for e in extract(Source("Skeletal survey and CT head planned.")) if e.type == "medical"]
    assert [(e.hypothetical, e.words) for e in events] == [(True, ("Skeletal survey", "CT head"))]


def test_it_reads_a_visit_someone_is_to_make_as_planned() -> None:
    assert one("Social worker to visit on Friday.", "visit").hypothetical
