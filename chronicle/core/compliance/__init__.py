"""The compliance engine: statutory and local timescales, and the failings reviews name, checked against a chronology.

``evaluate`` reads a composite chronology, as the events each entry asserts
about the child, and proposes, for each requirement that applied, whether the
record shows it met, not met, borderline, cannot show it (a gap), or needs
multi-agency judgement. Findings are proposals for people to confirm, never
verdicts. The package holds:

- ``rules``: the rules as data (rulebook §4 and §5, and the patterns reviews find);
- ``findings``: findings, their statuses and their JSON form;
- ``index``: what the rules read (events, the child's life, the agencies) and how
  a step is judged against its deadline;
- ``timescales``, ``injuries``, ``patterns``: how each kind of rule is checked;
- ``engine``: every rule over one index.

Counting follows rulebook WD-06 through ``chronicle.core.calendar``: the trigger
day is day 0; "within N working days" ends on the N-th working day after it;
weeks and months are calendar arithmetic; evidence one working day after a
deadline, or dated so loosely that it may fall either side, is ``borderline``.
"""

from __future__ import annotations

from chronicle.core.calendar import OutsideCalendarError, add_months
from chronicle.core.compliance.engine import evaluate, evaluate_merged
from chronicle.core.compliance.findings import (
    LOCAL_SETTING,
    OUTSIDE_CALENDAR,
    RAISED,
    UNVERIFIABLE_TIME,
    UNVERIFIED_RULE,
    EntryRef,
    Finding,
    Status,
    findings_to_json,
)
from chronicle.core.compliance.index import RuleContext
from chronicle.core.compliance.rules import (
    COUNTING,
    CPPCR2010_FROM,
    HEALTH_VISITING_MANDATED_FROM,
    RULES,
    WT2013_FROM,
    Cadence,
    Deadline,
    Method,
    Rule,
    Unit,
    check_rules,
    rule_by_id,
    rules_to_json,
)

__all__ = [
    "COUNTING",
    "CPPCR2010_FROM",
    "HEALTH_VISITING_MANDATED_FROM",
    "LOCAL_SETTING",
    "OUTSIDE_CALENDAR",
    "RAISED",
    "RULES",
    "UNVERIFIABLE_TIME",
    "UNVERIFIED_RULE",
    "WT2013_FROM",
    "Cadence",
    "Deadline",
    "EntryRef",
    "Finding",
    "Method",
    "OutsideCalendarError",
    "Rule",
    "RuleContext",
    "Status",
    "Unit",
    "add_months",
    "check_rules",
    "evaluate",
    "evaluate_merged",
    "findings_to_json",
    "rule_by_id",
    "rules_to_json",
]
