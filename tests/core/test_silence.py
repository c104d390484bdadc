"""Silent periods and expected-contact gaps (CJ-08, CJ-10, CJ-13)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.calendar import WorkingCalendar
from chronicle.core.composite import entry_span
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.silence import (
    EXPECTED_CONTACT_RULES,
    CaseContext,
    expected_contact_gaps,
    silent_periods,
)


def _e(date: PartialDate, code: str | None = None, agency: str = "CSC", **fields: object) -> Entry:
    return Entry(agency, date, code or "note", event_type=code, **fields)  # type: ignore[arg-type]


def _d(y: int, m: int, d: int) -> PartialDate:
    return PartialDate(y, m, d)


def test_it_finds_a_silence_longer_than_the_threshold() -> None:
    entries = [_e(_d(2016, 1, 1)), _e(_d(2016, 1, 10)), _e(_d(2016, 3, 1))]
    [period] = silent_periods(entries, threshold_days=30)
    assert (period.start, period.end, period.days) == (dt.date(2016, 1, 11), dt.date(2016, 2, 29), 50)
    assert (period.before_index, period.after_index) == (1, 2)


def test_it_does_not_count_a_silence_exactly_as_long_as_the_threshold() -> None:
    entries = [_e(_d(2016, 1, 1)), _e(_d(2016, 1, 12))]  # ten silent days between
    assert silent_periods(entries, threshold_days=10) == []
    assert len(silent_periods(entries, threshold_days=9)) == 1


def test_it_treats_a_month_only_entry_as_possibly_any_day_of_its_month() -> None:
    entries = [_e(_d(2016, 1, 1)), _e(PartialDate(2016, 3)), _e(_d(2016, 6, 1))]
    periods = silent_periods(entries, threshold_days=20)
    assert [(p.start, p.end) for p in periods] == [
        (dt.date(2016, 1, 2), dt.date(2016, 2, 29)),
        (dt.date(2016, 4, 1), dt.date(2016, 5, 31)),
    ]


def test_it_counts_an_end_date_as_contact_until_it_ends() -> None:
    stay = _e(_d(2016, 1, 1), end_date=_d(2016, 2, 15))
    entries = [stay, _e(_d(2016, 3, 1))]
    assert silent_periods(entries, threshold_days=20) == []


def test_it_counts_silence_before_the_first_and_after_the_last_entry_within_a_period() -> None:
    entries = [_e(_d(2016, 3, 1))]
    periods = silent_periods(entries, 20, period_start=dt.date(2016, 1, 1), period_end=dt.date(2016, 6, 30))
    assert [(p.start, p.end, p.before_index, p.after_index) for p in periods] == [
        (dt.date(2016, 1, 1), dt.date(2016, 2, 29), None, 0),
        (dt.date(2016, 3, 2), dt.date(2016, 6, 30), 0, None),
    ]


days = st.integers(0, 400).map(lambda n: dt.date(2016, 1, 1) + dt.timedelta(days=n))


@given(st.lists(st.tuples(days, st.integers(0, 2)), max_size=30), st.integers(0, 60))
def test_it_never_puts_an_entry_inside_a_silent_period(
    raw: list[tuple[dt.date, int]], threshold: int
) -> None:
    entries = [
        _e(
            PartialDate(d.year, d.month, d.day)
            if kind == 0
            else PartialDate(d.year, d.month if kind == 1 else None)
        )
        for d, kind in raw
    ]
    for period in silent_periods(entries, threshold):
        assert period.days > threshold
        for entry in entries:
            start, end = entry_span(entry)
            assert end < period.start or start > period.end


def test_it_expects_cp_visits_within_the_working_day_interval() -> None:
    # Plan starts Monday 14 Dec 2015; 10 working days skip Christmas and Boxing Day (28 Dec) → due 30 Dec.
    entries = [
        _e(_d(2015, 12, 14), "cp_plan_start"),
        _e(_d(2015, 12, 30), "visit"),  # in time
        _e(_d(2016, 1, 29), "visit"),  # due 14 Jan (1 Jan is a bank holiday): late
        _e(_d(2016, 2, 5), "cp_plan_end"),
    ]
    [gap] = expected_contact_gaps(entries, CaseContext())
    assert gap.rule_id == "CJ-08"
    assert gap.standing == "local"
    assert gap.due_by == dt.date(2016, 1, 14)
    assert (gap.start, gap.end) == (dt.date(2016, 1, 15), dt.date(2016, 1, 28))
    assert (gap.trigger_index, gap.next_index) == (1, 2)
    assert "10 working days of 30/12/2015" in gap.message


def test_it_uses_the_partnerships_own_cp_visit_interval() -> None:
    entries = [
        _e(_d(2016, 3, 1), "cp_plan_start"),
        _e(_d(2016, 3, 22), "visit"),
        _e(_d(2016, 3, 23), "cp_plan_end"),
    ]
    assert [g.rule_id for g in expected_contact_gaps(entries, CaseContext())] == ["CJ-08"]
    assert expected_contact_gaps(entries, CaseContext(visit_interval_working_days=20)) == []


def test_it_reports_a_plan_with_no_visit_until_the_period_ends() -> None:
    entries = [_e(_d(2016, 3, 1), "cp_plan_start")]
    [gap] = expected_contact_gaps(entries, CaseContext(period_end=dt.date(2016, 4, 30)))
    assert gap.end == dt.date(2016, 4, 30)
    assert gap.next_index is None
    assert "no later visit is recorded up to 30/04/2016" in gap.message


def test_it_expects_a_looked_after_child_visited_within_a_week_then_six_weekly() -> None:
    entries = [
        _e(_d(2016, 1, 4), "lac_start"),
        _e(_d(2016, 1, 8), "visit"),  # within a week
        _e(_d(2016, 3, 1), "visit"),  # 53 days later: late
        _e(_d(2016, 3, 10), "placement_start"),
        _e(_d(2016, 3, 25), "visit"),  # 15 days after the new placement: late
    ]
    gaps = expected_contact_gaps(entries, CaseContext(period_end=dt.date(2016, 4, 1)))
    assert [(g.rule_id, g.due_by) for g in gaps] == [
        ("CJ-10", dt.date(2016, 2, 19)),
        ("CJ-10", dt.date(2016, 3, 17)),
    ]
    assert "within 7 days of the placement starting 10/03/2016" in gaps[1].message
    assert all(g.standing == "statutory" for g in gaps)


def test_it_expects_health_visitor_contacts_for_a_baby_from_october_2015_as_mandated() -> None:
    born = dt.date(2016, 1, 1)
    entries = [_e(_d(2016, 1, 12), "hv_contact", agency="Health"), _e(_d(2017, 6, 1))]
    gaps = expected_contact_gaps(entries, CaseContext(child_born_on=born))
    assert [g.rule_id for g in gaps] == ["CJ-13", "CJ-13"]
    assert "6–8 week review" in gaps[0].message
    assert "9–12 month review" in gaps[1].message
    assert all(g.standing == "mandated" for g in gaps)


def test_it_calls_pre_2015_health_visiting_gaps_expected_contact_not_breach() -> None:
    entries = [_e(_d(2012, 3, 1), "birth", agency="Health"), _e(_d(2012, 6, 1))]
    gaps = expected_contact_gaps(entries, CaseContext())
    assert [g.standing for g in gaps] == ["guidance", "guidance"]
    assert "guidance only before October 2015" in gaps[0].message
    assert gaps[0].trigger_index == 0


def test_it_counts_review_windows_for_a_baby_born_late_in_the_month() -> None:
    # 31 May + 9 months has no 31st: the window opens on the last day of February.
    born = dt.date(2016, 5, 31)
    entries = [_e(_d(2016, 6, 8), "hv_contact", agency="Health"), _e(_d(2019, 6, 1))]
    gaps = expected_contact_gaps(entries, CaseContext(child_born_on=born))
    assert [g.rule_id for g in gaps] == ["CJ-13", "CJ-13", "CJ-13"]
    assert "(28/02/2017 to 31/05/2017)" in gaps[1].message
    assert "(31/05/2018 to 30/11/2018)" in gaps[2].message


def test_it_stops_expecting_contacts_after_a_death() -> None:
    entries = [_e(_d(2016, 1, 1), "birth"), _e(_d(2016, 1, 12), "hv_contact"), _e(_d(2016, 2, 1), "death")]
    assert expected_contact_gaps(entries, CaseContext(period_end=dt.date(2018, 1, 1))) == []


def test_it_expects_nothing_before_the_first_entry_about_the_child() -> None:
    # Born abroad in 2011; the record starts when the family arrived in England in 2017.
    entries = [_e(_d(2017, 9, 12), "gp_appointment", agency="GP"), _e(_d(2018, 6, 1), "visit")]
    assert expected_contact_gaps(entries, CaseContext(child_born_on=dt.date(2011, 5, 8))) == []
    # The request's period can start the record earlier.
    gaps = expected_contact_gaps(
        entries, CaseContext(child_born_on=dt.date(2016, 5, 8), period_start=dt.date(2016, 5, 8))
    )
    assert [g.rule_id for g in gaps] == ["CJ-13", "CJ-13", "CJ-13"]


def test_it_stops_a_plan_and_its_visits_at_the_childs_death() -> None:
    entries = [_e(_d(2020, 1, 6), "cp_plan_start"), _e(_d(2020, 1, 13), "visit")]
    died = dt.date(2020, 1, 20)
    context = CaseContext(child_died_on=died, period_end=dt.date(2021, 1, 1))
    assert all(g.due_by < died for g in expected_contact_gaps(entries, context))
    assert expected_contact_gaps(entries, CaseContext(period_end=dt.date(2021, 1, 1)))


def test_it_classifies_uncoded_entries_when_no_types_are_given() -> None:
    entries = [Entry("CSC", _d(2016, 3, 1), "Child made subject to a child protection plan")]
    gaps = expected_contact_gaps(entries, CaseContext(period_end=dt.date(2016, 4, 1)))
    assert [g.rule_id for g in gaps] == ["CJ-08"]


def test_it_names_a_bad_context_setting() -> None:
    with pytest.raises(ValueError, match="visit_interval_working_days must be a whole number"):
        CaseContext(visit_interval_working_days=0)
    with pytest.raises(ValueError, match="period_end is before period_start"):
        CaseContext(period_start=dt.date(2016, 2, 1), period_end=dt.date(2016, 1, 1))


def test_it_uses_the_partnerships_closure_days() -> None:
    entries = [_e(_d(2016, 3, 1), "cp_plan_start"), _e(_d(2016, 3, 16), "visit")]  # due 15 Mar normally
    assert len(expected_contact_gaps(entries, CaseContext())) == 1
    closures = WorkingCalendar(closures=[dt.date(2016, 3, 7)])
    assert expected_contact_gaps(entries, CaseContext(calendar=closures)) == []


def test_it_holds_each_rule_with_its_source_and_verification_tag() -> None:
    assert set(EXPECTED_CONTACT_RULES) == {"CJ-08", "CJ-10", "CJ-13"}
    for rule in EXPECTED_CONTACT_RULES.values():
        assert rule.source and rule.tag in {"P", "S", "G"}
        assert rule.verified is (rule.tag != "G")
    assert EXPECTED_CONTACT_RULES["CJ-13"].mandated_from == dt.date(2015, 10, 1)
