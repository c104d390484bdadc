"""Patterns that reviews find again and again (PAT-*), read from events.

- PAT-01: referrals closed without assessment, again and again: two or more
  within twelve months, named together.
- PAT-02: a referral suggesting harm closed without the child seen by a social worker.
- PAT-03: the case closed, or the child placed, while a carer is on bail or under
  investigation for harming the child, with no strategy discussion deciding it.
- PAT-04: a police attendance that children's social care has no record of
  receiving within the partnership's setting (default 3 working days).

Each is a prompt for people: the status is needs multi-agency judgement unless the
record itself says the step was not taken.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from chronicle.core.calendar import OutsideCalendarError, add_months
from chronicle.core.compliance.findings import Status
from chronicle.core.compliance.index import Builder, Index
from chronicle.core.compliance.rules import HARM_TYPES, Rule

SOCIAL_CARE = "childrens_social_care"
POLICE = "police"
ARREST_AFTER_HARM_DAYS = 3  # an arrest this soon after an injury or allegation is taken to be about it
DECISION_BEFORE_MONTHS = 1  # a strategy discussion this recent can have decided the closure or move


def _referrals(ix: Index) -> list[list[int]]:
    """Referrals about the child, those recorded on one day by several agencies taken together."""
    days: dict[dt.date, list[int]] = {}
    for i in ix.of_types(("referral",)):
        if not ix.starts_nothing(i) and ix.entries[i].date.is_exact:
            days.setdefault(ix.start_day[i], []).append(i)
    return [days[day] for day in sorted(days)]


def _closure(ix: Index, group: list[int], until: dt.date | None) -> int | None:
    """The first case closure on or after the referral and before ``until`` (the next referral)."""
    for i in group:
        if "case_closed" in ix.types[i]:
            return i
    day = ix.start_day[group[0]]
    found = ix.first_ending_on_or_after(ix.series(("case_closed",)), day)
    if found is None or ix.starts_nothing(found):
        return None
    if until is not None and ix.start_day[found] >= until:
        return None
    return found


def _any_between(ix: Index, types: tuple[str, ...], low: dt.date, high: dt.date, also: Sequence[int]) -> bool:
    if any(not ix.types[i].isdisjoint(types) for i in also):
        return True
    return bool(ix.between(ix.series(types), low, high))


def evaluate_repeat_referrals(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    rule = variants[0]
    assert rule.horizon is not None
    referrals = _referrals(ix)
    closed: list[tuple[list[int], int]] = []  # referral group and its closure, with no assessment between
    for n, group in enumerate(referrals):
        until = ix.start_day[referrals[n + 1][0]] if n + 1 < len(referrals) else None
        closure = _closure(ix, group, until)
        if closure is None:
            continue
        if _any_between(
            ix, rule.evidence_types, ix.start_day[group[0]], ix.start_day[closure], [*group, closure]
        ):
            continue
        closed.append((group, closure))
    run: list[tuple[list[int], int]] = []

    def flush() -> None:
        if len(run) < max(rule.repeat, 2):
            return
        named = [i for group, closure in run for i in (*group, closure)]
        first, last = ix.start_day[run[0][0][0]], ix.start_day[run[-1][0][0]]
        out.add(
            rule,
            Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
            run[1][0][0],
            None,
            f"{len(run)} referrals between {first.strftime('%d/%m/%Y')} and {last.strftime('%d/%m/%Y')} were "
            f"closed with no assessment, strategy discussion or section 47 enquiry recorded: "
            f"{'; '.join(ix.describe(group[0]) for group, _ in run)}. Whether the history called for an "
            "assessment is for agencies to judge.",
            related=named,
        )

    for item in closed:
        if run:
            previous = ix.start_day[run[-1][0][0]]
            if ix.start_day[item[0][0]] > add_months(previous, rule.horizon.amount):
                flush()
                run = []
        run.append(item)
    flush()


def evaluate_closed_unseen(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    rule = variants[0]
    referrals = _referrals(ix)
    for n, group in enumerate(referrals):
        harm = [i for i in group if not ix.types[i].isdisjoint(rule.trigger_with)]
        day = ix.start_day[group[0]]
        if not harm and not ix.between(ix.series(rule.trigger_with), day, day):
            continue
        until = ix.start_day[referrals[n + 1][0]] if n + 1 < len(referrals) else None
        closure = _closure(ix, group, until)
        if closure is None:
            continue
        end = ix.start_day[closure]
        named = [*group, closure]
        seen = any(ix.entries[i].child_seen for i in ix.between(ix.series(("visit",)), day, end))
        if seen or _any_between(ix, rule.evidence_types, day, end, named):
            out.add(
                rule,
                Status.MET,
                group[0],
                closure,
                f"{ix.describe(group[0])}: the child was seen before closure.",
            )
            continue
        said_not = "visit" in ix.negated[closure] or bool(ix.between(ix.series(("no_access",)), day, end))
        status = Status.NOT_MET if said_not else Status.NEEDS_MULTI_AGENCY_JUDGEMENT
        out.add(
            rule,
            status,
            group[0],
            closure,
            f"{ix.describe(group[0])} suggested harm to the child; {ix.describe(closure)} closed the case with no "
            "visit by a social worker, section 47 enquiry or medical recorded in between"
            + (", and the record says the child was not seen." if said_not else "."),
            related=named,
        )


def evaluate_returned_to_suspect(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    """Closures and placements while a carer arrested for harming the child may still be on bail."""
    rule = variants[0]
    assert rule.horizon is not None
    harm = ix.series(HARM_TYPES)
    arrests: list[int] = []
    for i in ix.of_types(("arrest",)):
        if ix.starts_nothing(i) or not ix.entries[i].date.is_exact:
            continue
        day = ix.start_day[i]
        if not ix.types[i].isdisjoint(HARM_TYPES) or ix.between(
            harm, day - dt.timedelta(days=ARREST_AFTER_HARM_DAYS), day
        ):
            arrests.append(i)
    arrests += [i for i in range(len(ix.entries)) if "arrest" in ix.others[i] and not ix.starts_nothing(i)]
    if not arrests:
        return
    arrests = sorted(set(arrests), key=ix.start_day.__getitem__)
    arrest_days = [ix.start_day[a].toordinal() for a in arrests]
    police_closed = sorted(
        ix.start_day[i].toordinal() for i in ix.of_types(("case_closed",)) if ix.agency_type(i) == POLICE
    )
    discussions = ix.series(("strategy_discussion",))
    for i in ix.of_types(("case_closed", "placement_start")):
        if ix.starts_nothing(i):
            continue
        if "case_closed" in ix.types[i] and ix.agency_type(i) != SOCIAL_CARE:
            continue
        day = ix.start_day[i]
        # The latest arrest before the day, within the horizon and with no police closure since.
        position = bisect_left(arrest_days, day.toordinal()) - 1
        if position < 0:
            continue
        arrest = arrests[position]
        arrested = ix.start_day[arrest]
        if day > add_months(arrested, rule.horizon.amount):
            continue
        closed = bisect_right(police_closed, arrested.toordinal())
        if closed < len(police_closed) and police_closed[closed] <= day.toordinal():
            continue
        since = max(add_months(day, -DECISION_BEFORE_MONTHS), arrested + dt.timedelta(days=1))
        if ix.between(discussions, since, day):
            continue
        out.add(
            rule,
            Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
            i,
            None,
            f"{ix.describe(i)} came while a carer arrested or investigated for harming the child "
            f"({ix.describe(arrest)}) may still have been on bail or under investigation, and no "
            "strategy discussion is recorded deciding it.",
            related=[arrest],
        )


def evaluate_information_not_shared(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    rule = variants[0]
    assert rule.deadline is not None
    if not any(ix.agency_type(i) == SOCIAL_CARE for i in range(len(ix.entries))):
        return  # without children's social care's own record, receipt cannot be looked for
    attendance = set(rule.trigger_types)
    shared = set(rule.evidence_types)
    received = [
        i
        for i in ix.of_types((*rule.evidence_types, "contact"))
        if ix.agency_type(i) == SOCIAL_CARE and not ix.is_context[i]
    ]
    received.sort(key=ix.start_day.__getitem__)
    received_days = [ix.start_day[i].toordinal() for i in received]
    for i in range(len(ix.entries)):
        if ix.agency_type(i) != POLICE or ix.starts_nothing(i) or not ix.entries[i].date.is_exact:
            continue
        said_not = not shared.isdisjoint(ix.negated[i])
        attended = not attendance.isdisjoint(ix.types[i] | ix.others[i])
        if not (attended or said_not):
            continue
        day = ix.start_day[i]
        try:
            amount, _local = ix.amount(rule, rule.deadline)
            due = ix.due(day, rule.deadline, amount if amount is not None else rule.deadline.amount)
        except OutsideCalendarError as error:
            out.outside_calendar(rule, i, error)
            continue
        position = bisect_left(received_days, day.toordinal())
        got = (
            received[position]
            if position < len(received) and received_days[position] <= due.toordinal()
            else None
        )
        what = ix.describe(i)
        if got is not None and not said_not:
            out.add(
                rule, Status.MET, i, got, f"{what}: children's social care recorded {ix.describe(got)}.", due
            )
            continue
        if said_not:
            out.add(
                rule,
                Status.NOT_MET,
                i,
                got,
                f"{what}: the police record says no notification or referral was made to children's social care.",
                due,
            )
        else:
            out.add(
                rule,
                Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
                i,
                None,
                f"{what}: children's social care's record shows no notification received by "
                f"{due.strftime('%d/%m/%Y')}. Whether the child was present and the information was shared is "
                "for agencies to judge.",
                due,
            )
