"""The synthetic case chronologies (tests/data/cases/): what a review found is found, and its false alarms are not.

Each case runs through the analysis the composite page uses (``core.analysis``, via
``compliance.cases.analyse_case``). A key item is found when a finding of status not
met, needs multi-agency judgement or borderline, or an expected-contact gap, names one
of its entries; the false alarms the rules answer for (nothing due after the death, no
finding from a sibling's, parent's, negated or context entry) must be absent.

The known gaps below are where the reading of the words (``core/extract``) gives the
rules a wrong event, or where no event type carries what the rule would need; each
names why. They are measured, not hidden: ``benchmarks/accuracy.py --cases`` counts
them and docs/accuracy.md lists them. A gap that the reading later closes is simply
found; remove it from the list then.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chronicle.core.compliance.cases import RULE_ALARM_KINDS, analyse_case, load_case, score_case

CASES = Path(__file__).resolve().parent.parent / "data" / "cases"
NAMES = sorted(folder.name for folder in CASES.iterdir() if (folder / "case.json").is_file())

KNOWN_MISSES: dict[str, dict[str, str]] = {
    "02-injury-on-plan": {"K4": "a child 'limping' after 'fallen on the stairs' is not read as an injury"},
    "05-register-1990s": {"K4": "the GP's 'bruises both upper arms' is read as about the mother"},
    "10-private-fostering": {"K5": "no event type says whom the child lives with (private fostering)"},
    "11-crowded-multiagency": {
        "K2": "'Request ICPC' is read as a conference held, so the real one loses its anchor"
    },
    "12-sudden-death-toddler": {
        "K3": "a no-access visit is read as a health visitor contact as well",
        "K4": "a telephone call and a cancelled visit are read as visits, so the child looks seen",
    },
}
KNOWN_ALARMS: dict[str, dict[str, str]] = {
    "04-returned-on-bail": {"F2": "the mother's own lip injury is read as the child's"},
    "05-register-1990s": {
        "F1": "the brother's wrist fracture is read as the child's",
        "F3": "a referral to speech therapy is read as a referral to social services",
    },
    "06-scald-after-arrival": {"F5": "'healed marks' seen on a visit are read as a new injury"},
    "09-baby-head-injury": {"F1": "the mother's assault and its MARAC referral are read as about the baby"},
}


def test_it_has_the_twelve_cases_with_keys_and_false_alarms() -> None:
    assert len(NAMES) >= 12
    for name in NAMES:
        case = load_case(CASES / name)
        assert len(case.entries) >= 40, name
        assert len(case.key) >= 3 and len(case.false_alarms) >= 2, name


@pytest.mark.parametrize("name", NAMES)
def test_it_finds_what_the_review_found_without_its_false_alarms(name: str) -> None:
    case = load_case(CASES / name)
    score = score_case(case, analyse_case(case))
    known_misses = KNOWN_MISSES.get(name, {})
    missed = [item for item in score.missed() if item not in known_misses]
    assert not missed, [(item.id, item.found) for item in case.key if item.id in missed]
    known_alarms = KNOWN_ALARMS.get(name, {})
    raised = [alarm for alarm in score.alarms_raised(RULE_ALARM_KINDS) if alarm not in known_alarms]
    assert not raised, {alarm: score.raised[alarm] for alarm in raised}
