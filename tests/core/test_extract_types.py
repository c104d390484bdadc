"""How the extractor chooses an event's type: joint visits, events booked again, the agency's column."""

from __future__ import annotations

from chronicle.core.events import Event
from chronicle.core.extract import Source, extract


def read(text: str, agency_type: str = "", agency_event_type: str = "") -> tuple[Event, ...]:
    return extract(Source(text, agency_type, agency_event_type))


def flags(events: tuple[Event, ...], code: str) -> list[tuple[bool, bool]]:
    """(negated, hypothetical) of each event of one type."""
    return sorted((e.negated, e.hypothetical) for e in events if e.type == code)


def test_it_reads_a_visit_made_with_another_worker_as_a_visit_by_each() -> None:
    assert {"visit", "hv_contact"} <= {e.type for e in read("Home visit with HV.", "childrens_social_care")}
    assert {"professional_visit", "visit"} <= {e.type for e in read("Midwife home visit with SW (joint).")}
    police = read("The social worker completed a joint home visit with the police.")
    assert {"visit", "police_visit"} <= {e.type for e in police}


def test_it_reads_one_visit_when_nobody_joined_it() -> None:
    assert [e.type for e in read("Home visit, children seen alone.", "childrens_social_care")] == ["visit"]


def test_it_reads_a_visit_cancelled_and_rebooked_as_two_visits() -> None:
    events = read("Statutory visit cancelled as SW off sick. Rebooked for Thursday.", "childrens_social_care")
    assert flags(events, "visit") == [(False, True), (True, False)]


def test_it_books_again_the_visit_that_no_access_stands_in_for() -> None:
    events = read("No access NBV. Card left. Will reattempt Thurs.", "health_trust")
    assert "no_access" in {e.type for e in events}
    assert flags(events, "hv_contact") == [(False, True)]


def test_it_books_nothing_again_when_it_was_not_rebooked() -> None:
    events = read("Mother telephoned to cancel the asthma review. Not rebooked.", "gp_practice")
    assert flags(events, "gp_appointment") == []


def test_it_takes_the_agencys_column_over_a_call_out_the_words_read() -> None:
    events = read(
        "Re-attended 10:15 with PCSO. Children seen and spoken to, all well.", "police", "Home visit"
    )
    assert "police_visit" in {e.type for e in events}
    assert "police_callout" not in {e.type for e in events}


def test_it_takes_the_column_alone_only_for_what_a_record_is_of() -> None:
    (visit,) = read("Baby observed asleep on sofa on arrival.", "health_trust", "Home visit")
    assert (visit.type, visit.source, visit.words) == ("hv_contact", "column", ("Home visit",))
    assert read("Uniform dirty, strong smell of urine.", "education", "Welfare concern") == ()


def test_it_reads_information_passed_to_a_schools_own_dsl_as_staying_inside_the_school() -> None:
    assert "information_shared" not in {e.type for e in read("Recorded and passed to DSL.", "education")}
    told = read("Child A reported her brother has not been home. DSL informed police.", "education")
    assert "information_shared" in {e.type for e in told}


def test_it_reads_a_parent_not_attending_a_conference_as_no_missed_visit() -> None:
    events = read("Core group meeting at school. F did not attend.", "childrens_social_care")
    assert "core_group" in {e.type for e in events}
    assert "no_access" not in {e.type for e in events}


def test_it_reads_a_phone_call_not_answered_as_no_missed_visit() -> None:
    assert "no_access" not in {
        e.type for e in read("Tel to M - no answer. VM left.", "childrens_social_care")
    }
    visit = read("Home visit - no answer at the door. Card left.", "childrens_social_care")
    assert "no_access" in {e.type for e in visit}


def test_it_reads_who_attended_a_meeting_and_where_as_no_events_of_their_own() -> None:
    events = read("Strategy meeting held on PICU with police, CSC, paediatrician.", "health_trust")
    assert [e.type for e in events] == ["strategy_discussion"]
    assert "medical" in {e.type for e in read("Seen by the paediatrician on the ward.", "health_trust")}


def test_it_does_not_let_another_agencys_words_hide_the_words_it_reads() -> None:
    # "not brought for" names a school absence only in a school's records.
    events = read("Child not brought for follow-up at paediatric outpatients.", "health_trust")
    assert "no_access" in {e.type for e in events}
    school = read("Child not brought for the afternoon session.", "education")
    assert "school_attendance" in {e.type for e in school}


def test_it_reads_someone_saying_a_person_was_harmed_as_an_allegation_however_far_apart() -> None:
    (said,) = [
        e
        for e in read("Tel call from M. Says ex-partner turned up last night drunk and kicked the door in.")
        if e.type == "allegation"
    ]
    assert said.subject.value == "parent_or_carer"


def test_it_reads_no_allegation_in_a_denial_or_a_sibling_offered_as_the_cause() -> None:
    assert "allegation" not in {e.type for e in read("Mum states she and the children were not hit.")}
    assert "allegation" not in {
        e.type for e in read("Child said that his older brother pushed the door onto his hand.")
    }


def test_it_reads_hv_after_unannounced_in_a_social_workers_record_as_a_home_visit() -> None:
    events = read("Unannounced HV by SW. Children seen.", "childrens_social_care")
    assert [e.type for e in events] == ["visit"]
