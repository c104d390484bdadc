"""Injuries to the child (SH-INJ-*): what each one called for, and injuries seen together.

An injury is an ``injury_observed`` event the entry asserts about the child, with
the kinds, sites, account and referral its words give. Injuries recorded at a
birth (birth marks, birth trauma), in context rows, in a death entry or after the
child's death start nothing.

- SH-INJ-NIM: a baby younger than the partnership's non-mobile age: a referral,
  strategy discussion or medical the same day.
- SH-INJ-SERIOUS: a head injury, a fracture under one, a burn or scald with an
  admission: the same.
- SH-INJ-PLAN: any injury while the child is on a child protection plan or under
  section 47 enquiries: a strategy discussion.
- SH-INJ-ANY: any other injury seen by a professional: a referral, strategy
  discussion or medical; not met where the record says no referral was made or an
  account was accepted without a medical for a child under one, otherwise for
  multi-agency judgement.
- SH-INJ-REPEAT: two or more injuries within six months, named together.
- SH-INJ-EXAM: a medical after an injury that records the full examination was not done.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Sequence

from chronicle.core.calendar import OutsideCalendarError, add_months
from chronicle.core.compliance.findings import Status
from chronicle.core.compliance.index import Builder, Index, InjuryRead, Series
from chronicle.core.compliance.rules import INJURY_RESPONSE_TYPES, Rule
from chronicle.core.compliance.timescales import evaluate_deadline

SERIOUS_AT_ANY_AGE = frozenset({"head_injury"})
SERIOUS_WITH_ADMISSION = frozenset({"burn", "scald"})
INJURY_EPISODE_DAYS = 7  # injuries recorded within a week of the first are taken as one episode
S47_OPEN_MONTHS = 3
MAX_LISTED = 10  # injuries named in a repeat finding's message (all are in its entries)  # section 47 enquiries with no outcome recorded are taken as open this long


def injury_triggers(ix: Index) -> list[int]:
    """Entries recording an injury to the child that can start a clock, in date order."""
    return [
        i
        for i in ix.of_types(("injury_observed",))
        if i in ix.injuries and not ix.starts_nothing(i) and "birth" not in ix.types[i]
    ]


def _is_serious(ix: Index, i: int, injury: InjuryRead) -> bool:
    if injury.kinds & SERIOUS_AT_ANY_AGE:
        return True
    if injury.kinds & SERIOUS_WITH_ADMISSION and "hospital_admission" in ix.types[i]:
        return True
    age = ix.age_in_months(i)
    return "fracture" in injury.kinds and age is not None and age < 12


def _last_before(ix: Index, series: Series, day: dt.date) -> int | None:
    """The entry of the series that ends last before ``day`` (a binary search)."""
    position = bisect_left(series.ends, day.toordinal()) - 1
    return series.indexes[position] if position >= 0 else None


def _under_protection(ix: Index, i: int) -> bool:
    """Whether the child was on a child protection plan, or under section 47 enquiries, on the day of ``i``."""
    day = ix.start_day[i]
    started = _last_before(ix, ix.series(("cp_plan_start",)), day)
    if started is not None:
        ended = ix.first_ending_on_or_after(ix.series(("cp_plan_end",)), ix.start_day[started])
        if ended is None or ix.start_day[ended] > day:
            return True
    started = _last_before(ix, ix.series(("s47_start",)), day)
    if started is not None and ix.start_day[started] >= add_months(day, -S47_OPEN_MONTHS):
        closed = ix.first_ending_on_or_after(ix.series(("s47_outcome", "case_closed")), ix.start_day[started])
        if closed is None or ix.start_day[closed] > day:
            return True
    return False


def _grade(ix: Index, i: int, non_mobile_months: int) -> str:
    """The injury rule that applies to entry ``i``: exactly one does."""
    injury = ix.injuries[i]
    age = ix.age_in_months(i)
    if _is_serious(ix, i, injury):
        return "serious"
    if age is not None and age < non_mobile_months:
        return "non_mobile"
    if _under_protection(ix, i):
        return "on_plan"
    if age is None:
        return "non_mobile"  # the age cannot be checked: SH-INJ-NIM says so
    return "any"


def _grades(ix: Index) -> dict[int, str]:
    """Each injury's rule, worked out once for the four injury families."""
    grades = ix.memo.get("injury grades")
    if grades is None:
        grades = ix.memo["injury grades"] = {
            i: _grade(ix, i, ix.context.non_mobile_age_months) for i in injury_triggers(ix)
        }
    assert isinstance(grades, dict)
    return grades


def evaluate_injury_family(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    rule = variants[0]
    grades = _grades(ix)
    episode: dt.date | None = None  # SH-INJ-PLAN: one strategy discussion per injury, however many record it
    for i, grade in grades.items():
        if grade != rule.injury:
            continue
        if grade == "on_plan":
            if episode is not None and (ix.start_day[i] - episode).days <= INJURY_EPISODE_DAYS:
                continue
            episode = ix.start_day[i]
        injury = ix.injuries[i]
        responded = injury.referral_made and not injury.referral_not_made
        try:
            if grade == "any":
                _evaluate_any(rule, i, ix, out, responded)
            elif grade == "non_mobile" and ix.born_on is None:
                what = ix.describe(i)
                out.add(
                    rule,
                    Status.CANNOT_BE_DETERMINED,
                    i,
                    None,
                    f"{what} records an injury, but the child's date of birth is not in the context or the "
                    "record, so whether the child was mobile cannot be checked.",
                )
            else:
                evaluate_deadline(rule, variants, i, ix, out, responded=responded, judgement="")
        except OutsideCalendarError as error:
            out.outside_calendar(rule, i, error)


def _evaluate_any(rule: Rule, i: int, ix: Index, out: Builder, responded: bool) -> None:
    what = ix.describe(i)
    day = ix.start_day[i]
    assert rule.deadline is not None
    due = ix.due(day, rule.deadline, rule.deadline.amount)
    if responded or not ix.types[i].isdisjoint(INJURY_RESPONSE_TYPES):
        out.add(rule, Status.MET, i, i, f"{what} itself records a referral or medical.", due)
        return
    found = ix.between(
        ix.series(rule.evidence_types), day - dt.timedelta(days=rule.evidence_days_before), due
    )
    if found:
        out.add(rule, Status.MET, i, found[0], f"{what}: the record shows {ix.describe(found[0])}.", due)
        return
    injury = ix.injuries[i]
    age = ix.age_in_months(i)
    none = f"no referral, strategy discussion or medical is recorded by {due.strftime('%d/%m/%Y')}"
    if injury.referral_not_made:
        out.add(
            rule,
            Status.NOT_MET,
            i,
            None,
            f"{what}: the record itself says no referral was made, and {none}.",
            due,
        )
    elif injury.explained and age is not None and age < 12:
        out.add(
            rule,
            Status.NOT_MET,
            i,
            None,
            f"{what}: an explanation was accepted for a child under one with no medical; {none}.",
            due,
        )
    else:
        out.add(
            rule,
            Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
            i,
            None,
            f"{what}: {none}. Whether the injury called for one is for agencies to judge.",
            due,
        )


def evaluate_repeat_injury_family(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    """Two or more injuries on different days within the horizon: one finding naming them all."""
    rule = variants[0]
    horizon = rule.horizon
    assert horizon is not None
    group: list[int] = []

    def flush() -> None:
        # One injury seen on several days (the nursery, then the GP) is one episode.
        episodes: list[int] = []  # the first entry of each
        for i in group:
            if not episodes or (ix.start_day[i] - ix.start_day[episodes[-1]]).days > INJURY_EPISODE_DAYS:
                episodes.append(i)
        days = [ix.start_day[i] for i in episodes]
        if len(episodes) >= max(rule.repeat, 2):
            second = episodes[1]
            listed = "; ".join(ix.describe(i) for i in episodes[:MAX_LISTED]) + (
                f"; and {len(episodes) - MAX_LISTED} more" if len(episodes) > MAX_LISTED else ""
            )
            out.add(
                rule,
                Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
                second,
                None,
                f"{len(days)} separate injuries to the child are recorded between {days[0].strftime('%d/%m/%Y')} and "
                f"{days[-1].strftime('%d/%m/%Y')}, each within {horizon.describe()} of the one before: "
                f"{listed}. Whether any agency saw them together is for agencies to judge.",
                related=group,
            )

    for i in injury_triggers(ix):
        if group and ix.start_day[i] > ix.due(ix.start_day[group[-1]], horizon, horizon.amount):
            flush()
            group = []
        group.append(i)
    if group:
        flush()


def evaluate_examination_family(variants: Sequence[Rule], ix: Index, out: Builder) -> None:
    """A medical within the horizon of an injury whose record says the full examination was not done."""
    rule = variants[0]
    assert rule.horizon is not None
    injuries = injury_triggers(ix)
    if not injuries:
        return
    injury_series = ix.series(("injury_observed",))
    for i in ix.of_types(("medical",)):
        if ix.starts_nothing(i) or "medical" not in ix.negated[i]:
            continue
        day = ix.start_day[i]
        earlier = [
            j
            for j in ix.between(injury_series, add_months(day, -rule.horizon.amount), day)
            if j in ix.injuries
        ]
        if not earlier:
            continue
        out.add(
            rule,
            Status.NEEDS_MULTI_AGENCY_JUDGEMENT,
            i,
            None,
            f"{ix.describe(i)} after {ix.describe(earlier[-1])}: the record says part of the examination was "
            "not done, and no later full examination is recorded in the same record.",
            related=[earlier[-1]],
        )
