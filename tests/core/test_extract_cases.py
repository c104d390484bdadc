"""Readings the compliance findings on the case chronologies depend on (tests/data/cases/).

Each is a way of writing that many records use: a parent's account of the child's injury, old
marks noted in passing, a referral to MARAC about the adult victim, a review missed or only offered, a visit only arranged or cancelled.
"""

from __future__ import annotations

from chronicle.core.events import Event, Subject, asserted_types
from chronicle.core.extract import Source, extract


def read(text: str, agency_type: str = "") -> tuple[Event, ...]:
    return extract(Source(text, agency_type))


def test_it_keeps_an_injury_the_childs_when_a_parent_gives_the_account() -> None:
    for text in (
        "Also bruises both upper arms - mum says he fell off the top bunk at the weekend.",
        "Bruise to left cheek, father explains she walked into the door frame.",
    ):
        events = read(text, "gp_practice")
        assert "injury_observed" in asserted_types(events), text
        (injury,) = [e for e in events if e.type == "injury_observed"]
        assert injury.subject is Subject.CHILD


def test_it_does_not_read_healed_marks_noted_at_a_visit_as_a_new_injury() -> None:
    assert "injury_observed" not in asserted_types(read("Child seen, healed marks on ankles noted."))
    assert "injury_observed" not in asserted_types(read("Healed scars from the earlier scald seen."))
    # A healed fracture found on a survey is still an injury to ask about.
    assert "injury_observed" in asserted_types(read("Skeletal survey shows healed rib fractures."))


def test_it_reads_a_marac_referral_as_about_the_adult_victim() -> None:
    for text in ("DASH completed: HIGH. MARAC referral made.", "DASH high risk - referred to MARAC."):
        events = read(text, "police")
        assert "referral" not in asserted_types(events), text
        assert any(e.type == "referral" and e.subject is Subject.PARENT_OR_CARER for e in events)
        assert any(e.type == "domestic_abuse" for e in events)
    assert "referral" in asserted_types(read("Referral to children's social care made.", "police"))


def test_it_reads_a_missed_review_and_an_appointment_sent_by_letter_as_not_done() -> None:
    for text in ("MASH checks: HV (9-12 month review missed), GP.", "Letter with clinic appointment."):
        assert "hv_contact" not in asserted_types(read(text, "health_trust")), text
    assert "hv_contact" in asserted_types(read("9-12 month review completed at clinic.", "health_trust"))


def test_it_reads_a_visit_arranged_or_cancelled_by_phone_as_not_made() -> None:
    arranged = read("SW phoned mother. Home visit arranged 23/03.", "childrens_social_care")
    cancelled = read("Mother phoned to cancel visit - child unwell.", "childrens_social_care")
    assert "visit" not in asserted_types(arranged) | asserted_types(cancelled)
    assert any(e.type == "visit" and e.hypothetical for e in arranged)
    # Read as a visit that did not happen, or as no access (which stands in for the visit).
    assert any((e.type == "visit" and e.negated) or e.type == "no_access" for e in cancelled)
    other = read("Ms F phoned to cancel visit - child unwell.", "childrens_social_care")
    assert any(e.type == "visit" and e.negated for e in other)
    assert "visit" in asserted_types(read("Home visit completed, child seen.", "childrens_social_care"))
