"""The extractor reads the ways agencies' records commonly word an event (chronicle/core/data/)."""

from __future__ import annotations

import pytest

from chronicle.core.events import Event, Subject, asserted_types
from chronicle.core.extract import Source, extract


def read(text: str, agency_type: str = "") -> tuple[Event, ...]:
    return extract(Source(text, agency_type))


def of_type(events: tuple[Event, ...], code: str) -> list[Event]:
    return [e for e in events if e.type == code]


@pytest.mark.parametrize(
    ("text", "agency_type", "code"),
    [
        ("Single assessment completed; outcome CIN plan.", "childrens_social_care", "assessment_complete"),
        ("Case closed to CSC following C&F assessment.", "gp_practice", "assessment_complete"),
        ("Review conference: the child protection plan has ended.", "education", "cp_plan_end"),
        ("Stepped down to a child in need plan at the RCPC.", "childrens_social_care", "cp_plan_end"),
        ("Discharged to foster carers under an ICO granted today.", "health_trust", "placement_start"),
        (
            "Young person moved to a residential unit after the placement broke down.",
            "childrens_social_care",
            "placement_start",
        ),
        ("MASH outcome: to be allocated for a C&F assessment.", "childrens_social_care", "referral_decision"),
        ("Visit cancelled by family, says the children are unwell.", "childrens_social_care", "no_access"),
        ("HV unable to gain access, curtains drawn.", "health_trust", "no_access"),
        (
            "Infant kept in overnight on the children's ward for observation.",
            "health_trust",
            "hospital_admission",
        ),
        ("Paeds CP assessment requested by ED.", "health_trust", "medical"),
        ("Small haematoma to the back of the head noted at triage.", "health_trust", "injury_observed"),
        ("Father charged with ABH on Mother and remanded.", "police", "domestic_abuse"),
        ("Mr T interviewed, no comment, released pending further enquiries.", "police", "arrest"),
        ("Sentencing at the Crown Court: stepfather received four years.", "police", "legal_proceedings"),
        ("Application for an ICO to be filed on Monday.", "childrens_social_care", "legal_proceedings"),
        (
            "Young person has not been home for two nights; mother reported him missing.",
            "police",
            "missing_episode",
        ),
        ("Pupil was given two fixed term exclusions this term.", "education", "school_exclusion"),
        (
            "Pupil absent for 12 days, no response from the family.",
            "childrens_social_care",
            "school_attendance",
        ),
        ("DSL informed police and rang the MASH.", "education", "information_shared"),
        ("Received ED attendance notification for the child's scald.", "health_trust", "information_shared"),
        ("Neighbour rang 101 about shouting; units attended the address.", "police", "police_callout"),
        ("Mother advised to see her GP about low mood.", "health_trust", "gp_appointment"),
        ("Mum phoned to say the child had a doctor's appointment.", "education", "gp_appointment"),
        ("HV weighed baby at home, gaining well.", "health_trust", "hv_contact"),
        ("Child told her class teacher that she was scared to go home.", "education", "allegation"),
        ("Child taken to A&E by her grandmother after a fall.", "childrens_social_care", "ae_attendance"),
        ("Life was pronounced extinct at 07:05.", "ambulance", "death"),
    ],
)
def test_it_reads_the_common_wordings_of_an_event(text: str, agency_type: str, code: str) -> None:
    assert code in {e.type for e in read(text, agency_type)}


@pytest.mark.parametrize(
    ("text", "agency_type", "code"),
    [
        ("No access visit: curtains closed, no answer.", "childrens_social_care", "case_closed"),
        ("Road closed due to flooding, visit rearranged.", "childrens_social_care", "case_closed"),
        ("Weight 6% below birth weight on day 3.", "health_trust", "birth"),
        ("Father admitted pushing her but denied strangling her.", "police", "hospital_admission"),
        ("ABE interview of the child by DC Ward.", "police", "arrest"),
        ("Mum said his brother hit him with a door by accident.", "education", "allegation"),
        ("Mr D arrested for breach of the court order.", "police", "legal_proceedings"),
        ("Crew found the child in VF arrest, one shock given.", "ambulance", "arrest"),
    ],
)
def test_it_does_not_read_an_event_in_words_that_only_look_like_one(
    text: str, agency_type: str, code: str
) -> None:
    assert code not in {e.type for e in read(text, agency_type)}


def test_it_reads_an_unharmed_child_as_a_negated_injury() -> None:
    (injury,) = of_type(read("Police attended; the children were unharmed."), "injury_observed")
    assert injury.negated


def test_it_reads_an_arrest_of_both_parents_as_theirs() -> None:
    (arrest,) = of_type(read("Both parents were arrested on suspicion of neglect.", "police"), "arrest")
    assert arrest.subject is Subject.PARENT_OR_CARER


def test_it_reads_a_stepfathers_arrest_as_his() -> None:
    (arrest,) = of_type(read("Stepdad arrested when he came to collect her.", "police"), "arrest")
    assert arrest.subject is Subject.PARENT_OR_CARER


def test_it_reads_a_childs_account_of_a_parent_hitting_her_as_about_the_child() -> None:
    (allegation,) = of_type(
        read("Child said that her stepfather had hit her with a slipper.", "education"), "allegation"
    )
    assert allegation.subject is Subject.CHILD


def test_it_reads_a_partner_hitting_the_mother_as_the_households_abuse_and_her_allegation() -> None:
    events = read("999 call from the sibling reporting that the partner was hitting Mother.", "police")
    (abuse,) = of_type(events, "domestic_abuse")
    (allegation,) = of_type(events, "allegation")
    assert abuse.asserted and abuse.subject is Subject.CHILD
    assert allegation.subject is Subject.PARENT_OR_CARER


def test_it_reads_a_section_47_threshold_met_as_a_decision_and_an_enquiry() -> None:
    events = read("TM decision: threshold for S47 met.", "childrens_social_care")
    assert {"referral_decision", "s47_start"} <= asserted_types(events)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("HV will discuss with the SW at supervision.", "information_shared"),
        ("Report to be sent to the GP by Friday.", "information_shared"),
        ("Discharge planning meeting held on the ward.", "hospital_admission"),
        ("Case to close once the family has moved.", "case_closed"),
    ],
)
def test_it_reads_words_that_name_an_event_to_come_as_planned(text: str, code: str) -> None:
    (event,) = of_type(read(text, "health_trust"), code)
    assert event.hypothetical and not event.negated


def test_it_reads_a_missed_hospital_appointment_as_no_access_not_a_medical() -> None:
    events = read("Letter from hospital: missed paediatric outpatient appointment.", "gp_practice")
    assert "no_access" in asserted_types(events)
    assert "medical" not in {e.type for e in events}
