"""Serious-harm indicator lexicon: words in free text that suggest a child was seriously harmed.

Used by screening (to propose an answer to "has the child been seriously
harmed?") and by the threshold audit (to find incidents and chronology entries
that were never screened). A match is a prompt for a person, never a decision.

The lexicon is data. Each *term* is a regular expression for one family of
words; each *indicator* fires when one of its terms is present and, for
compound indicators such as "fracture in an infant", one of its companion
terms is present too (within ``COMPANION_WINDOW`` characters). All terms are
compiled into ONE regex, run on the lower-cased text, so a text is scanned once.
Term patterns are therefore written in lower case.

A term preceded or followed, in the same clause, by a negation ("no head
injury", "shaking was denied", "fracture ruled out") still matches, but is
marked ``negated`` so that screening does not propose serious harm from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class IndicatorKind(StrEnum):
    SERIOUS_HARM = "serious_harm"  # proposes "seriously harmed: yes"
    DEATH = "death"  # the text speaks of a death
    CONCERN = "concern"  # calls for referral or a closer look, not serious harm by itself


@dataclass(frozen=True, slots=True)
class Term:
    id: str  # also the regex group name
    pattern: str


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    label: str
    terms: tuple[str, ...]  # any one of these must be present
    companions: tuple[str, ...]  # if given, one of these must be present too
    kind: IndicatorKind
    source: str
    tag: str  # rulebook verification tag: "P", "S" or "G"

    @property
    def verified(self) -> bool:
        return self.tag != "G"


@dataclass(frozen=True, slots=True)
class IndicatorMatch:
    indicator_id: str
    label: str
    words: tuple[str, ...]  # the words matched in the text, in order
    source: str
    kind: IndicatorKind
    negated: bool  # every mention of the main term was negated ("no head injury")
    verified: bool


_MONTHS_IN_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"

# Order matters where two terms can start at the same place: the longer, more
# specific term comes first so that it wins ("skull fracture" before "fracture").
TERMS: tuple[Term, ...] = (
    Term("shaking", r"shak(?:en|e|es|ing)"),
    Term(
        "head_injury",
        r"(?:abusive\s+)?head\s+(?:injur(?:y|ies)|trauma)|intracranial\s+(?:injur(?:y|ies)|bleed(?:ing)?|"
        r"ha?emorrhages?)|brain\s+injur(?:y|ies)|aht",
    ),
    Term("subdural", r"subdural(?:\s+(?:ha?emorrhages?|ha?ematomas?|bleeds?|collections?))?"),
    Term("retinal", r"retinal\s+(?:ha?emorrhages?|bleeds?)"),
    Term("skull_fracture", r"(?:skull|cranial)\s+fractures?|fractured\s+skull"),
    Term("fracture", r"fractures?|fractured|broken\s+(?:bones?|arms?|legs?|ribs?|femurs?|wrists?|ankles?)"),
    Term(
        "infant",
        r"bab(?:y|ies)|infants?|new-?borns?|neonates?|"
        rf"(?:\d{{1,2}}|{_MONTHS_IN_WORDS})[\s-]*(?:days?|weeks?|months?)[\s-]*old|"
        r"non-?mobile|immobile|pre-?mobile|not\s+(?:yet\s+)?(?:independently\s+)?mobile",
    ),
    Term("bruise", r"bruis(?:e|es|ed|ing)|petechiae"),
    Term(
        "life_threatening",
        r"(?:potentially\s+)?life[\s-]+threatening|critical(?:ly)?\s+(?:ill|injured|condition)",
    ),
    Term("death", r"died|dies|death|dead|deceased|fatal(?:ly)?|killed"),
    Term(
        "unresponsive",
        r"unresponsive|unconscious|collapsed?|cardiac\s+arrest|respiratory\s+arrest|not\s+breathing|"
        r"resuscitat(?:ed|ion)|cpr",
    ),
    Term("intensive_care", r"[pn]?icu|hdu|(?:paediatric\s+|pediatric\s+)?intensive\s+care|high\s+dependency"),
    Term("admitted", r"admitted|admission|hospitali[sz]ed|skin\s+grafts?"),
    Term("burn", r"burns?|burnt|burned|scalds?|scalded|scalding"),
    Term(
        "suffocation",
        r"suffocat(?:ion|ed|e|ing)|smother(?:ed|ing)?|strangl(?:ed|ing|ation)|asphyxia(?:tion|ted)?|"
        r"fabricated\s+or\s+induced\s+illness|fii|alte|brue",
    ),
    Term("poisoning", r"poison(?:ed|ing|s)?"),
    Term("overdose", r"overdos(?:e|ed|es|ing)"),
    Term(
        "sexual_abuse",
        r"sexual(?:ly)?\s+(?:abuse[ds]?|assault(?:s|ed)?|exploit(?:ed|ation))|rape[ds]?",
    ),
    Term(
        "serious_self_harm",
        r"(?:serious|significant|severe)\s+self[\s-]+harm(?:ed|ing)?|attempted\s+suicide|suicide\s+attempts?|"
        r"ligature",
    ),
    Term("suicide", r"suicide"),
    Term(
        "abdominal",
        r"(?:internal|abdominal)\s+(?:injur(?:y|ies)|bleed(?:ing)?|trauma)|"
        r"(?:ruptured|lacerated)\s+(?:spleen|liver|bowel|kidney)",
    ),
    Term(
        "long_term_impairment",
        r"(?:permanent|long[\s-]+term|lasting)\s+(?:impairment|damage|disability)|brain\s+damage",
    ),
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("SHI-01", "Shaking (abusive head trauma)", ("shaking",), (), IndicatorKind.SERIOUS_HARM,
              "SH-03 (AHT: 'inflicted blunt impact or violent shaking'); SH-RULE", "G"),
    Indicator("SHI-02", "Head injury", ("head_injury",), (), IndicatorKind.SERIOUS_HARM,
              "SH-RULE (intracranial injury); SH-03", "G"),
    Indicator("SHI-03", "Subdural haemorrhage", ("subdural",), (), IndicatorKind.SERIOUS_HARM,
              "SH-03 (the 'triad': subdural and retinal haemorrhage, encephalopathy); SH-RULE", "S"),
    Indicator("SHI-04", "Retinal haemorrhage", ("retinal",), (), IndicatorKind.SERIOUS_HARM,
              "SH-03 (the 'triad': subdural and retinal haemorrhage, encephalopathy)", "S"),
    Indicator("SHI-05", "Skull fracture", ("skull_fracture",), (), IndicatorKind.SERIOUS_HARM,
              "SH-RULE (skull fracture); SH-03", "G"),
    Indicator("SHI-06", "Fracture in a baby or non-mobile child", ("fracture", "skull_fracture"), ("infant",),
              IndicatorKind.SERIOUS_HARM, "SH-RULE (any fracture in a child under 1 or not independently mobile)",
              "G"),
    Indicator("SHI-07", "Bruising in a baby or non-mobile child", ("bruise",), ("infant",), IndicatorKind.CONCERN,
              "SH-03 (NICE CG89 rec 1.1.2; Panel briefing 'Bruising in non-mobile infants', 2022)", "S"),
    Indicator("SHI-08", "Life-threatening injury or condition", ("life_threatening",), (),
              IndicatorKind.SERIOUS_HARM, "CR-12 ('a potentially life-threatening injury'); SH-02", "S"),
    Indicator("SHI-09", "Death", ("death",), (), IndicatorKind.DEATH, "CR-11, CR-20, CR-23 (the child has died)",
              "S"),
    Indicator("SHI-10", "Unresponsive or collapsed", ("unresponsive",), (), IndicatorKind.SERIOUS_HARM,
              "SH-RULE (ALTE); CR-12 (potentially life-threatening)", "G"),
    Indicator("SHI-11", "Intensive care (ICU, PICU, HDU)", ("intensive_care",), (), IndicatorKind.SERIOUS_HARM,
              "SH-RULE (ICU/HDU admission)", "G"),
    Indicator("SHI-12", "Burn or scald needing hospital admission", ("burn",), ("admitted", "intensive_care"),
              IndicatorKind.SERIOUS_HARM, "SH-RULE (burn or scald requiring admission); SH-03", "G"),
    Indicator("SHI-13", "Burn or scald", ("burn",), (), IndicatorKind.CONCERN, "SH-03 (Sibert et al. 2002)", "S"),
    Indicator("SHI-14", "Suffocation or fabricated or induced illness", ("suffocation",), (),
              IndicatorKind.SERIOUS_HARM, "SH-RULE (suffocation or ALTE with suspected FII); SH-03", "G"),
    Indicator("SHI-15", "Poisoning", ("poisoning",), (), IndicatorKind.SERIOUS_HARM,
              "CR-12 (a potentially life-threatening injury)", "G"),
    Indicator("SHI-16", "Overdose", ("overdose",), (), IndicatorKind.SERIOUS_HARM,
              "CR-12 (a potentially life-threatening injury); CR-23", "G"),
    Indicator("SHI-17", "Sexual abuse or assault", ("sexual_abuse",), (), IndicatorKind.SERIOUS_HARM,
              "CR-02 (WT2010: 'seriously harmed as a result of being subjected to sexual abuse')", "S"),
    Indicator("SHI-18", "Serious self-harm or attempted suicide", ("serious_self_harm",), (),
              IndicatorKind.SERIOUS_HARM, "CR-23 (serious impairment of mental health)", "G"),
    Indicator("SHI-19", "Suicide", ("suicide",), (), IndicatorKind.DEATH,
              "CR-11, CR-21 (deaths 'including cases of suspected suicide')", "S"),
    Indicator("SHI-20", "Internal abdominal injury", ("abdominal",), (), IndicatorKind.SERIOUS_HARM,
              "SH-RULE (internal abdominal injury); SH-03", "G"),
    Indicator("SHI-21", "Long-term or permanent impairment", ("long_term_impairment",), (),
              IndicatorKind.SERIOUS_HARM,
              "CR-12, CR-23 ('serious and/or long-term impairment of … health or … development')", "S"),
)  # fmt: skip

INDICATORS_BY_ID: dict[str, Indicator] = {indicator.id: indicator for indicator in INDICATORS}

# How far apart (in characters) a term and its companion may be: a clause or two.
COMPANION_WINDOW = 160

# Negation cues looked for in the same clause: up to three words before the term, or just after it.
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|nil|never|without|denie[sd]|deny|denying|absence\s+of|free\s+of|negative\s+for|"
    r"ruled\s+out|excluded)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(
    r"^[^.;:!?]{0,30}?\b(?:ruled\s+out|excluded|denied|not\s+(?:found|seen|present|detected|suspected)|"
    r"was\s+negative|were\s+negative)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[.;:!?]|\bbut\b|\bhowever\b", re.IGNORECASE)
_NEGATION_LOOKBACK = 40  # characters


@lru_cache(maxsize=2)
def _lexicon_regex(ignore_case: bool = False) -> re.Pattern[str]:
    """All terms in one regex. Term patterns are lower case and are run on lower-cased text, which
    is several times faster than IGNORECASE; ``\\b(?=\\w)`` lets the engine skip non-word starts."""
    alternatives = "|".join(f"(?P<{term.id}>{term.pattern})" for term in TERMS)
    return re.compile(rf"\b(?=\w)(?:{alternatives})\b", re.IGNORECASE if ignore_case else 0)


@dataclass(frozen=True, slots=True)
class _Hit:
    term: str
    start: int
    words: str
    negated: bool


def _is_negated(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - _NEGATION_LOOKBACK) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    return bool(_NEGATION_BEFORE.search(before) or _NEGATION_AFTER.search(text[end:]))


def _hits(text: str) -> list[_Hit]:
    lowered = text.lower()
    if len(lowered) == len(text):
        found = _lexicon_regex().finditer(lowered)
    else:  # a few characters change length when lower-cased; keep the positions true to the text
        found = _lexicon_regex(ignore_case=True).finditer(text)
    hits = []
    for match in found:
        term = match.lastgroup
        if term is None:  # pragma: no cover - every alternative is a named group
            continue
        start, end = match.span()
        hits.append(_Hit(term, start, text[start:end], _is_negated(text, start, end)))
    return hits


def match_indicators(text: str, *, infant: bool | None = None) -> list[IndicatorMatch]:
    """The indicators found in ``text``, in lexicon order.

    ``infant=True`` says the child is known to be a baby (under 1) or not
    independently mobile, so compound indicators such as "fracture in a baby"
    need no companion word in the text.
    """
    if not text:
        return []
    hits = _hits(text)
    if not hits:
        return []
    by_term: dict[str, list[_Hit]] = {}
    for hit in hits:
        by_term.setdefault(hit.term, []).append(hit)

    matches = []
    for indicator in INDICATORS:
        main = [hit for term in indicator.terms for hit in by_term.get(term, ())]
        if not main:
            continue
        companions: list[_Hit] = []
        if indicator.companions and not (infant and indicator.companions == ("infant",)):
            nearby = [
                hit
                for term in indicator.companions
                for hit in by_term.get(term, ())
                if any(abs(hit.start - own.start) <= COMPANION_WINDOW for own in main)
            ]
            if not nearby:
                continue
            companions = nearby
        ordered = sorted([*main, *companions], key=lambda hit: hit.start)
        matches.append(
            IndicatorMatch(
                indicator_id=indicator.id,
                label=indicator.label,
                words=tuple(dict.fromkeys(hit.words for hit in ordered)),
                source=indicator.source,
                kind=indicator.kind,
                negated=all(hit.negated for hit in main),
                verified=indicator.verified,
            )
        )
    return matches


def serious_harm_matches(matches: list[IndicatorMatch]) -> list[IndicatorMatch]:
    """The matches that suggest serious harm and were not negated."""
    return [match for match in matches if match.kind is IndicatorKind.SERIOUS_HARM and not match.negated]
