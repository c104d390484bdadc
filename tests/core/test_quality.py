"""Quality checks over one agency's chronology (CQ-01 to CQ-11)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.quality import QUALITY_RULES, Scorecard, _date_order, check_quality
from chronicle.core.silence import CaseContext


def _e(day: int, text: str = "Core group meeting held at school", month: int = 5, **fields: object) -> Entry:
    values: dict[str, object] = {
        "source": "case file",
        "significance": "",
        "action": "discussed",
        "outcome": "plan updated",
        "first_hand": True,
    }
    values.update(fields)
    return Entry("CSC", PartialDate(2016, month, day), text, **values)  # type: ignore[arg-type]


def _good_chronology() -> list[Entry]:
    """A chronology that should pass every check."""
    return [
        _e(2, "Referral received from school about bruising to the arm", significance="First sign of injury"),
        _e(3, "Strategy discussion with police and health, s47 agreed"),
        _e(5, "Home visit, child seen alone and said Dad shouts", child_seen=True, child_voice="Dad shouts"),
        _e(20, "Core group meeting held, Mum attended and engaged well"),
        _e(15, "Core group meeting held, Mum attended, good progress", month=6),
    ]


def _rules(card: Scorecard) -> list[str]:
    return [point.rule_id for point in card.points]


def test_it_passes_a_good_chronology() -> None:
    card = check_quality(_good_chronology(), context=CaseContext(silence_threshold_days=60))
    assert card.points == []
    assert card.agency == "CSC"
    assert card.rules_passed == tuple(QUALITY_RULES)


def test_it_flags_an_event_dated_after_it_was_recorded_as_an_error() -> None:
    entries = [*_good_chronology(), _e(25, recorded_on=dt.date(2016, 5, 24))]
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-01"]
    assert point.severity == "error"
    assert point.entry_indices == (5,)


def test_it_warns_about_uncertain_and_month_only_dates() -> None:
    entries = _good_chronology()
    entries[1].date = PartialDate(2016, 5, 3, uncertain=True)
    entries[3].date = PartialDate(2016, 5)
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-01"]
    assert point.severity == "warning"
    assert point.entry_indices == (1, 3)
    assert "1 known only to the month or year" in point.message


def test_it_flags_entries_out_of_order_but_accepts_a_descending_chronology() -> None:
    entries = _good_chronology()
    entries[1], entries[2] = entries[2], entries[1]
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-02"]
    assert point.entry_indices == (2,)
    assert "CQ-02" not in _rules(check_quality(list(reversed(_good_chronology()))))


def test_it_flags_an_event_recorded_twice_and_keeps_both() -> None:
    entries = _good_chronology()
    entries.insert(2, _e(3, "Strategy discussion with police and health, s47 agreed"))
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-02"]
    assert point.entry_indices == (1, 2)
    assert "both are kept" in point.message


def test_it_flags_a_missing_source_as_an_error() -> None:
    entries = [*_good_chronology(), _e(21, source=" ")]
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-03"]
    assert (point.severity, point.entry_indices) == ("error", (5,))


def test_it_flags_opinion_stated_as_fact_but_not_when_attributed() -> None:
    entries = [
        *_good_chronology(),
        _e(22, "Home chaotic, mother not engaging, disguised compliance"),
        _e(23, "Teacher said Mum seemed fine at pick-up"),
        _e(24, 'Mum described the home as "chaotic"'),
    ]
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-04"]
    assert point.entry_indices == (5,)
    assert "chaotic, disguised compliance, not engaging" in point.message


def test_it_flags_a_significant_event_with_no_action_or_outcome() -> None:
    entries = [*_good_chronology(), _e(24, "Bruise seen on cheek", significant=True, action="", outcome="")]
    entries.append(_e(25, "Strategy discussion held", action="", outcome=""))  # key event type, not marked
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-05"]
    assert point.entry_indices == (5, 6)


def test_it_flags_a_chronology_of_routine_contacts() -> None:
    entries = [_e(1, "Case note: telephone call to Mum, nothing of note")] * 18 + _good_chronology()
    entries = [_e(n % 28 + 1, e.description) for n, e in enumerate(entries)]
    points = [p for p in check_quality(entries, context=CaseContext(silence_threshold_days=90)).points]
    [point] = [p for p in points if p.rule_id == "CQ-06"]
    assert "of entries are routine contacts" in point.message
    assert len(point.entry_indices) >= 18


def test_it_flags_silent_periods_and_expected_visits_with_the_rule_id() -> None:
    entries = [
        _e(2, "Child protection plan started, category neglect", significance="Plan made", child_seen=True),
        _e(3, "Home visit, child seen", child_seen=True),
        _e(30, "Home visit, child seen", month=8, child_seen=True),
    ]
    points = [p for p in check_quality(entries, context=CaseContext()).points if p.rule_id == "CQ-07"]
    messages = [p.message for p in points]
    assert any(m.startswith("No entries from 04/05/2016 to 29/08/2016") for m in messages)
    assert any(m.startswith("CJ-08 (Visits to a child on a child protection plan)") for m in messages)


def test_it_leaves_out_expected_contacts_the_agency_does_not_make() -> None:
    police = [
        Entry(
            "Police", PartialDate(2016, 5, 1), "Police called to the address", source="log", first_hand=True
        ),
        Entry("Police", PartialDate(2016, 5, 20), "Police called again", source="log", first_hand=True),
    ]
    context = CaseContext(child_born_on=dt.date(2016, 1, 1))
    points = check_quality(police, context=context).points
    assert not any("CJ-13" in p.message for p in points)


def test_it_flags_a_chronology_of_only_adverse_events() -> None:
    entries = [_e(n, "Police called, injury to the child, concerns raised") for n in range(1, 7)]
    assert "CQ-08" in _rules(check_quality(entries))
    entries.append(_e(10, "Mum attended the appointment, child happy"))
    assert "CQ-08" not in _rules(check_quality(entries))


def test_it_flags_a_chronology_where_every_entry_is_marked_significant() -> None:
    entries = [_e(n, f"Core group meeting {n}", significant=True) for n in range(1, 12)]
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-08"]
    assert "full contact record" in point.message


def test_it_flags_a_plan_period_with_no_child_seen_or_heard() -> None:
    entries = [
        _e(2, "Child protection plan started", event_type="cp_plan_start"),
        _e(9, "Home visit, mother seen", event_type="visit"),
        _e(20, "Plan ended", event_type="cp_plan_end"),
    ]
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-09"]
    assert point.entry_indices == (1,)
    entries[1].child_voice = "Said she likes school"
    assert "CQ-09" not in _rules(check_quality(entries))


def test_it_flags_a_chronology_with_no_analysis() -> None:
    entries = [_e(n) for n in range(1, 4)]
    assert "CQ-10" in _rules(check_quality(entries))
    entries[0].significance = "Shows a pattern of missed appointments"
    assert "CQ-10" not in _rules(check_quality(entries))


def test_it_flags_third_party_information_that_is_not_marked() -> None:
    entries = [
        *_good_chronology(),
        _e(26, "Neighbour reported that the children were left alone", first_hand=None),
        _e(27, "Neighbour reported that the children were left alone again", first_hand=False),
    ]
    [point] = [p for p in check_quality(entries).points if p.rule_id == "CQ-11"]
    assert point.entry_indices == (5,)


def test_it_refuses_several_agencies_at_once() -> None:
    mixed = [_e(1), Entry("Police", PartialDate(2016, 5, 1), "x")]
    with pytest.raises(ValueError, match="one agency's chronology; got CSC, Police"):
        check_quality(mixed)


def test_it_returns_an_empty_scorecard_for_an_empty_chronology() -> None:
    card = check_quality([], agency="School")
    assert (card.agency, card.entry_count, card.points) == ("School", 0, [])


def test_it_holds_every_rule_with_its_source_and_tag() -> None:
    assert list(QUALITY_RULES) == [f"CQ-{n:02d}" for n in range(1, 12)]
    for rule in QUALITY_RULES.values():
        assert rule.source and rule.tag in {"P", "S", "G"} and rule.severity in {"error", "warning"}


def test_it_separates_errors_from_warnings() -> None:
    entries = [*_good_chronology(), _e(21, source="")]
    card = check_quality(entries)
    assert [p.rule_id for p in card.errors] == ["CQ-03"]
    assert all(p.severity == "warning" for p in card.warnings)


partial_dates = st.builds(
    lambda y, m, d, kind: PartialDate(y, m if kind < 2 else None, d if kind == 0 else None),
    st.integers(2015, 2017),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
)


@given(partial_dates, partial_dates)
def test_it_orders_dates_for_cq02_as_the_composite_does(first: PartialDate, second: PartialDate) -> None:
    fast = (_date_order(first) > _date_order(second)) - (_date_order(first) < _date_order(second))
    slow = (first.sort_key() > second.sort_key()) - (first.sort_key() < second.sort_key())
    assert fast == slow
