"""`chronicle screen FILE.json`: screen a serious incident and print the result as JSON.

The file holds one JSON object (dates as YYYY-MM-DD):

    {"occurred_on": "2012-05-31", "aware_on": "2012-06-01", "child_born_on": "2012-02-20",
     "looked_after": false, "care_leaver": false, "outcome": "seriously_harmed",
     "harm": "Baby shaken; subdural haemorrhage", "abuse_or_neglect": "suspected",
     "in_england": true, "concern_about_working_together": null}

Optional keys: child_born_on, harm_categories (list of codes), in_regulated_setting
(boolean or null), rapid_review_start ("awareness" or "notification"), notified_on
and decided_on (dates; decided_on defaults to today). Give "-" to read standard input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chronicle.core.calendar import FIRST_DAY, LAST_DAY
from chronicle.core.harm import HARM_CATEGORIES_BY_CODE, AbuseOrNeglect, Outcome
from chronicle.core.screening import RapidReviewStart, ScreeningInput, regime_for, screen, to_json_dict

HELP = "screen a serious incident (JSON file) against the statutory criteria of its regime"


class InputError(ValueError):
    """Bad input; the message names the key at fault."""


def _date(key: str, value: Any) -> dt.date:
    if not isinstance(value, str):
        raise InputError(f"{key}: expected a date as a string YYYY-MM-DD, got {json.dumps(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{key}: {value!r} is not a date in the form YYYY-MM-DD") from None


def _optional_date(key: str, value: Any) -> dt.date | None:
    return None if value is None else _date(key, value)


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{key}: expected true or false, got {json.dumps(value)}")
    return value


def _optional_bool(key: str, value: Any) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise InputError(f"{key}: expected true, false or null, got {json.dumps(value)}")
    return value


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InputError(f"{key}: expected text, got {json.dumps(value)}")
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[str, Any], str]:
    def parse(key: str, value: Any) -> str:
        if value not in choices:
            raise InputError(f"{key}: {json.dumps(value)} is not one of {', '.join(choices)}")
        return str(value)

    return parse


def _codes(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(f"{key}: expected a list of harm category codes, got {json.dumps(value)}")
    for code in value:
        if code not in HARM_CATEGORIES_BY_CODE:
            raise InputError(
                f"{key}: unknown harm category {code!r}; use one of: {', '.join(HARM_CATEGORIES_BY_CODE)}"
            )
    return tuple(value)


REQUIRED: dict[str, Callable[[str, Any], Any]] = {
    "occurred_on": _date,
    "aware_on": _date,
    "looked_after": _bool,
    "care_leaver": _bool,
    "outcome": _choice(tuple(item.value for item in Outcome)),
    "harm": _text,
    "abuse_or_neglect": _choice(tuple(item.value for item in AbuseOrNeglect)),
    "in_england": _bool,
    "concern_about_working_together": _optional_bool,
}
OPTIONAL: dict[str, Callable[[str, Any], Any]] = {
    "child_born_on": _optional_date,
    "harm_categories": _codes,
    "in_regulated_setting": _optional_bool,
    "rapid_review_start": _choice(tuple(item.value for item in RapidReviewStart)),
    "notified_on": _optional_date,
    "decided_on": _optional_date,
}
_SCREEN_OPTIONS = ("rapid_review_start", "notified_on", "decided_on")


def parse_input(data: Any) -> tuple[ScreeningInput, dict[str, Any]]:
    """The screening input and the options for ``screen`` from a decoded JSON object."""
    if not isinstance(data, dict):
        raise InputError("the file must hold one JSON object {...}")
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise InputError(f"{unknown[0]}: unknown key; known keys are {', '.join([*REQUIRED, *OPTIONAL])}")
    values: dict[str, Any] = {}
    for key, parse in REQUIRED.items():
        if key not in data:
            raise InputError(f"{key}: missing (required)")
        values[key] = parse(key, data[key])
    for key, parse in OPTIONAL.items():
        if key in data:
            values[key] = parse(key, data[key])
    options = {key: values.pop(key) for key in _SCREEN_OPTIONS if key in values}
    try:
        regime_for(values["occurred_on"])
    except ValueError as error:
        raise InputError(f"occurred_on: {error}") from None
    for key in ("aware_on", "notified_on"):
        day = values.get(key, options.get(key))
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise InputError(
                f"{key}: {day.isoformat()} is outside the working-day calendar "
                f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
            )
    try:
        return ScreeningInput(**values), options
    except ValueError as error:  # the message already starts with the key at fault
        raise InputError(str(error)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE.json", help="the incident as a JSON object ('-' for standard input)"
    )


def _read(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{path} is not valid JSON: {error}") from None


def run(args: argparse.Namespace) -> int:
    try:
        facts, options = parse_input(_read(args.file))
        result = screen(facts, **options)
    except ValueError as error:
        print(f"chronicle screen: error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(to_json_dict(result), indent=2, ensure_ascii=False))
    return 0
