"""The plain-words helpers pages and exports share: dates in words, rule ids kept out of the main text,
record types in words, findings grouped by rule."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from chronicle.core.compliance.cases import analyse_case, load_case
from chronicle.core.plain_words import (
    dates_in_words,
    day_words,
    export_words,
    finding_message,
    plain,
    record_type_words,
    record_types_named,
    reference_words,
    rule_ids_in,
    rule_summaries,
    status_words,
)


def test_it_writes_dates_in_words() -> None:
    assert day_words(dt.date(2026, 12, 3)) == "3 December 2026"
    assert day_words(None) == ""
    assert dates_in_words("due by 2026-10-26, not 2026-02-30") == "due by 26 October 2026, not 2026-02-30"
    assert dates_in_words("Police 02/06/2026, row 4; ?3/1/2016; not 31/02/2016") == (
        "Police 2 June 2026, row 4; ?3 January 2016; not 31/02/2016"
    )


def test_it_takes_rule_asides_out_of_the_main_text_and_keeps_them_for_the_details() -> None:
    note = (
        "Counted from the date the local authority became aware instead (RR-01 (a), unverified), "
        "the rapid review would be due by 2026-10-26."
    )
    assert plain(note) == (
        "Counted from the date the local authority became aware instead (unverified), "
        "the rapid review would be due by 26 October 2026."
    )
    assert rule_ids_in(note) == ["RR-01 (a)"]
    assert plain("Children Act 2004 s16C(1) (CR-20, CR-21)") == "Children Act 2004 s16C(1)"
    assert rule_ids_in("SH-INJ-NIM and CR-22.care_leaver") == ["SH-INJ-NIM", "CR-22.care_leaver"]


def test_it_leaves_case_references_alone() -> None:
    assert plain("Case NS-2026-002 and strategy minutes SD-2026-311") == (
        "Case NS-2026-002 and strategy minutes SD-2026-311"
    )
    assert rule_ids_in("NS-2026-002") == []


def test_it_words_a_findings_message_without_its_rule_id() -> None:
    assert finding_message("CJ-01 not met: no decision within 1 working day", "CJ-01") == (
        "Not met: no decision within 1 working day"
    )
    assert status_words("cannot_be_determined") == "cannot be determined"


def test_it_names_record_types_in_words_and_finds_them_from_words() -> None:
    assert record_type_words("rapidreview") == "rapid review"
    assert record_type_words("partnerposition") == "partner position"
    assert record_type_words("something_new") == "something new"
    assert record_types_named("Rapid review") == ["rapidreview"]
    assert "partnerposition" in record_types_named("partner position")
    assert record_types_named("audit_log") == ["audit_log"]
    assert record_types_named("spaceship") == []


def test_it_shows_references_and_exports_without_codes() -> None:
    assert reference_words("CJ-01/4d7395e8-cd25") == "4d7395e8-cd25"
    assert reference_words("4d7395e8-cd25") == "4d7395e8-cd25"
    assert export_words("CSV export, filters: theme=domestic_abuse") == "CSV export"


def test_it_groups_findings_by_rule_with_counts_and_their_accounts() -> None:
    police = "Northshire Police"
    findings = [("CJ-01", "Decision on a referral", "not_met", police)] * 4
    findings += [
        ("CJ-04", "Assessment in 45 working days", "cannot_be_determined", police),
        ("CJ-04", "Assessment in 45 working days", "met", "Riverside GP Practice"),
    ]
    first, second = rule_summaries(findings)
    assert (first.title, first.total) == ("Decision on a referral", 4)
    assert first.line == "not met ×4, all from Northshire Police's chronology"
    assert second.line == "cannot be determined ×1, met ×1, from Northshire Police and Riverside GP Practice"


def test_it_writes_the_days_in_every_finding_of_a_case_in_words() -> None:
    """Entry dates and deadlines inside findings read "2 June 2026", in the message and in the prefill
    people confirm, however the finding came about."""
    numeric = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
    case = load_case(Path(__file__).resolve().parent.parent / "data" / "cases" / "02-injury-on-plan")
    findings = analyse_case(case).findings
    texts = [text for f in findings for text in (f.message, *f.prefill().values())]
    assert len(findings) > 5 and any(re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b", t) for t in texts)
    assert not [t for t in texts if numeric.search(t)]
