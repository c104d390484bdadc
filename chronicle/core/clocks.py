"""The statutory clocks of a serious incident, as pure functions of dates and a working-day calendar.

Notification (within the regime's working days of the local authority becoming aware), the rapid
review (Panel era: from awareness or from notifying the Panel, as the partnership counts it) and,
for 2013-2018 cases, the Serious Case Review decision (CR-04: the LSCB Chair decides within one month
of notification). Whoever holds the records (the Django side) reads the dates and hands them in,
the decision date included; nothing here reads a database or the clock on the wall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from chronicle.core import screening as engine
from chronicle.core.calendar import WorkingCalendar, add_months

DUE_SOON_WORKING_DAYS = 2
DONE_VERBS = {"notify": "Notified", "rapid_review": "Rapid review sent", "scr_decision": "Decided"}
# Most urgent first, for lists of cases.
STATE_ORDER = {"overdue": 0, "due_today": 1, "due_soon": 2, "open": 3, "late_on_record": 4, "done": 5}


@dataclass(frozen=True)
class Clock:
    name: str  # "notify", "rapid_review" or "scr_decision"
    label: str
    due: dt.date
    done_on: dt.date | None
    state: str  # "done", "overdue", "due_today", "due_soon", "open" or "late_on_record"
    working_days_left: int  # negative when overdue
    provisional: bool = False  # the start date is not known yet, so the due date may move
    # A retrospective case recorded after this deadline had passed: its lateness is history,
    # not an alarm. Then this is how many working days after awareness it was done, if it was.
    late_on_record: bool = False
    working_days_taken: int | None = None

    @property
    def description(self) -> str:
        if self.late_on_record:
            if self.done_on is not None and self.working_days_taken is not None:
                verb = DONE_VERBS.get(self.name, "Done")
                days = self.working_days_taken
                return (
                    f"{verb} {days:,} working day{'s' if days != 1 else ''} after the local authority "
                    "became aware — recorded as late"
                )
            return "The deadline had passed before the case was recorded — recorded as late, not yet done"
        if self.done_on:
            late = " (late)" if self.done_on > self.due else ""
            return f"Done {self.done_on.day} {self.done_on:%B %Y}{late}"
        if self.state == "overdue":
            days = -self.working_days_left
            return f"Overdue by {days:,} working day{'s' if days != 1 else ''}"
        if self.state == "due_today":
            return "Due today"
        days = self.working_days_left
        return f"Due in {days} working day{'s' if days != 1 else ''}"


@dataclass(frozen=True)
class ClockDates:
    """What the clocks of one incident are worked out from: dates only."""

    regime: str  # the regime id the case was screened under (or is in force on its date)
    aware_on: dt.date
    first_notified_on: dt.date | None = None  # the first notification to anyone
    panel_notified_on: dt.date | None = None  # the first notification to the Panel
    rapid_review_sent_on: dt.date | None = None
    scr_decided_on: dt.date | None = None  # the first decision on the case (a Serious Case Review's)
    rapid_review_start: engine.RapidReviewStart | str | None = None  # the partnership's setting
    # A case recorded after the event: deadlines that had passed by ``recorded_on`` are history.
    retrospective: bool = False
    recorded_on: dt.date | None = None


def clock_state(
    due: dt.date, done_on: dt.date | None, today: dt.date, calendar: WorkingCalendar
) -> tuple[str, int]:
    """The state of one deadline on ``today``, and the working days left (negative once overdue)."""
    left = calendar.working_days_between(today, due)
    if done_on is not None:
        return "done", left
    if today > due:
        return "overdue", left
    if today == due:
        return "due_today", 0
    return ("due_soon" if left <= DUE_SOON_WORKING_DAYS else "open"), left


def as_history(clock: Clock, dates: ClockDates, calendar: WorkingCalendar) -> Clock:
    """A retrospective case's clock whose deadline passed before the case was recorded."""
    if not dates.retrospective or dates.recorded_on is None or clock.due >= dates.recorded_on:
        return clock
    taken = (
        calendar.working_days_between(dates.aware_on, clock.done_on) if clock.done_on is not None else None
    )
    state = "done" if clock.done_on is not None else "late_on_record"
    return replace(clock, state=state, late_on_record=True, working_days_taken=taken)


def has_scr_decision_clock(regime_id: str) -> bool:
    """Cases under Working Together 2013 to 2018 wait for an LSCB Chair's Serious Case Review decision."""
    return engine.get_regime(regime_id).era is engine.Era.LSCB_WT2013


def scr_decision_due(notified_on: dt.date) -> dt.date:
    """CR-04: the LSCB Chair decides on a Serious Case Review within one month of notification."""
    return add_months(notified_on, 1)


def statutory_clocks(dates: ClockDates, today: dt.date, calendar: WorkingCalendar) -> list[Clock]:
    """The clocks of an open incident on ``today``: notification, then the rapid review (Panel era) or
    the Serious Case Review decision (2013-2018)."""
    due = engine.deadlines(
        dates.regime,
        dates.aware_on,
        notifiable=None,
        rapid_review=None,
        calendar=calendar,
        rapid_review_start=dates.rapid_review_start,
        notified_on=dates.panel_notified_on,
    )
    notified_on = dates.panel_notified_on or dates.first_notified_on
    result: list[Clock] = []
    if due.notify_by is not None:
        state, left = clock_state(due.notify_by, notified_on, today, calendar)
        result.append(Clock("notify", "Notification", due.notify_by, notified_on, state, left))
    if due.rapid_review_by is not None:
        state, left = clock_state(due.rapid_review_by, dates.rapid_review_sent_on, today, calendar)
        provisional = (
            due.rapid_review_start == engine.RapidReviewStart.NOTIFICATION and dates.panel_notified_on is None
        )
        result.append(
            Clock(
                "rapid_review",
                "Rapid review",
                due.rapid_review_by,
                dates.rapid_review_sent_on,
                state,
                left,
                provisional,
            )
        )
    if has_scr_decision_clock(dates.regime) and due.notify_by is not None:
        scr_due = scr_decision_due(notified_on or due.notify_by)
        state, left = clock_state(scr_due, dates.scr_decided_on, today, calendar)
        result.append(
            Clock(
                "scr_decision",
                "Serious Case Review decision",
                scr_due,
                dates.scr_decided_on,
                state,
                left,
                notified_on is None,
            )
        )
    return [as_history(clock, dates, calendar) for clock in result]
