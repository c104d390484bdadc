"""The extractor reads events, their attributes and their words from an entry (docs/event-types.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from chronicle.core.analysis import analyse
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.events import Event, Subject, asserted_types
from chronicle.core.extract import EXTRACTOR_VERSION, Source, extract, extract_many, suggest_code


def read(text: str, agency_type: str = "", agency_event_type: str = "") -> tuple[Event, ...]:
    return extract(Source(text, agency_type, agency_event_type))


def of_type(events: tuple[Event, ...], code: str) -> list[Event]:
    return [e for e in events if e.type == code]


def test_it_does_not_assert_a_conference_that_was_not_convened() -> None:
    events = read("Discharged home; no initial child protection conference was convened.")
    assert "icpc" not in asserted_types(events)
    assert all(e.negated for e in of_type(events, "icpc"))
    assert of_type(events, "icpc")


def test_it_reads_a_called_off_visit_as_negated() -> None:
    (visit,) = of_type(read("The planned home visit was called off because the worker was unwell."), "visit")
    assert visit.negated and not visit.asserted
    assert visit.words == ("home visit",)


def test_it_reads_no_police_event_in_a_respiratory_arrest() -> None:
    events = read("Paramedics found the toddler in respiratory arrest and began CPR.")
    assert not {"police_callout", "arrest"} & {e.type for e in events}


def test_it_reads_a_time_reference_to_a_death_as_historical() -> None:
    events = read("Three weeks before she died the nursery reported she was thriving.")
    assert "death" not in asserted_types(events)


def test_it_reads_a_referral_about_bruising_as_two_events_about_the_child() -> None:
    events = read("Referral from an aunt reporting finger-mark bruising to the boy's upper arm.")
    assert asserted_types(events) >= {"referral", "injury_observed"}
    (injury,) = of_type(events, "injury_observed")
    assert injury.subject is Subject.CHILD
    assert (
        injury.injury is not None and injury.injury.kinds == ("bruise",) and injury.injury.sites == ("arm",)
    )


def test_it_reads_a_brothers_birth_as_about_a_sibling() -> None:
    (birth,) = of_type(read("Younger brother born at the maternity unit."), "birth")
    assert birth.subject is Subject.SIBLING and birth.asserted


def test_it_reads_the_mothers_bruising_as_about_a_parent() -> None:
    events = read("Mother attended ED with bruising to her arms after an argument with her partner.")
    (injury,) = of_type(events, "injury_observed")
    assert injury.subject is Subject.PARENT_OR_CARER
    assert "injury_observed" not in asserted_types(events)


def test_it_reads_plural_referrals() -> None:
    assert "referral" in asserted_types(
        read("Two anonymous referrals received about the family within a fortnight.")
    )


def test_it_reads_a_closure_as_malicious_as_a_decision_and_a_closure() -> None:
    types = asserted_types(read("Team manager closed the case; concern judged to be malicious."))
    assert types >= {"referral_decision", "case_closed"}


def test_it_reads_no_care_when_the_threshold_for_proceedings_is_not_reached() -> None:
    events = read("Legal gateway meeting: threshold for proceedings not reached.")
    assert "lac_start" not in {e.type for e in events}
    assert "legal_proceedings" in asserted_types(events)


def test_it_reads_plans_as_hypothetical() -> None:
    (visit,) = of_type(read("Home visit to be arranged for next week.", "childrens_social_care"), "visit")
    assert visit.hypothetical and not visit.negated


def test_it_reads_a_sibling_plan_as_about_the_sibling() -> None:
    events = read("Sibling's child protection plan reviewed at conference.")
    assert "cp_plan_start" not in asserted_types(events)


def test_it_reads_who_made_a_visit_from_the_words_and_the_agency() -> None:
    assert "police_visit" in asserted_types(read("Home visit to check welfare.", "police", "Home visit"))
    assert "hv_contact" in asserted_types(read("Health visitor home visit, baby weighed."))
    assert "visit" in asserted_types(read("Social worker home visit, children seen alone."))


def test_it_reads_officers_not_attending_as_a_negated_call_out() -> None:
    events = read("Officers did not attend as the caller said all was calm.")
    assert "police_callout" not in asserted_types(events)


def test_it_reads_bail_for_an_earlier_matter_in_passing() -> None:
    (arrest,) = of_type(read("Father was on bail for an earlier matter."), "arrest")
    assert arrest.historical


def test_it_puts_the_agencys_own_code_first_and_keeps_the_words_events() -> None:
    events = extract(
        Source("Referral about bruising to the face", "childrens_social_care", "Contact", "contact")
    )
    assert events[0] == Event("contact", source="agency", words=("Contact",))
    assert {"referral", "injury_observed"} <= {e.type for e in events}


def test_it_reads_each_distinct_source_once_and_keeps_the_order() -> None:
    sources = [
        Source("Home visit completed."),
        Source("No reply at the door."),
        Source("Home visit completed."),
    ]
    found = extract_many(sources)
    assert found[0] == found[2] and found[0] != found[1]
    assert extract_many(sources, processes=2) == found


def test_it_names_its_version_from_the_data_files() -> None:
    assert EXTRACTOR_VERSION.startswith("context-") and len(EXTRACTOR_VERSION.split("-")[-1]) == 12


def test_it_suggests_a_code_for_an_agencys_own_value_with_a_reason() -> None:
    police = suggest_code("Home visit", "police")
    assert police is not None and police.code == "police_visit" and "Home visit" in police.reason
    social = suggest_code("Home visit", "childrens_social_care")
    assert social is not None and social.code == "visit"
    words = suggest_code("Strategy meeting held", "police")
    assert (
        words is not None
        and words.code == "strategy_discussion"
        and "strategy meeting" in words.reason.lower()
    )
    assert suggest_code("", "police") is None
    assert suggest_code("Zzz", "police") is None


# --- What the analysis does with events ------------------------------------------------------------

CSC = "Northshire Children's Social Care"


def entry(day: int, text: str, agency: str = CSC, row: int = 1) -> Entry:
    return Entry(agency=agency, date=PartialDate.exact(dt.date(2020, 3, day)), description=text, row=row)


def test_it_never_takes_a_siblings_birth_as_the_childs() -> None:
    result = analyse([entry(2, "Younger brother born at the maternity unit.")])
    assert result.event_types == [None]
    assert result.child_born_on is None
    assert not any(f.rule_id.startswith("CJ-13") for f in result.findings)
    assert not [g for g in result.expected_contact_gaps if g.rule_id == "CJ-13"]


def test_it_does_not_count_a_cancelled_visit_or_start_chains_from_a_siblings_plan() -> None:
    entries = [
        entry(2, "Sibling's child protection plan started.", row=1),
        entry(3, "Child made subject to a child protection plan.", row=2),
        entry(5, "The planned home visit was called off because the worker was unwell.", row=3),
    ]
    result = analyse(entries, period_end=dt.date(2020, 4, 30))
    assert result.event_types == [None, "cp_plan_start", None]
    gaps = [g for g in result.expected_contact_gaps if g.rule_id == "CJ-08"]
    assert gaps and gaps[0].trigger_index == 1


def test_it_runs_the_referral_rules_for_a_referral_about_bruising() -> None:
    result = analyse([entry(2, "Referral from school about bruising to the boy's arm.")])
    assert result.asserted[0] >= {"referral", "injury_observed"}
    assert any(f.rule_id == "CJ-01" for f in result.findings)


def test_it_does_not_take_the_mothers_bruising_as_the_babys_injury() -> None:
    entries = [entry(2, "Mother attended ED with bruising to her arms after an argument with her partner.")]
    result = analyse(entries, child_born_on=dt.date(2020, 1, 1))
    assert not any(f.rule_id.startswith("SH-INJ") for f in result.findings)
    baby = analyse(
        [entry(2, "Bruising to the baby's cheek seen at clinic.")], child_born_on=dt.date(2020, 1, 1)
    )
    assert any(f.rule_id.startswith("SH-INJ") for f in baby.findings)


def test_it_uses_the_events_it_is_given_and_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import chronicle.core.analysis as analysis_module

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("no extraction should run when events are given")

    monkeypatch.setattr(analysis_module, "extract_many", refuse)
    given = [(Event("referral", words=("stored",)),)]
    result = analyse([entry(2, "Anything at all")], events=given)
    assert result.events == [given[0]] and result.event_types == ["referral"]
    with pytest.raises(ValueError, match="events has 0 items for 1 entries"):
        analyse([entry(2, "Anything")], events=[])
