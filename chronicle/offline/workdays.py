"""`chronicle workdays`: working-day deadlines and counts in England (rulebook WD-01 to WD-06).

chronicle workdays add 2012-05-31 5            -> 2012-06-11
chronicle workdays between 2012-05-31 2012-06-11 -> 5
chronicle workdays add 2024-12-23 3 --closure 2024-12-27 --closure 2024-12-30
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from chronicle.core.calendar import FIRST_DAY, LAST_DAY, WorkingCalendar

HELP = "working-day deadlines and counts (England and Wales bank holidays, WD-06 counting)"


def iso_date(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date inside the calendar's range."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{text} is outside the working-day calendar ({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
        )
    return day


def non_negative_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative; give 0 or more working days")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--closure",
        action="append",
        type=iso_date,
        default=[],
        metavar="YYYY-MM-DD",
        help="a partnership closure day that is not a working day (repeat for more days)",
    )
    commands = parser.add_subparsers(dest="action", required=True, metavar="{add,between}")
    add = commands.add_parser(
        "add",
        parents=[common],
        help="print the date N working days after START (START is day 0)",
        description="Print the N-th working day after START. START is day 0; if it is not a "
        "working day, the next working day is day 1.",
    )
    add.add_argument("start", type=iso_date, metavar="START", help="trigger date, YYYY-MM-DD")
    add.add_argument("n", type=non_negative_int, metavar="N", help="number of working days")
    between = commands.add_parser(
        "between",
        parents=[common],
        help="print the number of working days after A up to and including B",
        description="Print the number of working days after A up to and including B "
        "(negative if B is before A).",
    )
    between.add_argument("a", type=iso_date, metavar="A", help="first date, YYYY-MM-DD")
    between.add_argument("b", type=iso_date, metavar="B", help="second date, YYYY-MM-DD")


def run(args: argparse.Namespace) -> int:
    calendar = WorkingCalendar(closures=args.closure)
    try:
        if args.action == "add":
            print(calendar.add_working_days(args.start, args.n).isoformat())
        else:
            print(calendar.working_days_between(args.a, args.b))
    except ValueError as error:
        print(f"chronicle workdays {args.action}: error: {error}", file=sys.stderr)
        return 2
    return 0
