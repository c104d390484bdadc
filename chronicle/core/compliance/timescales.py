"""Timescale rules: a step due by a deadline, chains of reviews and visits, conferences, strategy discussions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from chronicle.core.agency_kinds import guess_agency_type
from chronicle.core.calendar import OutsideCalendarError, add_months
from chronicle.core.compliance.findings import LOCAL_SETTING, Status
from chronicle.core.compliance.index import (
    Builder,
    Index,
    deadline_words,
    evidence_words,
    judge,
    judge_same_day,
    span_reason,
    variant,
)
from chronicle.core.compliance.rules import ICPC_LOOKBACK_MONTHS, INJURY_LOOKBACK_DAYS, Deadline, Rule, Unit
from chronicle.core.dates import Precision
from chronicle.core.event_types import label


def evaluate_deadline_family(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    trigger_types = tuple(dict.fromkeys(t for rule in variants for t in rule.trigger_types))
    for i in ix.of_types(trigger_types):
        if ix.starts_nothing(i):
            continue
        rule = variant(variants, ix.start_day[i]) or variant(variants, ix.end_day[i])
        if rule is None or ix.types[i].isdisjoint(rule.trigger_types):
            continue
        if rule.trigger_with and not _with_harm(ix, i, rule.trigger_with):
            continue
        if "birth" in ix.types[i] and not ix.is_childs_birth(i):
            continue  # a brother's or sister's birth, or a birth told later, starts none of the child's clocks
        try:
            evaluate_deadline(rule, variants, i, ix, out)
        except OutsideCalendarError as error:
            out.outside_calendar(rule, i, error)


def _with_harm(ix: Index, i: int, types: tuple[str, ...]) -> bool:
    """The entry, or another agency's entry on the same day, asserts one of these about the child."""
    if not ix.types[i].isdisjoint(types):
        return True
    day = ix.start_day[i]
    if ix.end_day[i] != day:
        return False
    return bool(ix.between(ix.series(types), day, day))


def evaluate_deadline(
    rule: Rule,
    variants: Sequence[Rule],
    i: int,
    ix: Index,
    out: Builder,
    age_gap: str = "",
    responded: bool = False,
    judgement: str = "",
) -> None:
    """One trigger against the first evidence after it.

    ``responded``: the trigger itself records the step (its own events, or an injury's
    referral). ``judgement``: with no evidence, the finding needs multi-agency judgement
    for this reason instead of being cannot-be-determined.
    """
    entries = ix.entries
    trigger = entries[i]
    what = ix.describe(i)
    if age_gap:
        out.add(
            rule, Status.CANNOT_BE_DETERMINED, i, None, f"{what} records a possible injury, but {age_gap}."
        )
        return
    if trigger.date.precision is not Precision.DAY:
        out.add(rule, Status.CANNOT_BE_DETERMINED, i, None, f"{what}: {span_reason(variants, trigger)}.")
        return
    t = trigger.date.start
    amount: int | None = None
    local = False
    if rule.deadline is not None:
        amount, local = ix.amount(rule, rule.deadline)
    regime_note = (
        f"local setting: {deadline_words(rule.deadline, amount)}"
        if local and rule.deadline and amount is not None
        else ("no local setting: agencies judge timeliness" if local else "")
    )
    flags = (LOCAL_SETTING,) if local else ()
    due = ix.due(t, rule.deadline, amount, trigger.time) if rule.deadline and amount is not None else None
    clock = (
        f" The step was due by {due.strftime('%d/%m/%Y')} ({deadline_words(rule.deadline, amount)})."
        if rule.deadline and due and amount is not None and rule.deadline.unit is not Unit.SAME_DAY
        else (
            " The step was due the same day." if rule.deadline and rule.deadline.unit is Unit.SAME_DAY else ""
        )
    )

    # The entry itself may record the step ("referred to children's social care", "strategy meeting held").
    if responded or (
        not ix.types[i].isdisjoint(rule.evidence_types)
        and set(rule.evidence_types).isdisjoint(rule.trigger_types)
    ):
        out.add(
            rule, Status.MET, i, i, f"{what} itself records the response on the day.", due, regime_note, flags
        )
        return

    # Where to look: after the trigger, before the next trigger-like event unless the work was opened.
    window_end: dt.date | None = None
    if rule.window_closers:
        closer = ix.first_starting_after(ix.series(rule.window_closers), ix.end_day[i])
        if closer is not None:
            window_end = ix.start_day[closer]
    earliest = t - dt.timedelta(days=rule.evidence_days_before)
    if rule.window_openers:
        opener = ix.first_ending_on_or_after(ix.series(rule.window_openers), t)
        if opener is not None and (window_end is None or ix.start_day[opener] <= window_end):
            earliest, window_end = max(earliest, ix.start_day[opener]), None
    evidence_series = ix.series(rule.evidence_types)
    evidence = ix.first_ending_on_or_after(evidence_series, earliest, skip=i)
    beyond = ""
    if evidence is not None and window_end is not None and ix.start_day[evidence] > window_end:
        beyond = (
            f" A later {ix.describe(evidence)} comes after the next "
            f"{label(rule.window_closers[0]).lower()} on {window_end.strftime('%d/%m/%Y')}, so it is not "
            "taken to answer this one."
        )
        evidence = None
    if evidence is not None and rule.horizon is not None:
        horizon = ix.due(t, rule.horizon, rule.horizon.amount)
        if ix.start_day[evidence] > horizon:
            beyond = (
                f" A later {ix.describe(evidence)} is more than {rule.horizon.describe()} later, so it "
                "is not taken to answer this one."
            )
            evidence = None

    wanted = evidence_words(rule)
    if evidence is None:
        if judgement:
            message = f"{what}: no {wanted} is recorded.{clock} {judgement}"
            out.add(rule, Status.NEEDS_MULTI_AGENCY_JUDGEMENT, i, None, message, due, regime_note, flags)
        elif rule.absence_is_breach:
            message = f"{what}: no {wanted} is recorded.{clock} {rule.absence_reason}"
            out.add(rule, Status.NOT_MET, i, None, message, due, regime_note, flags)
        else:
            message = (
                f"{what}: no {wanted} is recorded.{clock}{beyond} The record cannot show whether it happened."
            )
            out.add(rule, Status.CANNOT_BE_DETERMINED, i, None, message, due, regime_note, flags)
        return

    found = ix.describe(evidence)
    if rule.deadline is None or amount is None or due is None:
        _judge_without_deadline(rule, i, evidence, ix, out, regime_note, flags)
        return
    verdict = judge(ix, trigger, entries[evidence], rule.deadline, due, rule.evidence_days_before)
    status = verdict.status
    advisory = ""
    if rule.advisory and status is Status.NOT_MET:
        status = Status.NEEDS_MULTI_AGENCY_JUDGEMENT
        advisory = " At the time this was guidance, not a requirement, so agencies should judge its weight."
    message = f"{what}.{clock} The record shows {found}: {verdict.reason}.{advisory}"
    out.add(rule, status, i, evidence, message, due, regime_note, (*flags, *verdict.flags))


def _judge_without_deadline(
    rule: Rule, i: int, evidence: int, ix: Index, out: Builder, regime_note: str, flags: tuple[str, ...]
) -> None:
    entries = ix.entries
    what, found = ix.describe(i), ix.describe(evidence)
    if rule.must_precede:
        before = ix.first_ending_on_or_after(ix.series(rule.must_precede), entries[i].date.start)
        if before is not None and entries[before].date.end < entries[evidence].date.start:
            out.add(
                rule,
                Status.NOT_MET,
                i,
                evidence,
                f"{what}: the outcome, {found}, is recorded after the {ix.describe(before)}.",
                None,
                regime_note,
                flags,
            )
            return
    try:
        elapsed = ix.calendar.working_days_between(entries[i].date.start, entries[evidence].date.start)
        took = f", {elapsed} working days later"
    except OutsideCalendarError:
        took = ""
    out.add(
        rule,
        Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
        i,
        evidence,
        f"{what}: the record shows {found}{took}. There is no national timescale, so agencies should judge "
        "whether this was timely.",
        None,
        regime_note,
        flags,
    )


def evaluate_icpc_family(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    """CJ-05: each conference timed from the strategy discussion that anchors it."""
    entries = ix.entries
    discussions = ix.series(("strategy_discussion",))
    s47_starts = ix.series(("s47_start",))
    conferences = ix.of_types(("icpc",))
    previous_end: dt.date | None = None
    for c in conferences:
        conference = entries[c]
        # Look back to the previous conference, and no further than ICPC_LOOKBACK_MONTHS.
        low = add_months(conference.date.start, -ICPC_LOOKBACK_MONTHS)
        if previous_end is not None:
            low = max(low, previous_end + dt.timedelta(days=1))
        previous_end = conference.date.end
        high = conference.date.end
        in_window = ix.between(discussions, low, high)
        rule = variant(variants, conference.date.start) or variants[0]
        if not in_window:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                c,
                None,
                f"{ix.describe(c)}: no strategy discussion is recorded in the {ICPC_LOOKBACK_MONTHS} months "
                "before it, so the 15 working days cannot be counted.",
            )
            continue
        # WT2013+: the discussion at which s47 enquiries were started; WT2010: the last one.
        starts = ix.between(s47_starts, low, high)
        if starts:
            s47_day = entries[starts[-1]].date.end
            candidates = [d for d in in_window if entries[d].date.end <= s47_day]
            new_anchor = candidates[-1] if candidates else in_window[0]
            basis = "the strategy discussion at which section 47 enquiries were started"
        else:
            new_anchor = in_window[0]
            basis = "the first strategy discussion before it (no section 47 start is recorded)"
        old_anchor = in_window[-1]
        rule = variant(variants, entries[new_anchor].date.start) or variants[0]
        anchor = new_anchor
        if rule.id.endswith("-old"):
            anchor, basis = old_anchor, "the last strategy discussion before it"
        try:
            _judge_anchor(rule, anchor, c, basis, new_anchor, old_anchor, ix, out)
        except OutsideCalendarError as error:
            out.outside_calendar(rule, anchor, error)


def _judge_anchor(
    rule: Rule, anchor: int, conference: int, basis: str, new: int, old: int, ix: Index, out: Builder
) -> None:
    entries = ix.entries
    what = ix.describe(anchor)
    found = ix.describe(conference)
    if entries[anchor].date.precision is not Precision.DAY:
        out.add(
            rule,
            Status.CANNOT_BE_DETERMINED,
            anchor,
            conference,
            f"{found} is timed from {basis}, {what}, but {span_reason((rule,), entries[anchor])}.",
        )
        return
    assert rule.deadline is not None
    amount, local = ix.amount(rule, rule.deadline)
    amount = rule.deadline.amount if amount is None else amount
    due = ix.due(entries[anchor].date.start, rule.deadline, amount)
    verdict = judge(ix, entries[anchor], entries[conference], rule.deadline, due)
    other = ""
    if new != old:
        other_anchor = old if anchor == new else new
        other = (
            f" The other reading of the anchor ({'last discussion' if anchor == new else 'discussion that started section 47'}: "
            f"{ix.describe(other_anchor)}) would give a different clock."
        )
    out.add(
        rule,
        verdict.status,
        anchor,
        conference,
        f"{what} is {basis}; the conference was due by {due.strftime('%d/%m/%Y')} "
        f"({deadline_words(rule.deadline, amount)}). The record shows {found}: {verdict.reason}.{other}",
        due,
        "local setting" if local else "",
        ((LOCAL_SETTING,) if local else ()) + verdict.flags,
    )


def evaluate_chain_family(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    """Reviews and visits: each step due within an interval of the one before."""
    entries = ix.entries
    start_types = tuple(dict.fromkeys(t for rule in variants for t in rule.trigger_types))
    starts: list[int] = []
    for i in ix.of_types(start_types):
        if starts and entries[starts[-1]].date == entries[i].date:
            continue  # a placement and becoming looked after on one day start one clock
        starts.append(i)
    for n, s in enumerate(starts):
        rule = variant(variants, entries[s].date.start) or variant(variants, entries[s].date.end)
        if rule is None:
            continue
        next_start = ix.start_day[starts[n + 1]] if n + 1 < len(starts) else None
        try:
            _run_chain(rule, s, next_start, ix, out)
        except OutsideCalendarError as error:
            out.outside_calendar(rule, s, error)


def _interval(
    rule: Rule, step: int, previous: dt.date, chain_start: dt.date
) -> tuple[Deadline, Deadline | None]:
    """The interval due after step ``step`` (0 = the start event) and an upper bound agencies may judge."""
    cadence = rule.cadence
    assert cadence is not None
    if step == 0 and rule.deadline is not None:
        return rule.deadline, None
    if step == 1 and cadence.second is not None:
        return cadence.second, None
    if cadence.after_first_year is not None and previous >= add_months(chain_start, 12):
        return cadence.after_first_year, cadence.after_first_year_upper
    return cadence.then, None


def _run_chain(rule: Rule, s: int, next_start: dt.date | None, ix: Index, out: Builder) -> None:
    entries = ix.entries
    chain_start = entries[s].date.start
    steps = ix.series(rule.evidence_types)
    end_event: int | None = None
    if rule.chain_end_types:
        end_event = ix.first_ending_on_or_after(ix.series(rule.chain_end_types), chain_start)
    stop_candidates = [
        d for d in (next_start, ix.start_day[end_event] if end_event is not None else None, ix.died_on) if d
    ]
    stop = min(stop_candidates) if stop_candidates else None  # the clock stops here
    stop_words = (
        "the next start"
        if stop is not None and stop == next_start
        else (
            "the child's death"
            if stop is not None and stop == ix.died_on
            else (ix.describe(end_event) if end_event is not None else "")
        )
    )

    def next_step(after: dt.date, inclusive: bool) -> int | None:
        found = ix.first_ending_on_or_after(steps, after, start_after=None if inclusive else after)
        if found is None:
            return None
        if stop is not None and (
            ix.start_day[found] > stop or (stop == next_start and ix.start_day[found] >= stop)
        ):
            return None
        return found

    previous, step = s, 0
    if rule.cadence and rule.cadence.first_step_checked_by:
        first = next_step(chain_start, True)
        if first is None:
            return
        previous, step = first, 1
    while True:
        prev_entry = entries[previous]
        nxt = next_step(prev_entry.date.end, step == 0)
        if prev_entry.date.precision is not Precision.DAY:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                previous,
                nxt,
                f"{ix.describe(previous)}: it is dated only {prev_entry.date.display()}, so the next "
                f"{label(rule.evidence_types[0]).lower()} cannot be timed from it.",
            )
            if nxt is None:
                return
            previous, step = nxt, step + 1
            continue
        interval, upper = _interval(rule, step, prev_entry.date.start, chain_start)
        amount, local = ix.amount(rule, interval)
        flags = (LOCAL_SETTING,) if local else ()
        if amount is None:
            if nxt is None:
                return
            _judge_without_deadline(rule, previous, nxt, ix, out, "no local setting: agencies judge", flags)
            previous, step = nxt, step + 1
            continue
        due = ix.due(prev_entry.date.start, interval, amount)
        what = ix.describe(previous)
        wanted = label(rule.evidence_types[0]).lower()
        clock = (
            f"the next {wanted} was due by {due.strftime('%d/%m/%Y')} ({deadline_words(interval, amount)})"
        )
        note = f"local setting: {deadline_words(interval, amount)}" if local else ""
        if nxt is None:
            closing = stop if stop is not None else ix.last_day
            if closing is None or closing <= ix.add_working_days(due, 1):
                return  # the clock stopped, or the record ends, before the step fell due
            until = f"up to {stop_words}" if stop is not None else "to the end of the record"
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                previous,
                None,
                f"{what}: {clock}. No {wanted} is recorded {until}, so the record cannot show it happened.",
                due,
                note,
                flags,
                interval,
            )
            return
        verdict = judge(ix, prev_entry, entries[nxt], interval, due)
        status = verdict.status
        extra = ""
        if status is Status.NOT_MET and upper is not None:
            upper_due = ix.due(prev_entry.date.start, upper, upper.amount)
            if entries[nxt].date.start <= ix.add_working_days(upper_due, 1):
                status = Status.NEEDS_MULTI_AGENCY_JUDGEMENT
                extra = (
                    f" After the first year of a placement meant to last until 18 the limit is "
                    f"{upper.describe()}; whether that applied is for agencies to judge."
                )
        out.add(
            rule,
            status,
            previous,
            nxt,
            f"{what}: {clock}. The record shows {ix.describe(nxt)}: {verdict.reason}.{extra}",
            due,
            note,
            (*flags, *verdict.flags),
            interval,
        )
        previous, step = nxt, step + 1


def _same_day_groups(ix: Index, event_type: str) -> list[list[int]]:
    """Entries of one type grouped by recorded date: several agencies may record one discussion."""
    groups: dict[str, list[int]] = {}
    for i in ix.of_types((event_type,)):
        if not ix.starts_nothing(i):
            groups.setdefault(ix.entries[i].date.isoformat(), []).append(i)
    return list(groups.values())


def evaluate_attendance_family(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    """Who took part: the agencies that recorded the discussion, and any attendee list given as a field."""
    entries = ix.entries
    for group in _same_day_groups(ix, "strategy_discussion"):
        first = group[0]
        rule = variant(variants, entries[first].date.start)
        if rule is None:
            continue
        parties: set[str] = set()
        listed = False
        for i in group:
            entry = entries[i]
            attendees = entry.extra.get("attendees", "") or entry.extra.get("participants", "")
            listed = listed or bool(attendees)
            kinds = {ix.agency_type(i)} | {guess_agency_type(name) for name in _names(attendees)}
            parties.update(PARTIES[kind] for kind in kinds if kind in PARTIES)
        present = [p for p in rule.required_parties if p in parties]
        missing = [p for p in rule.required_parties if p not in parties]
        records = ", ".join(entries[i].reference() for i in group)
        shown = ", ".join(present) if present else "no agency"
        if not missing:
            out.add(rule, Status.MET, first, first, f"Strategy discussion ({records}) involved {shown}.")
        elif listed:
            out.add(
                rule,
                Status.NOT_MET,
                first,
                first,
                f"Strategy discussion ({records}): the recorded attendance shows {shown} but not "
                f"{', '.join(missing)}.",
            )
        else:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                first,
                None,
                f"Strategy discussion ({records}): the record shows {shown} but does not list who took part, "
                f"so whether {', '.join(missing)} took part cannot be shown.",
            )


# The party each kind of agency stands for at a strategy discussion.
PARTIES: dict[str, str] = {
    "childrens_social_care": "social care",
    "police": "police",
    "health_trust": "health",
    "gp_practice": "health",
    "icb": "health",
    "ambulance": "health",
}


def _names(attendees: str) -> list[str]:
    return [name.strip() for name in attendees.replace(";", ",").split(",") if name.strip()]


def evaluate_medical_family(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    entries = ix.entries
    injuries = ix.series(("injury_observed",))
    medicals = ix.series(("medical",))
    for group in _same_day_groups(ix, "strategy_discussion"):
        first = group[0]
        day = entries[first].date
        rule = variant(variants, day.start)
        if rule is None:
            continue
        lookback = day.start - dt.timedelta(days=INJURY_LOOKBACK_DAYS)
        about_injury = any("injury_observed" in ix.types[i] for i in group) or bool(
            ix.between(injuries, lookback, day.end)
        )
        if not about_injury:
            continue
        what = ix.describe(first)
        # A medical held, planned or decided against at the discussion: each records the decision.
        decided = next(
            (
                i
                for i in group
                if "medical" in ix.types[i] or "medical" in ix.planned[i] or "medical" in ix.negated[i]
            ),
            None,
        )
        if decided is not None:
            out.add(rule, Status.MET, first, decided, f"{what} records the decision on a medical.")
            continue
        if day.precision is not Precision.DAY:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                first,
                None,
                f"{what}: {span_reason(variants, entries[first])}.",
            )
            continue
        medical = ix.first_ending_on_or_after(
            medicals, day.start - dt.timedelta(days=rule.evidence_days_before)
        )
        if medical is None:
            out.add(
                rule,
                Status.CANNOT_BE_DETERMINED,
                first,
                None,
                f"{what} concerned an injury; no decision on a medical and no medical is recorded.",
            )
            continue
        verdict = judge_same_day(entries[first], entries[medical], day.start - dt.timedelta(days=2))
        found = ix.describe(medical)
        if verdict.status is Status.MET:
            out.add(
                rule, Status.MET, first, medical, f"{what} concerned an injury; the record shows {found}."
            )
        else:
            out.add(
                rule,
                Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
                first,
                medical,
                f"{what} concerned an injury; the record does not show the medical decision, and {found} is "
                f"{verdict.reason}. The local expectation is the same day if at all possible.",
                flags=verdict.flags,
            )
