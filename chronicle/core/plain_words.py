"""Plain words for people: dates as "3 December 2026", record types and statuses in words, and rule
codes, internal names and ISO dates kept out of what people read. The rule id, its sources and the
working-day method still matter to whoever checks a finding; pages put them behind "How this was
worked out" (see ``worked_out``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from chronicle.core.dates import MONTH_NAMES

WORKED_OUT = "How this was worked out"

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# A day as the records write it in the United Kingdom: 02/06/2026 (day first).
UK_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
# A rule id: CJ-01, CJ-02a, RR-01 (b), CR-22.care_leaver, SH-INJ-NIM, SH-RULE, WD-06, CQ-11.
RULE_ID = re.compile(
    r"\b(?:[A-Z]{2,4}-\d+[a-z]?\b(?!-\d)(?:\.[a-z_]+\b)?(?: \([a-z]\))?"
    r"|[A-Z]{2,3}-(?:[A-Z]{2,4}-)*(?:[A-Z]{3,4}|RULE)\b)"
)
# "(RR-01 (b))", "(CR-20, CR-21)", "(RR-01 (a), unverified)", " [G]": said again behind the details.
_RULE_ASIDE = re.compile(
    r"\s*\((?:rule book )?" + RULE_ID.pattern + r"(?:,\s*" + RULE_ID.pattern + r")*(?P<rest>,[^()]*)?\)"
)
_TAG = re.compile(r"\s*\[[PSG]\]")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

# What people call each record the audit log names (model names and the types views record).
RECORD_TYPES = {
    "agency": "agency",
    "agendaitem": "agenda item",
    "annotation": "annotation",
    "attendance": "attendance",
    "audit_log": "audit log",
    "casepeople": "names to pseudonymise",
    "child": "child",
    "chronologyrequest": "chronology request",
    "chronologyversion": "chronology version",
    "composite": "composite chronology",
    "consideration": "criterion considered",
    "decision": "decision",
    "draftentry": "chronology entry",
    "entry_link": "link between entries",
    "entryanalysis": "entry analysis",
    "evidence": "evidence",
    "finding": "compliance finding",
    "findingdecision": "finding decision",
    "importbatch": "imported file",
    "incident": "serious incident",
    "invitation": "invitation",
    "job": "file being made",
    "learning": "learning point",
    "learning_register": "learning register",
    "learning_themes": "learning themes",
    "learningaction": "learning action",
    "learningpoint": "learning point",
    "linkdecision": "link decision",
    "meeting": "meeting",
    "membership": "role",
    "notification": "notification",
    "panel_pack": "Panel pack",
    "partnership": "partnership",
    "partnerposition": "partner position",
    "rapidreview": "rapid review",
    "reason": "reason",
    "reviewer_assignment": "reviewer assignment",
    "reviewerassignment": "reviewer assignment",
    "savedview": "saved view",
    "screening": "screening",
    "threshold_audit": "threshold audit",
    "thresholddismissal": "threshold audit dismissal",
    "two_factor_link": "two-factor set-up link",
    "user": "person",
    "versionentry": "chronology entry",
}

FLAG_WORDS = {
    "unverifiable-time": "the record gives no times, so an hours or same-day timescale cannot be checked",
    "unverified-rule": "the rule's wording is not yet verified against the guidance",
    "local-setting": "the timescale is the partnership's own setting",
    "outside-calendar": "a date falls outside the working-day calendar",
}

EXPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel", "docx": "Word", "pdf": "PDF", "json": "JSON"}


def day_words(day: dt.date | None) -> str:
    """3 December 2026 (an empty string for no day)."""
    if day is None:
        return ""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def moment_words(moment: dt.datetime | None) -> str:
    """3 December 2026 at 14:05."""
    if moment is None:
        return ""
    return f"{day_words(moment.date())} at {moment:%H:%M}"


def dates_in_words(text: str) -> str:
    """Every ISO date (2026-12-03) and day-first date (03/12/2026) in ``text`` written as
    "3 December 2026"; anything that is not a real day is left as written."""

    def words(year: str, month: str, day: str, written: str) -> str:
        try:
            return day_words(dt.date(int(year), int(month), int(day)))
        except ValueError:
            return written

    text = ISO_DATE.sub(lambda m: words(m[1], m[2], m[3], m[0]), text)
    return UK_DATE.sub(lambda m: words(m[3], m[2], m[1], m[0]), text)


def rule_ids_in(text: str) -> list[str]:
    """The rule ids ``text`` names, in order, once each."""
    return list(dict.fromkeys(match[0] for match in RULE_ID.finditer(text)))


def without_rule_ids(text: str) -> str:
    """``text`` with its asides naming rules and rulebook tags taken out; other words kept."""

    def aside(match: re.Match[str]) -> str:
        rest = (match["rest"] or "").lstrip(", ").strip()
        return f" ({rest})" if rest else ""

    text = _TAG.sub("", _RULE_ASIDE.sub(aside, text))
    text = RULE_ID.sub("the rule", text)
    return re.sub(r"\s+([.,;:)])", r"\1", text)


def plain(text: str) -> str:
    """Words for the main text: no rule ids or tags, dates as "3 December 2026"."""
    return dates_in_words(without_rule_ids(text))


def snake_words(name: str) -> str:
    """abuse_or_neglect -> abuse or neglect."""
    return name.replace("_", " ").replace("-", " ")


def record_type_words(object_type: str) -> str:
    """rapidreview -> rapid review; an unknown type in words as best we can."""
    key = object_type.strip().lower()
    return RECORD_TYPES.get(key) or RECORD_TYPES.get(key.replace(" ", "")) or snake_words(key)


def record_types_named(words: str) -> list[str]:
    """The stored record types whose name in words (or stored name) matches what someone typed."""
    wanted = " ".join(words.lower().replace("_", " ").split())
    if not wanted:
        return []
    return [
        stored
        for stored, said in RECORD_TYPES.items()
        if wanted in said.lower() or wanted.replace(" ", "") == stored.replace("_", "")
    ]


def reference_words(object_id: str) -> str:
    """A record reference as the audit log shows it: a finding's "CJ-01/<entry>" is shown as its entry,
    since the rule is named in words beside it; the full reference stays searchable and in the CSV."""
    rule, _, rest = object_id.partition("/")
    return rest if rest and RULE_ID.fullmatch(rule) else object_id


def export_words(detail: str) -> str:
    """An export event's detail for the log's page: what was exported and its format, without the
    query string of filters it was made with (that stays in the CSV of the log)."""
    return detail.split(", filters:", 1)[0].strip()


def finding_message(message: str, rule_id: str) -> str:
    """A finding's message without the rule id it starts with ("CJ-01 not met: ..." -> "Not met: ...")."""
    if message.startswith(rule_id):
        message = message[len(rule_id) :].lstrip(" :")
        message = message[:1].upper() + message[1:]
    return plain(message)


def flag_words(flags: Iterable[str]) -> list[str]:
    return [FLAG_WORDS.get(flag, snake_words(flag)) for flag in flags]


def format_words(fmt: str) -> str:
    return EXPORT_FORMATS.get(fmt.lower(), fmt.upper())


def count_words(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True, slots=True)
class RuleSummary:
    """One rule's findings in a line: "not met ×4, all from the police chronology"."""

    rule_id: str
    title: str
    total: int
    by_status: tuple[tuple[str, int], ...]  # status words and counts, most pressing first
    accounts: str  # whose chronologies the findings' triggers come from

    @property
    def line(self) -> str:
        counts = ", ".join(f"{status} ×{count}" for status, count in self.by_status)
        return f"{counts}, {self.accounts}" if self.accounts else counts


STATUS_ORDER = ("not_met", "borderline", "needs_multi_agency_judgement", "cannot_be_determined", "met")
STATUS_WORDS = {
    "met": "met",
    "not_met": "not met",
    "cannot_be_determined": "cannot be determined",
    "needs_multi_agency_judgement": "needs multi-agency judgement",
    "borderline": "borderline",
}


def status_words(status: object) -> str:
    value = str(status)
    return STATUS_WORDS.get(value, snake_words(value))


def _accounts(agencies: Sequence[str]) -> str:
    distinct = list(dict.fromkeys(agencies))
    if not distinct:
        return ""
    if len(distinct) == 1:
        return f"{'all' if len(agencies) > 1 else ''} from {distinct[0]}'s chronology".lstrip()
    if len(distinct) == 2:
        return f"from {distinct[0]} and {distinct[1]}"
    return f"from {len(distinct)} agencies: {', '.join(distinct[:-1])} and {distinct[-1]}"


def rule_summaries(findings: Iterable[tuple[str, str, str, str]]) -> list[RuleSummary]:
    """Findings as (rule id, rule title, status, trigger's agency), grouped by rule in the order first seen."""
    grouped: dict[str, tuple[str, list[str], list[str]]] = {}
    for rule_id, title, status, agency in findings:
        _, statuses, agencies = grouped.setdefault(rule_id, (title, [], []))
        statuses.append(str(status))
        agencies.append(agency)
    summaries = []
    for rule_id, (title, statuses, agencies) in grouped.items():
        order = sorted(set(statuses), key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 99)
        summaries.append(
            RuleSummary(
                rule_id=rule_id,
                title=title,
                total=len(statuses),
                by_status=tuple((status_words(s), statuses.count(s)) for s in order),
                accounts=_accounts(agencies),
            )
        )
    return summaries
