"""The statutory clocks (chronicle.core.clocks): notification, rapid review and the Serious Case Review
decision, worked out from dates and a working-day calendar alone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.core.calendar import WorkingCalendar
from chronicle.core.clocks import Clock, ClockDates, clock_state, statutory_clocks

ENGLAND = WorkingCalendar()
D = dt.date.fromisoformat
PANEL_ERA = "WT2023"
SCR_ERA = "LSCB2006/WT2013"


def by_name(dates: ClockDates, today: dt.date, calendar: WorkingCalendar = ENGLAND) -> dict[str, Clock]:
    return {clock.name: clock for clock in statutory_clocks(dates, today, calendar)}


def test_it_gives_five_working_days_to_notify_the_panel() -> None:
    notify = by_name(ClockDates(PANEL_ERA, aware_on=D("2024-03-05")), D("2024-03-06"))["notify"]
    assert (notify.due, notify.state, notify.working_days_left) == (D("2024-03-12"), "open", 4)


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        (D("2024-03-06"), "open", 4),
        (D("2024-03-08"), "due_soon", 2),
        (D("2024-03-12"), "due_today", 0),
        (D("2024-03-14"), "overdue", -2),
    ],
)
def test_it_names_the_state_of_a_clock_on_the_day(today: dt.date, state: str, left: int) -> None:
    assert clock_state(D("2024-03-12"), None, today, ENGLAND) == (state, left)


def test_it_stops_the_clock_on_the_first_notification() -> None:
    dates = ClockDates(PANEL_ERA, aware_on=D("2024-03-05"), first_notified_on=D("2024-03-14"))
    notify = by_name(dates, D("2024-03-20"))["notify"]
    assert (notify.state, notify.done_on) == ("done", D("2024-03-14"))
    assert notify.description == "Done 14 March 2024 (late)"


def test_it_counts_the_rapid_review_from_the_panel_notification_over_easter() -> None:
    dates = ClockDates(
        PANEL_ERA,
        aware_on=D("2024-03-05"),
        panel_notified_on=D("2024-03-08"),
        first_notified_on=D("2024-03-08"),
    )
    rapid = by_name(dates, D("2024-03-20"))["rapid_review"]
    # 15 working days after Friday 8 March 2024, skipping Good Friday and Easter Monday.
    assert (rapid.due, rapid.provisional) == (D("2024-04-02"), False)


def test_it_marks_the_rapid_review_provisional_until_the_panel_is_notified() -> None:
    rapid = by_name(ClockDates(PANEL_ERA, aware_on=D("2024-03-05")), D("2024-03-06"))["rapid_review"]
    assert rapid.provisional


def test_it_moves_the_deadline_past_a_partnership_closure_day() -> None:
    closed = WorkingCalendar(closures=[D("2024-03-11")])
    notify = by_name(ClockDates(PANEL_ERA, aware_on=D("2024-03-05")), D("2024-03-06"), closed)["notify"]
    assert notify.due == D("2024-03-13")


def test_it_gives_the_lscb_chair_a_month_from_notification_to_decide_on_a_serious_case_review() -> None:
    dates = ClockDates(SCR_ERA, aware_on=D("2016-03-02"), first_notified_on=D("2016-03-04"))
    scr = by_name(dates, D("2016-03-10"))["scr_decision"]
    assert (scr.label, scr.due, scr.state, scr.provisional) == (
        "Serious Case Review decision",
        D("2016-04-04"),
        "open",
        False,
    )


def test_it_stops_the_serious_case_review_clock_on_the_decision_date_handed_in() -> None:
    dates = ClockDates(
        SCR_ERA, aware_on=D("2016-03-02"), first_notified_on=D("2016-03-04"), scr_decided_on=D("2016-03-30")
    )
    scr = by_name(dates, D("2016-05-10"))["scr_decision"]
    assert (scr.state, scr.done_on) == ("done", D("2016-03-30"))


def test_it_counts_the_serious_case_review_decision_from_the_notification_deadline_until_notified() -> None:
    scr = by_name(ClockDates(SCR_ERA, aware_on=D("2016-03-02")), D("2016-03-03"))["scr_decision"]
    assert scr.provisional
    assert scr.due == D("2016-04-09")  # one month after 9 March, five working days after awareness


def test_it_has_no_serious_case_review_clock_in_the_panel_era_and_no_rapid_review_before_it() -> None:
    assert set(by_name(ClockDates(PANEL_ERA, aware_on=D("2024-03-05")), D("2024-03-06"))) == {
        "notify",
        "rapid_review",
    }
    assert set(by_name(ClockDates(SCR_ERA, aware_on=D("2016-03-02")), D("2016-03-03"))) == {
        "notify",
        "scr_decision",
    }


def test_it_keeps_a_deadline_passed_before_a_retrospective_case_was_recorded_as_history() -> None:
    dates = ClockDates(
        PANEL_ERA,
        aware_on=D("2024-03-05"),
        first_notified_on=D("2024-03-19"),
        retrospective=True,
        recorded_on=D("2024-06-01"),
    )
    notify = by_name(dates, D("2024-06-03"))["notify"]
    assert (notify.state, notify.late_on_record, notify.working_days_taken) == ("done", True, 10)
    assert notify.description.startswith("Notified 10 working days after")


# Properties over any dates the calendar holds.
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2034, 12, 1))


@given(due=days, today=days, done_on=st.none() | days)
def test_it_calls_a_clock_done_only_when_it_was_done_and_overdue_only_after_its_day(
    due: dt.date, today: dt.date, done_on: dt.date | None
) -> None:
    state, left = clock_state(due, done_on, today, ENGLAND)
    assert (state == "done") == (done_on is not None)
    if done_on is None:
        assert (state == "overdue") == (today > due)
        assert (state == "due_today") == (today == due)
        assert left <= 0 if today >= due else left >= 0


@given(aware_on=days, today=days)
def test_it_sets_the_notification_deadline_five_working_days_after_awareness(
    aware_on: dt.date, today: dt.date
) -> None:
    notify = by_name(ClockDates(PANEL_ERA, aware_on=aware_on), today)["notify"]
    assert ENGLAND.is_working_day(notify.due)
    assert ENGLAND.working_days_between(aware_on, notify.due) == 5


@given(aware_on=days, notified_after=st.integers(min_value=0, max_value=30), today=days)
def test_it_never_puts_the_rapid_review_before_the_notification(
    aware_on: dt.date, notified_after: int, today: dt.date
) -> None:
    notified = aware_on + dt.timedelta(days=notified_after)
    dates = ClockDates(PANEL_ERA, aware_on=aware_on, panel_notified_on=notified, first_notified_on=notified)
    clocks = by_name(dates, today)
    assert clocks["rapid_review"].due > notified
    assert clocks["notify"].state == "done"
