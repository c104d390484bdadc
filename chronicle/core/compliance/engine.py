"""The evaluation: every rule family over one index of the record, findings in date order."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chronicle.core.compliance.findings import Finding
from chronicle.core.compliance.index import Builder, Index, RuleContext
from chronicle.core.compliance.injuries import (
    evaluate_examination_family,
    evaluate_injury_family,
    evaluate_repeat_injury_family,
)
from chronicle.core.compliance.patterns import (
    evaluate_closed_unseen,
    evaluate_information_not_shared,
    evaluate_repeat_referrals,
    evaluate_returned_to_suspect,
)
from chronicle.core.compliance.rules import RULES, Method, Rule, check_rules
from chronicle.core.compliance.timescales import (
    evaluate_attendance_family,
    evaluate_chain_family,
    evaluate_deadline_family,
    evaluate_icpc_family,
    evaluate_medical_family,
)
from chronicle.core.entries import Entry
from chronicle.core.events import Event

HANDLERS: dict[Method, Callable[[Sequence[Rule], Index, Builder], None]] = {
    Method.DEADLINE: evaluate_deadline_family,
    Method.CHAIN: evaluate_chain_family,
    Method.ICPC_ANCHOR: evaluate_icpc_family,
    Method.ATTENDANCE: evaluate_attendance_family,
    Method.MEDICAL_DECISION: evaluate_medical_family,
    Method.INJURY: evaluate_injury_family,
    Method.REPEAT_INJURY: evaluate_repeat_injury_family,
    Method.EXAMINATION: evaluate_examination_family,
    Method.REPEAT_REFERRALS: evaluate_repeat_referrals,
    Method.CLOSED_UNSEEN: evaluate_closed_unseen,
    Method.RETURNED_TO_SUSPECT: evaluate_returned_to_suspect,
    Method.INFORMATION_NOT_SHARED: evaluate_information_not_shared,
}


def evaluate(
    entries: Sequence[Entry],
    context: RuleContext,
    rules: Sequence[Rule] = RULES,
    events: Sequence[Sequence[Event]] | None = None,
) -> list[Finding]:
    """Propose a finding for every requirement the chronology triggers, in date order.

    ``events`` gives each entry's events; without it they are read from the
    entries' words, with each entry's own event type as the agency's code, as
    ``analysis.analyse`` reads them.
    """
    if events is None:
        events = read_events(entries, context)
    return _evaluate(Index(entries, context, events), rules)


def evaluate_merged(
    entries: Sequence[Entry],
    events: Sequence[Sequence[Event]],
    context: RuleContext,
    rules: Sequence[Rule] = RULES,
) -> list[Finding]:
    """``evaluate`` for a merged chronology, as ``analysis.analyse`` has it.

    ``entries`` must already be in ``Entry.sort_key`` order (as ``composite.merge``
    leaves them), and ``events`` gives each entry's events beside it, so no entry
    is copied or changed.
    """
    return _evaluate(Index(entries, context, events, in_date_order=True), rules)


def read_events(entries: Sequence[Entry], context: RuleContext) -> list[tuple[Event, ...]]:
    """The events in each entry's words (imported here: the reader loads spaCy)."""
    from chronicle.core.extract import extract_many, source_of

    return extract_many([source_of(e, context.agency_types.get(e.agency, "")) for e in entries])


def _evaluate(ix: Index, rules: Sequence[Rule]) -> list[Finding]:
    check_rules(rules)
    known = {rule.id for rule in rules}
    for key in ix.context.local_parameters:
        if key not in known:
            raise ValueError(
                f"local_parameters: {key!r} is not a rule id (known: {', '.join(sorted(known))})"
            )
    out = Builder(ix)
    families: dict[str, list[Rule]] = {}
    for rule in rules:
        families.setdefault(rule.family, []).append(rule)
    for variants in families.values():
        HANDLERS[variants[0].method](variants, ix, out)
    order = {rule.id: n for n, rule in enumerate(rules)}
    out.findings.sort(key=lambda f: (ix.rank[f.trigger_index], order[f.rule_id]))
    return out.findings
