"""Expected contacts and chains run only while the child is recorded in England.

A child on a plan or looked after who moves abroad (or to Scotland or Wales) is not owed
English visits while away; on the return the clocks start again from the day the child is
back. Health-visiting windows spent abroad expect nothing.
"""

from __future__ import annotations

import datetime as dt

from chronicle.core.abroad import periods_away
from chronicle.core.analysis import Analysis, analyse
from chronicle.core.compliance import Status
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.events import asserted_types
from chronicle.core.extract import Source, extract

CSC = "Children's Social Care"
D = dt.date


def coded(day: dt.date, code: str, agency: str = CSC, text: str = "") -> Entry:
    return Entry(agency, PartialDate.exact(day), text or code.replace("_", " "), event_type=code)


def worded(day: dt.date, text: str, agency: str = CSC) -> Entry:
    return Entry(agency, PartialDate.exact(day), text)


def cp_gaps(analysis: Analysis) -> list[tuple[dt.date, dt.date]]:
    return [(g.due_by, g.end) for g in analysis.expected_contact_gaps if g.rule_id == "CJ-08"]


def cp_chain_not_met(analysis: Analysis) -> list[str]:
    return [
        analysis.entries[f.trigger_index].date.display()
        for f in analysis.findings
        if f.rule_id == "CJ-08" and f.status is Status.NOT_MET
    ]


def plan_with_a_stay_abroad(returned: bool = True) -> list[Entry]:
    entries = [
        coded(D(2020, 1, 6), "cp_plan_start"),
        coded(D(2020, 1, 13), "visit"),
        coded(D(2020, 1, 24), "visit"),
        coded(D(2020, 2, 3), "left_england", text="Family moved to Poland with the children."),
    ]
    if returned:
        entries += [
            coded(D(2020, 5, 4), "returned_to_england", text="Family returned to the UK."),
            coded(D(2020, 6, 15), "visit"),  # 30 working days after the return: late
        ]
    return entries


def test_it_expects_no_visits_while_the_child_is_abroad_and_restarts_the_clock_on_return() -> None:
    analysis = analyse(plan_with_a_stay_abroad(), child_born_on=D(2015, 1, 1))
    # Nothing between leaving (3 February) and returning (4 May); the first visit after the return
    # was due within 10 working days of it (Friday 8 May 2020 was a bank holiday).
    assert cp_gaps(analysis) == [(D(2020, 5, 19), D(2020, 6, 14))]
    gap = analysis.expected_contact_gaps[0]
    assert gap.trigger_index is not None and "04/05/2020" in gap.message
    assert analysis.entries[gap.trigger_index].event_type == "returned_to_england"
    # The chain of visits (CJ-08) pauses the same way: the late visit is timed from the return.
    assert cp_chain_not_met(analysis) == ["04/05/2020"]


def test_it_counted_the_months_abroad_as_missed_visits_before_the_pause() -> None:
    # The same record with the move read as nothing: the months abroad become a missed visit.
    entries = [
        e for e in plan_with_a_stay_abroad() if e.event_type not in ("left_england", "returned_to_england")
    ]
    analysis = analyse(entries, child_born_on=D(2015, 1, 1))
    assert cp_gaps(analysis) == [(D(2020, 2, 7), D(2020, 6, 14))]


def test_it_expects_nothing_after_a_move_abroad_with_no_return() -> None:
    entries = [*plan_with_a_stay_abroad(returned=False), coded(D(2020, 9, 1), "contact", agency="School")]
    analysis = analyse(entries, child_born_on=D(2015, 1, 1))
    assert cp_gaps(analysis) == []
    assert cp_chain_not_met(analysis) == []


def test_it_times_a_plan_made_while_the_child_was_abroad_from_the_return() -> None:
    entries = [
        coded(D(2020, 2, 3), "left_england"),
        coded(D(2020, 2, 10), "cp_plan_start"),
        coded(D(2020, 5, 4), "returned_to_england"),
        coded(D(2020, 6, 15), "visit"),
    ]
    analysis = analyse(entries, child_born_on=D(2015, 1, 1))
    assert cp_gaps(analysis) == [(D(2020, 5, 19), D(2020, 6, 14))]
    assert cp_chain_not_met(analysis) == ["04/05/2020"]


def test_it_expects_no_health_visiting_review_for_a_window_spent_abroad() -> None:
    born = D(2016, 1, 1)
    entries = [
        coded(born, "birth", agency="Maternity"),
        coded(D(2016, 1, 12), "hv_contact", agency="Health visiting"),
        coded(D(2016, 1, 20), "left_england", agency="GP"),
        coded(D(2016, 6, 1), "returned_to_england", agency="GP"),
        coded(D(2017, 3, 1), "gp_appointment", agency="GP"),
    ]
    windows = [g.message for g in analyse(entries, child_born_on=born).expected_contact_gaps]
    assert not any("6–8 week review" in message for message in windows)  # abroad then
    assert any("9–12 month review" in message for message in windows)  # back in England, none recorded


def test_it_reads_leaving_and_returning_about_the_child_not_a_parent() -> None:
    def types(text: str) -> frozenset[str]:
        return asserted_types(extract(Source(text, "childrens_social_care")))

    assert "left_england" in types("Family moved to Poland.")
    assert "left_england" in types("Mum and children moved to Spain in August.")
    assert "left_england" in types("Child taken to Nigeria by father.")
    assert "returned_to_england" in types("Family returned to the UK on 3 March.")
    assert "left_england" not in types("Mother moved to Pakistan; Child A stays with grandmother.")
    assert "left_england" not in types("Older brother moved to Scotland to live with his father.")
    assert "left_england" not in types("No plans to move abroad.")


def test_it_takes_the_move_from_the_words_of_an_entry() -> None:
    entries = [
        coded(D(2020, 1, 6), "cp_plan_start"),
        coded(D(2020, 1, 13), "visit"),
        worded(D(2020, 1, 20), "Mother moved to Pakistan; Child A stays with grandmother."),
        worded(D(2020, 2, 3), "Family moved to Poland; school informed."),
        worded(D(2020, 5, 4), "Family returned to the UK, seen at the office."),
        coded(D(2020, 5, 11), "visit"),
    ]
    analysis = analyse(entries, child_born_on=D(2015, 1, 1))
    # The visit due by 27 January was missed (the mother's own move pauses nothing); the gap ends
    # when the child left, and nothing is owed while the child was in Poland.
    assert cp_gaps(analysis) == [(D(2020, 1, 27), D(2020, 2, 2))]


def test_it_opens_and_closes_periods_away_in_date_order() -> None:
    entries = [
        coded(D(2020, 5, 4), "returned_to_england"),
        coded(D(2019, 1, 1), "returned_to_england"),  # arrived: the record starts here, nothing to close
        coded(D(2020, 2, 3), "left_england"),
        coded(D(2021, 1, 1), "left_england"),
    ]
    periods = periods_away(entries, [frozenset({e.event_type}) for e in entries])
    assert [(p.start, p.end) for p in periods] == [(D(2020, 2, 3), D(2020, 5, 4)), (D(2021, 1, 1), None)]
