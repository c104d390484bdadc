"""Template filters for plain words (``{% load plain_words %}``): dates as "3 December 2026", record
types, statuses and flags in words, and rule ids kept for "How this was worked out"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from chronicle.core import plain_words
from chronicle.core.dates import PartialDate

register = template.Library()


@register.filter
def day(value: Any) -> str:
    """3 December 2026, from a date, a datetime (in local time), an entry's partial date ("May 2016",
    "?3 May 2016") or a string holding ISO or day-first dates."""
    if isinstance(value, PartialDate):
        return plain_words.dates_in_words(value.display())
    if isinstance(value, dt.datetime):
        return plain_words.day_words(
            timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        )
    if isinstance(value, dt.date):
        return plain_words.day_words(value)
    if isinstance(value, str):
        return plain_words.dates_in_words(value)
    return "" if value is None else str(value)


@register.filter
def moment(value: dt.datetime | None) -> str:
    """3 December 2026 at 14:05, in local time."""
    if value is None:
        return ""
    return plain_words.moment_words(timezone.localtime(value) if timezone.is_aware(value) else value)


@register.filter
def plain(value: Any) -> str:
    """Text without rule ids or rulebook tags, with its ISO dates in words."""
    return plain_words.plain("" if value is None else str(value))


@register.filter
def record_type(value: str) -> str:
    return plain_words.record_type_words(value or "")


@register.filter
def status_words(value: Any) -> str:
    return plain_words.status_words(value)


@register.filter
def flag_words(flags: Any) -> list[str]:
    return plain_words.flag_words(flags or ())


@register.filter
def finding_message(finding: Any) -> str:
    return plain_words.finding_message(finding.message, finding.rule_id)


@register.filter
def rule_ids(value: Any) -> str:
    """The rule ids a text names, for the details under "How this was worked out"."""
    return ", ".join(plain_words.rule_ids_in("" if value is None else str(value)))


@register.filter
def format_words(value: str) -> str:
    return plain_words.format_words(value or "")


@register.filter
def reference_words(value: str) -> str:
    return plain_words.reference_words(value or "")


@register.filter
def export_words(value: str) -> str:
    return plain_words.export_words(value or "")
