"""Reading dates and times out of agency spreadsheets, UK style (design §4, rulebook CQ-01, CQ-D).

Agencies write dates day-first ("22/05/2016", "22-may-16", "22 May 2016"), sometimes
only to the month ("May 2016") or the year ("2016"), mark uncertain ones with a
leading "?" (Chronolator's convention, CQ-D), and Excel hands some over as real
dates or as serial numbers. Day and month are never swapped silently: a date that
only makes sense month-first is an error for a person to correct, not a guess.

Parsing a cell either gives a ``PartialDate`` or raises ``DateError`` with a
message a person can act on. Warnings (two-digit years, "approx" written in the
date) travel with the result of ``parse_date_detail``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from chronicle.core.dates import MONTH_NAMES, PartialDate, Precision

# Dates outside this window are almost always typing errors ("22/05/2106").
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

# Two-digit years: up to the pivot means 20yy, above it 19yy (Excel's own rule
# for typed dates is the same shape, with 29 as its pivot).
TWO_DIGIT_YEAR_PIVOT = (dt.date.today().year + 1) % 100

# Excel counts days from 30 December 1899 (its 1900 leap-year bug makes the
# 1899-12-31 base wrong for every date after February 1900).
EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_EPOCH_ORDINAL = EXCEL_EPOCH.toordinal()
_FIRST_SERIAL = dt.date(EARLIEST_YEAR, 1, 1).toordinal() - _EXCEL_EPOCH_ORDINAL
_LAST_SERIAL = dt.date(LATEST_YEAR, 12, 31).toordinal() - _EXCEL_EPOCH_ORDINAL

DATE_EXAMPLES = "22/05/2016, 22 May 2016, 2016-05-22, May 2016, 2016 or ?22/05/2016"


class DateError(ValueError):
    """A date, time or date precision that cannot be read; the message says why."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True)
class PrecisionHint:
    """What a separate date-precision column says: a coarser precision and/or uncertainty."""

    precision: Precision | None = None
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date read from a cell, any time of day found in the same cell, and warnings."""

    date: PartialDate
    time: dt.time | None = None
    warnings: tuple[str, ...] = ()


# --- month names -----------------------------------------------------------------

_MONTH_WORDS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _lower = _name.lower()
    for _length in range(3, len(_lower) + 1):
        _MONTH_WORDS[_lower[:_length]] = _number
_MONTH_WORDS["sept"] = 9

_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+")
_APPROX_PREFIX = re.compile(
    r"^(?:approx(?:imately)?\.?|c\.|ca\.|circa|about|around|est(?:imated)?\.?)\s*", re.IGNORECASE
)
_PART_OF_MONTH = re.compile(r"^(?:early|mid|late|end(?: of)?|beginning(?: of)?)[\s\-]+", re.IGNORECASE)
_TRAILING_TIME = re.compile(
    r"^(.*?\d)(?:\s+|t)(\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?)$"
)

_ISO_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_UK_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_UK_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_NO_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([a-z]{3,9})\.?[\s\-/.,]*(\d{4}|\d{2})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]{3,9})\.?[\s\-/.,']*(\d{4}|\d{2})$")
_WHITESPACE = re.compile(r"\s+")


def _month_from_word(word: str, written: str) -> int:
    month = _MONTH_WORDS.get(word)
    if month is None:
        raise DateError(f"'{written}' is not a date: '{word}' is not a month name")
    return month


def _full_year(digits: str, warnings: list[str]) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year <= TWO_DIGIT_YEAR_PIVOT else 1900
        warnings.append(f"two-digit year '{digits}' read as {year}; write the year in full to be sure")
    return year


def _check_year(year: int, written: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateError(
            f"'{written}' has the year {year}, outside {EARLIEST_YEAR}–{LATEST_YEAR}; check for a typing error"
        )


def _day_date(year: int, month: int, day: int, written: str, uncertain: bool) -> PartialDate:
    _check_year(year, written)
    if month > 12:
        if day <= 12:
            raise DateError(
                f"'{written}' looks month-first (US style); write dates day-first, e.g. "
                f"{month:02d}/{day:02d}/{year}"
            )
        raise DateError(f"'{written}' is not a real date: there is no month {month}")
    if month < 1 or day < 1:
        raise DateError(f"'{written}' is not a real date")
    try:
        return PartialDate(year, month, day, uncertain)
    except ValueError:
        raise DateError(
            f"'{written}' is not a real date: {MONTH_NAMES[month - 1]} {year} has no day {day}"
        ) from None


def _month_date(year: int, month: int, written: str, uncertain: bool) -> PartialDate:
    _check_year(year, written)
    if not 1 <= month <= 12:
        raise DateError(f"'{written}' is not a real date: there is no month {month}")
    return PartialDate(year, month, None, uncertain)


def _from_serial(serial: float, written: str) -> ParsedDate:
    whole = int(serial)
    if not _FIRST_SERIAL <= whole <= _LAST_SERIAL:
        raise DateError(f"'{written}' is not a date: as an Excel date number it is out of range")
    date = dt.date.fromordinal(_EXCEL_EPOCH_ORDINAL + whole)
    seconds = round((serial - whole) * 86400)
    time = None
    if 0 < seconds < 86400:
        time = dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    return ParsedDate(PartialDate(date.year, date.month, date.day), time)


@lru_cache(maxsize=65536)
def _parse_text(written: str) -> ParsedDate:
    """Parse a date written as text; cached because chronologies repeat dates a lot."""
    text = _WHITESPACE.sub(" ", written.strip()).lower()
    warnings: list[str] = []
    uncertain = False
    if text.startswith("?"):
        uncertain, text = True, text[1:].lstrip()
    if text.endswith("?"):
        uncertain, text = True, text[:-1].rstrip()
    approx = _APPROX_PREFIX.match(text)
    if approx:
        uncertain, text = True, text[approx.end() :]
        warnings.append(
            f"'{written}' is approximate; mark uncertain dates with '?' or the date precision column"
        )
    part = _PART_OF_MONTH.match(text)
    if part:
        uncertain, text = True, text[part.end() :]
        warnings.append(f"'{written}' is read as an uncertain month; the 'early/mid/late' is not kept")
    text = _WEEKDAY_PREFIX.sub("", text)
    time: dt.time | None = None
    with_time = _TRAILING_TIME.match(text)
    if with_time:
        text = with_time.group(1)
        time = parse_cell_time(with_time.group(2))
    if not text:
        raise DateError(f"'{written}' has no date in it")

    date = _parse_date_words(text, written, uncertain, warnings)
    if part is not None and date.precision is Precision.DAY:
        raise DateError(f"'{written}' mixes 'early/mid/late' with a full date; give one or the other")
    return ParsedDate(date, time, tuple(warnings))


def _parse_date_words(text: str, written: str, uncertain: bool, warnings: list[str]) -> PartialDate:
    m = _UK_DAY.match(text)
    if m:
        year = _full_year(m.group(3), warnings)
        return _day_date(year, int(m.group(2)), int(m.group(1)), written, uncertain)
    m = _ISO_DAY.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if month > 12:
            raise DateError(f"'{written}' is not a real date: there is no month {month}")
        return _day_date(year, month, day, written, uncertain)
    m = _DAY_MONTH_YEAR.match(text)
    if m:
        month = _month_from_word(m.group(2), written)
        year = _full_year(m.group(3), warnings)
        return _day_date(year, month, int(m.group(1)), written, uncertain)
    m = _MONTH_YEAR.match(text)
    if m:
        month = _month_from_word(m.group(1), written)
        return _month_date(_full_year(m.group(2), warnings), month, written, uncertain)
    m = _MONTH_DAY_YEAR.match(text)
    if m:
        month = _month_from_word(m.group(1), written)
        return _day_date(int(m.group(3)), month, int(m.group(2)), written, uncertain)
    m = _YEAR.match(text)
    if m:
        year = int(m.group(1))
        _check_year(year, written)
        return PartialDate(year, None, None, uncertain)
    m = _UK_MONTH.match(text) or _ISO_MONTH.match(text)
    if m:
        first, second = int(m.group(1)), int(m.group(2))
        year, month = (second, first) if len(m.group(2)) == 4 else (first, second)
        return _month_date(year, month, written, uncertain)
    m = _SERIAL.match(text)
    if m:
        parsed = _from_serial(float(text), written)
        warnings.append(f"'{written}' was read as an Excel date number ({parsed.date.display()})")
        return replace(parsed.date, uncertain=uncertain)
    if _NO_YEAR.match(text):
        raise DateError(f"'{written}' has no year (or is ambiguous); write it in full, e.g. 22/05/2016")
    raise DateError(f"'{written}' is not a date Chronicle can read; write it like {DATE_EXAMPLES}")


# --- the date precision column ------------------------------------------------------

_PRECISION_WORDS: dict[str, Precision] = {
    "day": Precision.DAY,
    "d": Precision.DAY,
    "exact": Precision.DAY,
    "date": Precision.DAY,
    "full": Precision.DAY,
    "known": Precision.DAY,
    "dd/mm/yyyy": Precision.DAY,
    "month": Precision.MONTH,
    "m": Precision.MONTH,
    "mm/yyyy": Precision.MONTH,
    "year": Precision.YEAR,
    "y": Precision.YEAR,
    "yyyy": Precision.YEAR,
}
_UNCERTAIN_WORDS = frozenset(
    {
        "uncertain",
        "approx",
        "approximate",
        "approximately",
        "estimated",
        "estimate",
        "est",
        "circa",
        "c",
        "ca",
        "about",
        "unknown",
        "?",
        "unsure",
    }
)
_FILLER_WORDS = frozenset({"only", "and", "to", "the", "of", "precision", "accurate", "level"})
_PRECISION_TOKENS = re.compile(r"[a-z]+(?:/[a-z]+)*|\?")

PRECISION_VALUES = "day (or exact), month, year, uncertain (or approx)"


@lru_cache(maxsize=256)
def _parse_precision_text(written: str) -> PrecisionHint:
    tokens = _PRECISION_TOKENS.findall(written.lower())
    precision: Precision | None = None
    uncertain = False
    for token in tokens:
        if token in _FILLER_WORDS:
            continue
        if token in _UNCERTAIN_WORDS:
            uncertain = True
            continue
        found = _PRECISION_WORDS.get(token)
        if found is None or (precision is not None and precision is not found):
            raise DateError(f"'{written}' is not a date precision; use {PRECISION_VALUES}")
        precision = found
    if precision is None and not uncertain:
        raise DateError(f"'{written}' is not a date precision; use {PRECISION_VALUES}")
    return PrecisionHint(precision, uncertain)


def parse_precision(value: object) -> PrecisionHint | None:
    """Read a date-precision cell: None when blank, otherwise a hint (raises DateError)."""
    if value is None or value == "":
        return None
    if isinstance(value, PrecisionHint):
        return value
    if isinstance(value, Precision):
        return PrecisionHint(value)
    text = str(value).strip()
    if not text:
        return None
    return _parse_precision_text(text)


def apply_precision(date: PartialDate, hint: PrecisionHint | None, written: object = None) -> PartialDate:
    """Coarsen a date to what the precision column says; a finer claim than the date has is an error."""
    if hint is None:
        return date
    result = date
    if hint.precision is not None and hint.precision is not date.precision:
        if hint.precision.rank < date.precision.rank:
            shown = written if written is not None else date.display()
            raise DateError(
                f"the date precision says '{hint.precision.value}' but the date '{shown}' "
                f"gives only a {date.precision.value}"
            )
        if hint.precision is Precision.MONTH:
            result = PartialDate(date.year, date.month, None, date.uncertain)
        else:
            result = PartialDate(date.year, None, None, date.uncertain)
    if hint.uncertain and not result.uncertain:
        result = replace(result, uncertain=True)
    return result


# --- cells ----------------------------------------------------------------------------

_date_cache: dict[dt.date, PartialDate] = {}


def _exact(value: dt.date) -> PartialDate:
    # Real date cells repeat; one PartialDate per day keeps imports fast.
    found = _date_cache.get(value)
    if found is None:
        if len(_date_cache) > 100_000:
            _date_cache.clear()
        _check_year(value.year, value.isoformat())
        found = PartialDate(value.year, value.month, value.day)
        _date_cache[value] = found
    return found


def parse_date_detail(value: object, precision_hint: object = None) -> ParsedDate:
    """Read a date cell (text, Excel date, Excel serial number); raise DateError if it cannot be read.

    ``precision_hint`` is the value of a date-precision column, or a ``PrecisionHint``.
    """
    kind = type(value)
    if kind is dt.datetime:
        moment: dt.datetime = value  # type: ignore[assignment]
        day = moment.date()
        time = moment.time() if (moment.hour or moment.minute or moment.second) else None
        parsed = ParsedDate(_exact(day), time)
    elif kind is dt.date:
        parsed = ParsedDate(_exact(value))  # type: ignore[arg-type]
    elif kind is str:
        text: str = value  # type: ignore[assignment]
        if not text.strip():
            raise DateError("the date is missing")
        parsed = _parse_text(text)
    elif isinstance(value, bool) or value is None:
        raise DateError("the date is missing" if value is None else f"'{value}' is not a date")
    elif isinstance(value, int | float):
        parsed = _parse_number(value)
    elif isinstance(value, dt.time | dt.timedelta):
        raise DateError(f"'{value}' is a time, not a date")
    elif isinstance(value, dt.datetime):
        return parse_date_detail(value.replace(tzinfo=None), precision_hint)
    elif isinstance(value, dt.date):
        parsed = ParsedDate(_exact(dt.date(value.year, value.month, value.day)))
    else:
        raise DateError(f"'{value}' is not a date")
    if precision_hint is None or precision_hint == "":
        return parsed
    hint = parse_precision(precision_hint)
    if hint is None:
        return parsed
    written = value if isinstance(value, str) else None
    return ParsedDate(apply_precision(parsed.date, hint, written), parsed.time, parsed.warnings)


def _parse_number(value: float) -> ParsedDate:
    if value != value or value in (float("inf"), float("-inf")):
        raise DateError(f"'{value}' is not a date")
    if float(value).is_integer() and EARLIEST_YEAR <= value <= LATEST_YEAR:
        return ParsedDate(PartialDate(int(value)))  # a year on its own, typed as a number
    if 0 <= value < 1:
        raise DateError(f"'{value}' is a time of day, not a date")
    shown = str(int(value)) if float(value).is_integer() else str(value)
    return _from_serial(float(value), shown)


def parse_cell_date(value: object, precision_hint: object = None) -> PartialDate:
    """Read a date cell into a ``PartialDate``, or raise ``DateError(message)``.

    Accepts UK day-first dates, ISO dates, Excel dates and serial numbers, month-only
    and year-only dates, and a leading "?" for uncertain. ``precision_hint`` (a
    date-precision column value: day/exact, month, year, uncertain/approx) coarsens
    a full date.
    """
    return parse_date_detail(value, precision_hint).date


# --- times ------------------------------------------------------------------------------

_TIME_WORDS: dict[str, dt.time | None] = {
    "noon": dt.time(12, 0),
    "midday": dt.time(12, 0),
    "12 noon": dt.time(12, 0),
    "midnight": dt.time(0, 0),
    "-": None,
    "n/a": None,
    "na": None,
    "n/k": None,
    "nk": None,
    "unknown": None,
    "not known": None,
    "not recorded": None,
}
_CLOCK = re.compile(
    r"^(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2})(?:\.\d+)?)?\s*(am|pm|a\.m\.|p\.m\.)?\s*(?:hrs|hours|h)?$"
)
_HHMM = re.compile(r"^(\d{2})(\d{2})\s*(?:hrs|hours|h)?$|^(\d)(\d{2})\s*(?:hrs|hours|h)$")
TIME_EXAMPLES = "14:30, 1430, 2.30pm"


def _clock(hour: int, minute: int, second: int, written: str) -> dt.time:
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        raise DateError(f"'{written}' is not a real time of day")
    return dt.time(hour, minute, second)


@lru_cache(maxsize=4096)
def _parse_time_text(written: str) -> dt.time | None:
    text = _WHITESPACE.sub(" ", written.strip()).lower()
    if text in _TIME_WORDS:
        return _TIME_WORDS[text]
    m = _HHMM.match(text)
    if m:
        hour, minute = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return _clock(int(hour), int(minute), 0, written)
    m = _CLOCK.match(text)
    if m and (m.group(2) is not None or m.group(4) is not None):
        hour = int(m.group(1))
        minute = int(m.group(2) or 0)
        second = int(m.group(3) or 0)
        meridiem = m.group(4)
        if meridiem:
            if not 1 <= hour <= 12:
                raise DateError(f"'{written}' is not a real time of day")
            hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
        return _clock(hour, minute, second, written)
    raise DateError(f"'{written}' is not a time Chronicle can read; write it like {TIME_EXAMPLES}")


def parse_cell_time(value: object) -> dt.time | None:
    """Read a time cell: None when blank or "unknown"; raise DateError when unreadable.

    Accepts 14:30, 14.30, 1430, 2.30pm, 2pm, noon, Excel times (a fraction of a day or
    a time value) and numbers like 1430.
    """
    kind = type(value)
    if kind is str:
        text: str = value  # type: ignore[assignment]
        return _parse_time_text(text) if text.strip() else None
    if value is None:
        return None
    if kind is dt.time:
        time: dt.time = value  # type: ignore[assignment]
        return time.replace(tzinfo=None)
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        if not 0 <= seconds < 86400:
            raise DateError(f"'{value}' is not a time of day")
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DateError(f"'{value}' is not a time of day")
    number = float(value)
    if 0 <= number < 1:
        seconds = round(number * 86400)
        if seconds == 86400:
            seconds -= 1
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    if number.is_integer() and 100 <= number <= 2359:
        return _clock(int(number) // 100, int(number) % 100, 0, str(int(number)))
    if 1 <= number < 24 and not number.is_integer():
        hour = int(number)
        return _clock(hour, round((number - hour) * 100), 0, f"{number:.2f}")
    raise DateError(f"'{value}' is not a time Chronicle can read; write it like {TIME_EXAMPLES}")
